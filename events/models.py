"""Events (trainings, seminars, community events), registrations and calendar feeds."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community, ModelElement, TargetGroup
from core.choices import quick_choice_labels
from core.paths import slug_path
from core.text import fold
from resource_centres.models import ResourceCentre

# An event lasts at most this long, so "not yet ended" is also "started at most this long ago":
# a range on the indexed start time instead of a scan of every past event.
EVENT_MAX_DURATION = timedelta(days=31)


@quick_choice_labels
class Event(models.Model):
    """A training, seminar or community event, at a centre or a free address (DESIGN §4)."""

    class Kind(models.TextChoices):
        COMMUNITY_TRAINING = "community_training", _("Mācības kopienām")
        TEACHERS_SEMINAR = "teachers_seminar", _("Seminārs pedagogiem")
        LEADERS_SCHOOL = "leaders_school", _("Līderu skola")
        EXPERT_CONSULTATION = "expert_consultation", _("Ekspertu konsultācija")
        COMMUNITY_EVENT = "community_event", _("Kopienas pasākums")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Klātienē")
        ONLINE = "online", _("Tiešsaistē")
        HYBRID = "hybrid", _("Hibrīds")

    class RegistrationMode(models.TextChoices):
        NONE = "none", _("Bez pieteikšanās")
        PLATFORM = "platform", _("Pieteikšanās šajā vietnē")
        EXTERNAL = "external", _("Pieteikšanās ārējā vietnē")

    slug = models.SlugField(_("adreses daļa"), max_length=100, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    kind = models.CharField(_("veids"), max_length=24, choices=Kind.choices, db_index=True)
    format = models.CharField(
        _("formāts"), max_length=12, choices=Format.choices, default=Format.IN_PERSON
    )
    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("resursu centrs"),
    )
    address = models.CharField(
        _("adrese"),
        max_length=250,
        blank=True,
        help_text=_("Aizpildiet, ja pasākums nenotiek centrā vai notiek citā tā vietā."),
    )
    online_url = models.URLField(_("tiešsaistes saite"), blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("kopiena"),
    )
    starts_at = models.DateTimeField(_("sākums"), db_index=True)
    ends_at = models.DateTimeField(_("beigas"))
    capacity = models.PositiveIntegerField(
        _("vietu skaits"), default=20, validators=[MinValueValidator(1)]
    )
    registration_mode = models.CharField(
        _("pieteikšanās"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.PLATFORM,
    )
    external_registration_url = models.URLField(_("ārējās pieteikšanās saite"), blank=True)
    registration_deadline = models.DateTimeField(
        _("pieteikšanās termiņš"),
        null=True,
        blank=True,
        help_text=_("Tukšs: pieteikties var līdz pasākuma sākumam."),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="events", verbose_name=_("mērķa grupas")
    )
    model_elements = models.ManyToManyField(
        ModelElement, blank=True, related_name="events", verbose_name=_("modeļa elementi")
    )
    # Attending marks the person instructed on these items (events.services.mark_attendance).
    instructs = models.ManyToManyField(
        "resource_centres.Equipment",
        blank=True,
        related_name="instruction_events",
        verbose_name=_("instruktāža šim aprīkojumam"),
    )
    description = models.TextField(_("apraksts"))
    image = models.ImageField(_("attēls"), upload_to="events/photos/", blank=True)
    thumbnail = models.ImageField(upload_to="events/thumbs/", editable=False, blank=True)
    image_alt = models.CharField(
        _("attēla alternatīvais teksts"),
        max_length=200,
        blank=True,
        help_text=_("Obligāts, ja ir attēls: īsi aprakstiet, kas tajā redzams."),
    )
    is_published = models.BooleanField(_("publicēts"), default=True)
    cancelled_at = models.DateTimeField(_("atcelts"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(_("atcelšanas iemesls"), blank=True)
    # Confirmed seats, kept by the registration services under the event's row lock; the check
    # constraint below is the database's own guard against overselling.
    seats_confirmed = models.PositiveIntegerField(_("apstiprinātās vietas"), default=0)
    # iCalendar SEQUENCE: rises with every change a subscriber's calendar must pick up.
    sequence = models.PositiveIntegerField(_("kalendāra versija"), default=0, editable=False)
    # The report made when the event is closed (counted on the day).
    closed_at = models.DateTimeField(_("noslēgts"), null=True, blank=True, editable=False)
    attendees_count = models.PositiveIntegerField(_("dalībnieku skaits"), null=True, blank=True)
    organisations_count = models.PositiveIntegerField(
        _("pārstāvēto organizāciju skaits"), null=True, blank=True
    )
    report = models.TextField(_("īss pārskats"), blank=True)
    # The folded title and address (core.text.fold), so the site's search finds "Rēzekne" by
    # "rezekne" with a plain LIKE on every database, as centres and communities are found.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("pasākums")
        verbose_name_plural = _("pasākumi")
        indexes = [
            # Covering the lists' range on starts_at and their check of ends_at.
            models.Index(
                fields=["is_published", "starts_at", "ends_at"], name="event_published_start"
            ),
            models.Index(fields=["centre", "is_published", "starts_at"], name="event_centre_start"),
            # A centre's events published or not, in time order: a manager's "Pasākumi manā
            # centrā" reads its first 21 from now instead of sorting all of the centre's.
            models.Index(fields=["centre", "starts_at"], name="event_centre_all_start"),
            models.Index(
                fields=["community", "is_published", "starts_at"], name="event_community_start"
            ),
            models.Index(fields=["kind", "is_published", "starts_at"], name="event_kind_start"),
            # The home page's figures read only the closed events.
            models.Index(
                fields=["closed_at"],
                condition=models.Q(closed_at__isnull=False),
                name="event_closed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_confirmed__lte=models.F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fold_text_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("events:detail", self.slug)

    def fold_text_fields(self) -> None:
        """Refresh the folded copy (also for bulk_create, which bypasses save())."""
        self.search_text = fold(" ".join(part for part in (self.title, self.address) if part))

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at:
            if self.ends_at < self.starts_at:
                raise ValidationError({"ends_at": _("Beigām jābūt pēc sākuma.")})
            if self.ends_at - self.starts_at > EVENT_MAX_DURATION:
                # The lists find what is still on by a range of start times: see selectors.
                raise ValidationError({"ends_at": _("Pasākums var ilgt ne vairāk kā 31 dienu.")})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.seats_confirmed, 0)

    @property
    def registration_closes_at(self):
        """Registration closes at the deadline, and never later than the start."""
        if self.registration_deadline and self.registration_deadline < self.starts_at:
            return self.registration_deadline
        return self.starts_at

    @property
    def is_teachers_seminar(self) -> bool:
        return self.kind == self.Kind.TEACHERS_SEMINAR


class EventGroupCount(models.Model):
    """How many of one target group came to an event, as counted on the day."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="group_counts", verbose_name=_("pasākums")
    )
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("mērķa grupa")
    )
    count = models.PositiveIntegerField(_("skaits"))

    class Meta:
        ordering = ["target_group__order", "pk"]
        verbose_name = _("mērķa grupas dalībnieki")
        verbose_name_plural = _("dalībnieki pa mērķa grupām")
        constraints = [
            models.UniqueConstraint(fields=["event", "target_group"], name="eventgroupcount_unique")
        ]

    def __str__(self):
        return f"{self.target_group}: {self.count}"


@quick_choice_labels
class Registration(models.Model):
    class Status(models.TextChoices):
        # A guest's registration until they follow the link in the mail: it holds no seat.
        PENDING = "pending", _("Gaida e-pasta apstiprinājumu")
        CONFIRMED = "confirmed", _("Apstiprināts")
        WAITLISTED = "waitlisted", _("Gaidīšanas sarakstā")
        CANCELLED = "cancelled", _("Atcelts")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("pasākums")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("lietotājs"),
    )
    name = models.CharField(_("vārds, uzvārds"), max_length=150)
    email = models.EmailField(_("e-pasts"))
    seats = models.PositiveSmallIntegerField(
        _("vietu skaits"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    needs = models.TextField(_("piekļūstamības vai citas vajadzības"), blank=True)
    photo_consent = models.BooleanField(_("piekrīt būt fotogrāfijās"), default=False)
    institution = models.CharField(_("izglītības iestāde"), max_length=200, blank=True)
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attended = models.BooleanField(_("piedalījās"), default=False)
    # Secret for the links in mails (confirm, cancel): whoever holds the mail holds the place.
    token = models.CharField(max_length=64, unique=True, editable=False)
    # The interface language the person registered in: every mail about this registration
    # (also those set off by others, such as a seat freed for them) is written in it.
    language = models.CharField(
        _("valoda"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("pieteicies"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("apstiprināts"), null=True, blank=True)
    # Position in the waiting list: the earliest waiting person who fits is promoted first.
    waitlisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("atteikts"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = pgettext_lazy("pasākums", "pieteikums")
        verbose_name_plural = pgettext_lazy("pasākums", "pieteikumi")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="registration_unique_user",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(user__isnull=True),
                name="registration_unique_guest",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"], name="registration_queue"),
            models.Index(fields=["user", "status"], name="registration_user_status"),
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"

    @property
    def holds_seats(self) -> bool:
        return self.status == self.Status.CONFIRMED


class CalendarFeed(models.Model):
    """The secret address of one person's calendar of their own registrations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("lietotājs"),
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personīgais kalendārs")
        verbose_name_plural = _("personīgie kalendāri")

    def __str__(self):
        return str(self.user)


class Follow(models.Model):
    """A signed-in person follows a community or a centre, to hear of its new and changed events
    in a weekly digest (events.following)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("lietotājs"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("kopiena"),
    )
    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("resursu centrs"),
    )
    created_at = models.DateTimeField(_("seko kopš"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sekošana")
        verbose_name_plural = _("sekošanas")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(community__isnull=False, centre__isnull=True)
                    | models.Q(community__isnull=True, centre__isnull=False)
                ),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(community__isnull=False),
                name="follow_unique_community",
            ),
            models.UniqueConstraint(
                fields=["user", "centre"],
                condition=models.Q(centre__isnull=False),
                name="follow_unique_centre",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.community or self.centre}"


class Digest(models.Model):
    """Whether a person's weekly digest of what they follow goes out, and when it last did."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_digest",
        verbose_name=_("lietotājs"),
    )
    enabled = models.BooleanField(_("sūtīt iknedēļas apkopojumu"), default=True)
    last_sent_at = models.DateTimeField(_("pēdējoreiz nosūtīts"), null=True, blank=True)

    class Meta:
        verbose_name = _("iknedēļas apkopojums")
        verbose_name_plural = _("iknedēļas apkopojumi")

    def __str__(self):
        return str(self.user)


class DigestedEvent(models.Model):
    """An event a person's digest has mailed them: it is never mailed to them again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digested_events"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="digested")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="digested_event_once"),
        ]

    def __str__(self):
        return f"{self.user} ← {self.event}"
