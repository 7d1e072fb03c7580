from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import quick_choice_labels
from core.formats import time_of_day
from core.municipalities import CHOICES as MUNICIPALITY_CHOICES
from core.paths import slug_path
from core.text import fold, sort_key


class ResourceCentre(models.Model):
    class Setting(models.TextChoices):
        INDOOR = "indoor", _("Iekštelpās")
        OUTDOOR = "outdoor", _("Brīvā dabā")

    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    name = models.CharField(_("nosaukums"), max_length=200)
    host = models.CharField(_("iestāde, kurā centrs darbojas"), max_length=200)
    settlement = models.CharField(_("apdzīvotā vieta"), max_length=120)
    municipality = models.CharField(
        _("novads"), max_length=120, choices=MUNICIPALITY_CHOICES, db_index=True
    )
    address = models.CharField(_("adrese"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("platums"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("garums"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coords_approximate = models.BooleanField(
        _("aptuvena atrašanās vieta"),
        default=False,
        help_text=_("Atzīmējiet, ja punkts ir tikai apdzīvotās vietas aptuvenais centrs."),
    )
    setting = models.CharField(
        _("vide"), max_length=10, choices=Setting.choices, default=Setting.INDOOR
    )
    description = models.TextField(_("apraksts"))
    # The hours themselves are rows (WeeklyHours, OpeningException); this is what the rows
    # cannot say, shown below them ("Pirms apmeklējuma lūdzam piezvanīt").
    opening_hours = models.TextField(_("piezīmes par darba laiku"), blank=True)
    contact_person = models.CharField(_("kontaktpersona"), max_length=120, blank=True)
    phone = models.CharField(_("tālrunis"), max_length=40, blank=True)
    email = models.EmailField(_("e-pasts"), blank=True)
    step_free_entrance = models.BooleanField(_("ieeja bez pakāpieniem"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("pielāgota tualete"), null=True, blank=True)
    parking = models.BooleanField(_("autostāvvieta"), null=True, blank=True)
    accessibility_notes = models.TextField(_("piezīmes par piekļūstamību"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("centra vadītāji"),
        related_name="managed_centres",
        blank=True,
    )
    is_published = models.BooleanField(_("publicēts"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("kopienu resursu centrs")
        verbose_name_plural = _("kopienu resursu centri")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fold_text_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("resource_centres:detail", self.slug)

    def fold_text_fields(self) -> None:
        """Refresh the folded copies (also for bulk_create, which bypasses save()).

        They let "kraslava" find "Krāslava" with a plain LIKE on every database, and sort
        "Ābeļu" next to "Aglonas" rather than after "Z" as a bytewise collation would.
        """
        self.search_text = fold(
            " ".join([self.name, self.settlement, self.host, self.municipality])
        )
        self.sort_name = sort_key(self.name)


class CentrePhoto(models.Model):
    centre = models.ForeignKey(
        ResourceCentre, on_delete=models.CASCADE, related_name="photos", verbose_name=_("centrs")
    )
    image = models.ImageField(_("attēls"), upload_to="centres/photos/")
    thumbnail = models.ImageField(upload_to="centres/thumbs/", editable=False, blank=True)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("alternatīvais teksts"),
        max_length=200,
        help_text=_(
            "Īsi aprakstiet, kas redzams attēlā, cilvēkam, kurš to neredz. "
            "Obligāts: to nolasa ekrāna lasītāji."
        ),
    )
    caption = models.CharField(_("paraksts"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("centra fotoattēls")
        verbose_name_plural = _("centra fotoattēli")

    def __str__(self):
        return self.alt_text


# The longest booking an item may allow and the longest buffer after one: together, the longest
# a booking can hold a unit (booking_models.LONGEST_HOLD).
MAX_BOOKING_MINUTES = 24 * 60
MAX_BUFFER_MINUTES = 240


@quick_choice_labels
class Equipment(models.Model):
    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Aprīkojums")
        SPACE = "space", _("Telpa vai vieta")

    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("centrs"),
    )
    name = models.CharField(_("nosaukums"), max_length=200)
    kind = models.CharField(_("veids"), max_length=10, choices=Kind.choices, default=Kind.EQUIPMENT)
    description = models.TextField(_("apraksts"), blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("skaits"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Vienādu vienību skaits: piecus datorus var rezervēt pieci cilvēki reizē."),
    )
    bookable = models.BooleanField(_("var rezervēt"), default=False)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)
    # --- Booking rules (resource_centres.booking_services) ---
    slot_minutes = models.PositiveSmallIntegerField(
        _("laika solis, minūtes"),
        choices=[(15, "15"), (30, "30"), (60, "60")],
        default=30,
        help_text=_("Rezervācijas sākas un beidzas šī soļa robežās."),
    )
    min_minutes = models.PositiveSmallIntegerField(
        _("īsākā rezervācija, minūtes"), default=30, validators=[MinValueValidator(15)]
    )
    max_minutes = models.PositiveSmallIntegerField(
        _("garākā rezervācija, minūtes"),
        default=240,
        validators=[MinValueValidator(15), MaxValueValidator(MAX_BOOKING_MINUTES)],
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("rezervē ne vairāk kā dienas uz priekšu"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("pārtraukums pēc katras rezervācijas, minūtes"),
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=_("Laiks sakopšanai vai atdzišanai: to nevar rezervēt nākamais."),
    )
    requires_approval = models.BooleanField(
        _("rezervācijas apstiprina centra vadītājs"),
        default=False,
        help_text=_("Ja nav atzīmēts, rezervācija apstiprinās uzreiz."),
    )
    needs_instruction = models.BooleanField(
        _("vajadzīga instruktāža"),
        default=False,
        help_text=_("Rezervēt var tikai cilvēki, kuriem instruktāža ir atzīmēta."),
    )
    weekly_hours_limit = models.PositiveSmallIntegerField(
        _("stundas nedēļā vienam cilvēkam"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("Tukšs: bez ierobežojuma."),
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("atcelt var līdz … stundām pirms sākuma"),
        default=2,
        validators=[MaxValueValidator(14 * 24)],
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("aprīkojums vai telpa")
        verbose_name_plural = _("aprīkojums un telpas")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="equipment_unique_per_centre"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="equipment_at_least_one_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(min_minutes__gte=15, min_minutes__lte=models.F("max_minutes")),
                name="equipment_booking_lengths_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.min_minutes and self.max_minutes and self.min_minutes > self.max_minutes:
            errors["max_minutes"] = _("Garākā rezervācija nevar būt īsāka par īsāko.")
        for name in ("min_minutes", "max_minutes"):
            value = getattr(self, name)
            if value and self.slot_minutes and value % self.slot_minutes:
                errors.setdefault(
                    name,
                    _("Garumam jādalās ar laika soli (%(step)s min).")
                    % {"step": self.slot_minutes},
                )
        if errors:
            raise ValidationError(errors)


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday()): Monday is 0."""

    MONDAY = 0, _("pirmdiena")
    TUESDAY = 1, _("otrdiena")
    WEDNESDAY = 2, _("trešdiena")
    THURSDAY = 3, _("ceturtdiena")
    FRIDAY = 4, _("piektdiena")
    SATURDAY = 5, _("sestdiena")
    SUNDAY = 6, _("svētdiena")


def overlapping_hours(rows) -> list[tuple]:
    """The pairs of rows of one weekday whose hours overlap (touching ends do not: a row to 13.00
    and the next from 13.00 are one long stretch). Rows need `weekday`, `opens` and `closes`."""
    by_day: dict[int, list] = {}
    for row in rows:
        by_day.setdefault(row.weekday, []).append(row)
    pairs = []
    for day_rows in by_day.values():
        day_rows.sort(key=lambda row: (row.opens, row.closes))
        for earlier, later in pairwise(day_rows):
            if later.opens < earlier.closes:
                pairs.append((earlier, later))
    return pairs


def overlap_error(pairs) -> ValidationError:
    """The Latvian message for overlapping rows, one line per pair."""
    return ValidationError(
        [
            ValidationError(
                _(
                    "%(weekday)s: laiki %(first)s un %(second)s pārklājas. Pusdienu pārtraukumam "
                    "ievadiet divas rindas, kas nepārklājas, piemēram, 9.00–12.00 un 13.00–17.00."
                ),
                code="overlapping_hours",
                params={
                    "weekday": Weekday(earlier.weekday).label.capitalize(),
                    "first": f"{time_of_day(earlier.opens)}–{time_of_day(earlier.closes)}",
                    "second": f"{time_of_day(later.opens)}–{time_of_day(later.closes)}",
                },
            )
            for earlier, later in pairs
        ]
    )


class WeeklyHours(models.Model):
    """One stretch of a weekday when the centre is open; a lunch break makes two rows."""

    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.CASCADE,
        related_name="weekly_hours",
        verbose_name=_("centrs"),
    )
    weekday = models.PositiveSmallIntegerField(_("nedēļas diena"), choices=Weekday.choices)
    opens = models.TimeField(_("atver"))
    closes = models.TimeField(_("slēdz"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("darba laiks nedēļas dienā")
        verbose_name_plural = _("darba laiks pa nedēļas dienām")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="weeklyhours_closes_after_opens",
                violation_error_message=_("Slēgšanas laikam jābūt vēlākam par atvēršanas laiku."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="weeklyhours_weekday_in_week",
                violation_error_message=_("Nedēļas dienai jābūt no pirmdienas līdz svētdienai."),
            ),
            models.UniqueConstraint(
                fields=["centre", "weekday", "opens"],
                name="weeklyhours_unique_start",
                violation_error_message=_(
                    "Šajā nedēļas dienā jau ir rinda, kas sākas tajā pašā laikā."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"

    def clean(self):
        # The admin checks a centre's rows together, as they will be after the save
        # (resource_centres.admin.WeeklyHoursFormSet), and says so through this flag: this
        # row's stored neighbours may be changing or going in the same submission.
        if getattr(self, "checked_with_its_day", False) or self.centre_id is None:
            return
        if self.weekday is None or self.opens is None or self.closes is None:
            return
        neighbours = WeeklyHours.objects.filter(centre_id=self.centre_id, weekday=self.weekday)
        if self.pk is not None:
            neighbours = neighbours.exclude(pk=self.pk)
        pairs = overlapping_hours([self, *neighbours])
        if pairs:
            raise overlap_error(pairs)


class OpeningException(models.Model):
    """A date when the weekly hours do not hold: closed all day (no times) or other hours."""

    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.CASCADE,
        related_name="opening_exceptions",
        verbose_name=_("centrs"),
    )
    date = models.DateField(_("datums"))
    opens = models.TimeField(
        _("atver"), null=True, blank=True, help_text=_("Tukšs, ja centrs visu dienu ir slēgts.")
    )
    closes = models.TimeField(
        _("slēdz"), null=True, blank=True, help_text=_("Tukšs, ja centrs visu dienu ir slēgts.")
    )
    reason = models.CharField(
        _("iemesls"), max_length=200, blank=True, help_text=_("Piemēram, „Ziemassvētki”.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("izņēmums darba laikā")
        verbose_name_plural = _("izņēmumi darba laikā (svētku dienas u. c.)")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False),
                name="openingexception_both_times_or_neither",
                violation_error_message=_(
                    "Norādiet gan atvēršanas, gan slēgšanas laiku vai atstājiet abus tukšus, "
                    "ja centrs visu dienu ir slēgts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opens__isnull=True) | Q(closes__gt=F("opens")),
                name="openingexception_closes_after_opens",
                violation_error_message=_("Slēgšanas laikam jābūt vēlākam par atvēršanas laiku."),
            ),
            models.UniqueConstraint(
                fields=["centre", "date"],
                name="openingexception_unique_date",
                violation_error_message=_("Šim datumam jau ir izņēmums."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y.} {self.reason}".strip()

    @property
    def closed_all_day(self) -> bool:
        return self.opens is None


# The bookings of equipment and rooms live in their own module; Django finds models here.
from .booking_models import Booking, Instruction, Maintenance  # noqa: E402, F401
