from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import quick_choice_labels
from core.municipalities import CHOICES as MUNICIPALITY_CHOICES
from core.paths import slug_path
from core.text import fold, sort_key
from resource_centres.models import ResourceCentre


class Community(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    name = models.CharField(_("nosaukums"), max_length=200)
    municipality = models.CharField(
        _("novads"), max_length=120, choices=MUNICIPALITY_CHOICES, db_index=True
    )
    description = models.TextField(_("apraksts"), blank=True)
    resource_centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("resursu centrs"),
    )
    is_published = models.BooleanField(_("publicēts"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("kopiena")
        verbose_name_plural = _("kopienas")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fold_text_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("communities:detail", self.slug)

    def fold_text_fields(self) -> None:
        """Folded copies for diacritic-blind search and Latvian-friendly sorting."""
        self.search_text = fold(" ".join([self.name, self.municipality]))
        self.sort_name = sort_key(self.name)


@quick_choice_labels
class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Dalībnieks")
        ACTIVIST = "activist", _("Aktīvists")
        LEADER = "leader", _("Līderis")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Gaida apstiprinājumu")
        ACTIVE = "active", _("Aktīvs")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("lietotājs"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kopiena")
    )
    role = models.CharField(_("loma"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)

    class Meta:
        ordering = ["community", "user"]
        verbose_name = _("dalība kopienā")
        verbose_name_plural = _("dalība kopienās")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.community}"


@quick_choice_labels
class MembershipChange(models.Model):
    """One line of a community's membership history (issue 17), written by the services only.

    The person's name is kept as it was, so the line still reads after the person's account is
    gone (the link to it is then empty and the name erased with it, see services.forget_member).
    """

    class Kind(models.TextChoices):
        JOINED = "joined", _("Apstiprināts dalībnieks")
        ROLE_CHANGED = "role_changed", _("Mainīta loma")
        REMOVED = "removed", _("Noņemts no kopienas")
        LEFT = "left", _("Pameta kopienu")
        WITHDRAWN = "withdrawn", _("Atsauca pieteikumu")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="membership_changes",
        verbose_name=_("kopiena"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_changes",
        verbose_name=_("persona"),
    )
    person_name = models.CharField(_("personas vārds"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mainīja"),
    )
    kind = models.CharField(_("notikums"), max_length=20, choices=Kind.choices)
    old_role = models.CharField(
        _("iepriekšējā loma"), max_length=10, choices=Membership.Role.choices, blank=True
    )
    new_role = models.CharField(
        _("jaunā loma"), max_length=10, choices=Membership.Role.choices, blank=True
    )
    message = models.TextField(_("ziņa"), blank=True)
    created_at = models.DateTimeField(_("laiks"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dalības izmaiņa")
        verbose_name_plural = _("dalības vēsture")
        indexes = [
            models.Index(fields=["community", "-created_at"], name="membership_change_recent")
        ]

    def __str__(self):
        return f"{self.person_name} – {self.get_kind_display()}"


class Profile(models.Model):
    """What the platform keeps about a person beyond their account: name lives on the user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("lietotājs"),
    )
    phone = models.CharField(_("tālrunis"), max_length=30, blank=True)
    # The interface language the person last signed in with: mails to them (from other people's
    # actions, such as a leader deciding their request) are written in it.
    language = models.CharField(
        _("valoda"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profils")
        verbose_name_plural = _("profili")

    def __str__(self):
        return str(self.user)


class ModelElement(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    summary = models.TextField(_("kopsavilkums"))
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("modeļa elements")
        verbose_name_plural = _("modeļa elementi")

    def __str__(self):
        return self.title


class TargetGroup(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    note = models.TextField(_("piezīme"), blank=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mērķa grupa")
        verbose_name_plural = _("mērķa grupas")

    def __str__(self):
        return self.title


class GlossaryTerm(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    term = models.CharField(_("jēdziens"), max_length=120)
    author = models.CharField(_("autors"), max_length=200, blank=True)
    text = models.TextField(_("teksts"))
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ceļazīme")
        verbose_name_plural = _("ceļazīmes")

    def __str__(self):
        return self.term


class Testimonial(models.Model):
    person = models.CharField(_("persona"), max_length=120)
    role = models.CharField(_("amats vai loma"), max_length=200, blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
        verbose_name=_("kopiena"),
    )
    text = models.TextField(_("teksts"))
    is_published = models.BooleanField(_("publicēts"), default=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("atsauksme")
        verbose_name_plural = _("atsauksmes")

    def __str__(self):
        return f"{self.person}: {self.text[:40]}"


class CapacityDimension(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("kopienas rīcībspējas dimensija")
        verbose_name_plural = _("kopienas rīcībspējas dimensijas")

    def __str__(self):
        return self.title


class ImpactFigure(models.Model):
    """The coordinators' wording of one impact figure's label. The value is counted from the
    records by the registry (kopienas.figures), under the same key."""

    key = models.SlugField(_("atslēga"), max_length=40, unique=True)
    label = models.CharField(_("skaidrojums"), max_length=200)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("iniciatīvas skaitlis")
        verbose_name_plural = _("iniciatīvas skaitļi")

    def __str__(self):
        return self.label


# --- Capacity self-assessment (issue 16) -------------------------------------------------------

# One fixed scale for every dimension and every version of the instrument: four levels, so a
# community has no "middle" to settle on and each level reads as a step.
CAPACITY_LEVELS = range(1, 5)
LOWEST_LEVEL = CAPACITY_LEVELS[0]
HIGHEST_LEVEL = CAPACITY_LEVELS[-1]


def _level_in_scale(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(level__gte=LOWEST_LEVEL, level__lte=HIGHEST_LEVEL), name=name
    )


class CapacityInstrument(models.Model):
    """One version of the self-assessment instrument: a text for every level of every dimension.

    The scale is fixed at four levels, the same in every version: 1 – sākums (the community has
    hardly begun), 2 – attīstība (some of it, now and then), 3 – stabila (it is there and it
    works), 4 – spēcīga (the community does it well and passes it on). A round keeps the version
    it was made with; results only compare rounds of one version, and a version a round uses
    can no longer be edited (the admin makes a new one instead).
    """

    number = models.PositiveSmallIntegerField(_("versija"), unique=True)
    is_published = models.BooleanField(
        _("publicēta"), default=False, help_text=_("Jaunas kārtas izmanto jaunāko publicēto.")
    )
    created_at = models.DateTimeField(_("izveidota"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("rīcībspējas novērtēšanas instruments")
        verbose_name_plural = _("rīcībspējas novērtēšanas instrumenti")

    def __str__(self):
        return _("Instrumenta %(number)s. versija") % {"number": self.number}


class CapacityLevel(models.Model):
    """What one level of one dimension means in one version of the instrument."""

    instrument = models.ForeignKey(
        CapacityInstrument,
        on_delete=models.CASCADE,
        related_name="levels",
        verbose_name=_("instruments"),
    )
    dimension = models.ForeignKey(
        CapacityDimension,
        on_delete=models.PROTECT,
        related_name="levels",
        verbose_name=_("dimensija"),
    )
    level = models.PositiveSmallIntegerField(_("līmenis"))
    text = models.TextField(_("apraksts"))

    class Meta:
        ordering = ["instrument", "dimension__order", "dimension", "level"]
        verbose_name = _("līmeņa apraksts")
        verbose_name_plural = _("līmeņu apraksti")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "dimension", "level"], name="capacity_level_unique"
            ),
            _level_in_scale("capacity_level_in_scale"),
        ]

    def __str__(self):
        return f"{self.dimension} – {self.level}"


class AssessmentRound(models.Model):
    """One self-assessment of a community: members answer alone between the opening and the
    closing day (both included, Riga's calendar), then the leader records the consensus."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Sākotnējais novērtējums")
        FOLLOW_UP = "follow_up", _("Atkārtots novērtējums")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
        verbose_name=_("kopiena"),
    )
    instrument = models.ForeignKey(
        CapacityInstrument,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("instruments"),
    )
    kind = models.CharField(_("veids"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("nosaukums"), max_length=200)
    opens_on = models.DateField(_("atvērta no"))
    closes_on = models.DateField(_("atvērta līdz"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atvēra"),
    )
    created_at = models.DateTimeField(_("izveidota"), auto_now_add=True)

    class Meta:
        ordering = ["community", "opens_on", "pk"]
        verbose_name = _("novērtēšanas kārta")
        verbose_name_plural = _("novērtēšanas kārtas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="assessment_round_closes_after_opening",
            )
        ]

    def __str__(self):
        return f"{self.community}: {self.title}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def dated_title(self) -> str:
        """The title with its year where rounds are compared ("Novērtējums (2022)"), unless the
        title already says it ("Sākotnējais novērtējums 2019")."""
        year = str(self.opens_on.year)
        return self.title if year in self.title else f"{self.title} ({year})"


class CapacityAnswer(models.Model):
    """One member's level for one dimension in one round. Saving again replaces it while the
    round is open; when the person's account goes, the answer stays without them."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="answers", verbose_name=_("kārta")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capacity_answers",
        verbose_name=_("persona"),
    )
    dimension = models.ForeignKey(
        CapacityDimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimensija")
    )
    level = models.PositiveSmallIntegerField(_("līmenis"))
    comment = models.TextField(_("komentārs"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("iesniegta"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mainīta"), auto_now=True)

    class Meta:
        ordering = ["round", "dimension__order", "pk"]
        verbose_name = _("dalībnieka atbilde")
        verbose_name_plural = _("dalībnieku atbildes")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "dimension"], name="capacity_answer_unique"
            ),
            _level_in_scale("capacity_answer_in_scale"),
        ]

    def __str__(self):
        return f"{self.round} – {self.dimension}: {self.level}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CapacityConsensus(models.Model):
    """The level a community agreed on for one dimension in one round, with its reasons."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="consensus",
        verbose_name=_("kārta"),
    )
    dimension = models.ForeignKey(
        CapacityDimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimensija")
    )
    level = models.PositiveSmallIntegerField(_("līmenis"))
    reason = models.TextField(_("pamatojums"), max_length=2000)
    evidence = models.TextField(_("pierādījumi"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ierakstīja"),
    )
    recorded_at = models.DateTimeField(_("ierakstīts"), auto_now=True)

    class Meta:
        ordering = ["round", "dimension__order", "pk"]
        verbose_name = _("kopienas vienošanās")
        verbose_name_plural = _("kopienas vienošanās")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "dimension"], name="capacity_consensus_unique"
            ),
            _level_in_scale("capacity_consensus_in_scale"),
        ]

    def __str__(self):
        return f"{self.round} – {self.dimension}: {self.level}"


@quick_choice_labels
class ActionItem(models.Model):
    """A step the community plans after a round, for one dimension; the next round reviews it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Plānots")
        IN_PROGRESS = "in_progress", _("Notiek")
        DONE = "done", _("Paveikts")
        DROPPED = "dropped", _("Atmests")

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("kārta"),
    )
    dimension = models.ForeignKey(
        CapacityDimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimensija")
    )
    text = models.CharField(_("darbība"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capacity_action_items",
        verbose_name=_("atbildīgais"),
    )
    due_on = models.DateField(_("termiņš"), null=True, blank=True)
    status = models.CharField(
        _("statuss"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["round", "dimension__order", "due_on", "pk"]
        verbose_name = _("rīcības plāna punkts")
        verbose_name_plural = _("rīcības plāna punkti")

    def __str__(self):
        return self.text
