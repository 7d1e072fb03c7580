import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, ModelElement, TargetGroup
from core.formats import money

MONEY = {"max_digits": 10, "decimal_places": 2}
# Nothing, as a sum of amounts: what a query's Coalesce falls back to when there is no row.
ZERO = Value(Decimal(0), output_field=models.DecimalField(max_digits=12, decimal_places=2))


def private_storage():
    # A callable, so tests (and deployments) can point STORAGES["private"] elsewhere.
    return storages["private"]


def new_draft_key() -> str:
    # Addresses a draft before it has a reference; unguessable, though access is checked anyway.
    return secrets.token_urlsafe(12)


class GrantRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Sagatavošanā")
        OPEN = "open", _("Izsludināts")
        ASSESSMENT = "assessment", _("Vērtēšana")
        DECISIONS = "decisions", _("Lēmumu pieņemšana")
        RESULTS = "results", _("Rezultāti publicēti")

    # The round's status rules live here and nowhere else. Applications are closed and the
    # round is assessed, decided or published:
    CLOSED = (Status.ASSESSMENT, Status.DECISIONS, Status.RESULTS)
    # Decisions may be recorded and results published (or published again):
    DECIDING = (Status.DECISIONS, Status.RESULTS)
    # Where a coordinator may move a round by hand: forward one step at a time (a round in
    # preparation may also be opened and closed again), with one step back from decisions to
    # assessment. Results are published only by publishing (grants.services.publish_results).
    STATUS_CHANGES = {
        Status.DRAFT: (Status.DRAFT, Status.OPEN),
        Status.OPEN: (Status.DRAFT, Status.OPEN, Status.ASSESSMENT),
        Status.ASSESSMENT: (Status.ASSESSMENT, Status.DECISIONS),
        Status.DECISIONS: (Status.ASSESSMENT, Status.DECISIONS),
        Status.RESULTS: (Status.RESULTS,),
    }

    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    year = models.PositiveSmallIntegerField(_("gads"))
    summary = models.CharField(_("īss apraksts"), max_length=300, blank=True)
    description = models.TextField(_("apraksts"))
    rules = models.TextField(_("nolikums"), blank=True)
    opens_at = models.DateTimeField(_("pieteikšanās sākas"))
    closes_at = models.DateTimeField(_("pieteikšanās beidzas"))
    implementation_starts = models.DateField(_("īstenošanas sākums"))
    implementation_ends = models.DateField(_("īstenošanas beigas"))
    total_budget = models.DecimalField(
        _("kopējais budžets, EUR"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_grant = models.DecimalField(
        _("lielākais atbalsts vienam projektam, EUR"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    status = models.CharField(
        _("statuss"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="grant_rounds", verbose_name=_("mērķgrupas")
    )
    reference_code = models.CharField(
        _("pieteikumu numuru sākums"),
        max_length=20,
        unique=True,
        help_text=_("Piemēram, DK-2026: pieteikumi saņems numurus DK-2026-001, DK-2026-002, …"),
    )
    # The last reference number handed out; raised under a row lock on first submission.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assessed_rounds",
        verbose_name=_("vērtētāji"),
    )
    disagreement_threshold = models.DecimalField(
        _("vērtētāju nesaskaņas slieksnis, punkti"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "Ja viena pieteikuma vērtējumi (0–100 skalā) atšķiras vairāk par šo, pieteikums "
            "tiek atzīmēts kā pretrunīgi vērtēts."
        ),
    )
    results_published_at = models.DateTimeField(
        _("rezultāti publicēti"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("konkurss")
        verbose_name_plural = _("konkursi")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(implementation_ends__gte=F("implementation_starts")),
                name="round_implementation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_grant__gt=0) & Q(max_grant__lte=F("total_budget")),
                name="round_max_grant_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(disagreement_threshold__gte=0) & Q(disagreement_threshold__lte=100),
                name="round_disagreement_threshold_0_100",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:round_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.validate_status()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.pk:
            # Decisions already taken bind the budget: it cannot shrink below them.
            awarded = self.applications.awards()
            if (
                self.total_budget is not None
                and awarded["total"]
                and (self.total_budget < awarded["total"])
            ):
                errors["total_budget"] = _(
                    "Jau piešķirti %(awarded)s: budžets nevar būt mazāks."
                ) % {"awarded": money(awarded["total"])}
            if (
                self.max_grant is not None
                and awarded["largest"]
                and (self.max_grant < awarded["largest"])
            ):
                errors["max_grant"] = _(
                    "Vienam projektam jau piešķirti %(awarded)s: lielākais atbalsts nevar būt "
                    "mazāks."
                ) % {"awarded": money(awarded["largest"])}
        if errors:
            raise ValidationError(errors)

    def validate_status(self) -> None:
        """Assessment and what follows it begin only once applications are closed."""
        if self.status in self.CLOSED and self.closes_at and self.closes_at > timezone.now():
            raise ValidationError(
                {"status": _("Vērtēšanu var sākt tikai pēc pieteikšanās beigām.")}
            )


class Criterion(models.Model):
    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("konkurss")
    )
    title = models.CharField(_("kritērijs"), max_length=200)
    guidance = models.TextField(_("norādes vērtētājiem"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maksimālie punkti"), validators=[MinValueValidator(1)]
    )
    weight = models.DecimalField(
        _("svars"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("secība"), default=0)
    comment_required = models.BooleanField(
        _("komentārs obligāts"),
        default=True,
        help_text=_("Vērtētājam savs vērtējums šajā kritērijā jāpamato ar komentāru."),
    )

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("vērtēšanas kritērijs")
        verbose_name_plural = _("vērtēšanas kritēriji")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_points_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.title


class ApplicationQuerySet(models.QuerySet):
    def awards(self) -> dict[str, Decimal | None]:
        """What these applications were awarded: the "total" (0 when nothing) and the "largest"
        single award, over the supported ones still in the competition. The one sum behind the
        round's budget check, the award ceiling and the decision page (grants.selectors)."""
        return self.filter(
            decision=Application.Decision.SUPPORTED, status__in=Application.COMPETING
        ).aggregate(
            total=Coalesce(Sum("awarded_amount"), ZERO),
            largest=Max("awarded_amount"),
        )


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Melnraksts")
        SUBMITTED = "submitted", _("Iesniegts")
        WITHDRAWN = "withdrawn", _("Atsaukts")
        DECIDED = "decided", _("Lēmums pieņemts")

    class Decision(models.TextChoices):
        SUPPORTED = "supported", _("Atbalstīts")
        RESERVE = "reserve", _("Rezerves sarakstā")
        NOT_SUPPORTED = "not_supported", _("Nav atbalstīts")

    # In the competition: submitted (or already decided), never drafts or withdrawn ones.
    COMPETING = (Status.SUBMITTED, Status.DECIDED)

    # What the applicant writes, in the form's order. The form, the services, the serializer
    # and the admin take their field lists from these.
    TEXT_FIELDS = ("title", "summary", "needs", "goals", "activities", "timeline", "partners")
    CONTENT_FIELDS = ("community", *TEXT_FIELDS, "starts_on", "ends_on", "expected_participants")
    # Chosen from lists; saved once the application has a row.
    RELATION_FIELDS = ("target_groups", "model_elements")

    round = models.ForeignKey(
        GrantRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("konkurss"),
    )
    # Emptied when the applicant deletes their account; the submitted application stays.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("pieteicējs"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("kopiena"),
    )
    draft_key = models.CharField(max_length=32, unique=True, default=new_draft_key, editable=False)
    number = models.PositiveIntegerField(_("kārtas numurs"), null=True, blank=True, editable=False)
    reference = models.CharField(
        _("numurs"), max_length=32, null=True, blank=True, unique=True, editable=False
    )
    title = models.CharField(_("iniciatīvas nosaukums"), max_length=200, blank=True)
    summary = models.TextField(_("kopsavilkums"), max_length=1500, blank=True)
    needs = models.TextField(_("kopienas vajadzības"), max_length=4000, blank=True)
    goals = models.TextField(_("mērķi"), max_length=4000, blank=True)
    activities = models.TextField(_("aktivitātes"), max_length=6000, blank=True)
    timeline = models.TextField(_("laika plāns"), max_length=4000, blank=True)
    partners = models.TextField(_("sadarbības partneri"), max_length=4000, blank=True)
    starts_on = models.DateField(_("īstenošanas sākums"), null=True, blank=True)
    ends_on = models.DateField(_("īstenošanas beigas"), null=True, blank=True)
    expected_participants = models.PositiveIntegerField(
        _("plānotais dalībnieku skaits"), null=True, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="applications", verbose_name=_("mērķgrupas")
    )
    model_elements = models.ManyToManyField(
        ModelElement,
        blank=True,
        related_name="applications",
        verbose_name=_("modeļa elementi"),
    )
    status = models.CharField(
        _("statuss"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Raised by every save: a form sent with an older version was opened before someone else's
    # change (optimistic locking), or is a resent copy of a form already handled.
    version = models.PositiveIntegerField(_("versija"), default=1, editable=False)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)
    submitted_at = models.DateTimeField(_("iesniegts"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("atsaukts"), null=True, blank=True, editable=False)
    decision = models.CharField(
        _("lēmums"), max_length=16, choices=Decision.choices, blank=True, default=""
    )
    awarded_amount = models.DecimalField(_("piešķirtā summa, EUR"), **MONEY, null=True, blank=True)
    decision_message = models.TextField(_("ziņa pieteicējam"), blank=True)
    notified_at = models.DateTimeField(_("paziņots"), null=True, blank=True, editable=False)
    # What the applicant was told, as told: the public results and /mans/ show these, so a
    # decision changed after publication reaches nobody until a coordinator re-notifies.
    notified_decision = models.CharField(
        _("paziņotais lēmums"),
        max_length=16,
        choices=Decision.choices,
        blank=True,
        default="",
        editable=False,
    )
    notified_amount = models.DecimalField(
        _("paziņotā summa, EUR"), **MONEY, null=True, blank=True, editable=False
    )
    notified_message = models.TextField(_("paziņotā ziņa"), blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "number", "created_at"]
        verbose_name = _("pieteikums")
        verbose_name_plural = _("pieteikumi")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                condition=Q(number__isnull=False),
                name="application_number_unique_per_round",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="application_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True) | Q(awarded_amount__gt=0),
                name="application_award_positive",
            ),
            models.CheckConstraint(
                condition=Q(decision="supported") | Q(awarded_amount__isnull=True),
                name="application_award_only_when_supported",
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status"])]

    def __str__(self):
        return self.reference or self.title or str(_("Pieteikuma melnraksts"))

    def get_absolute_url(self):
        return reverse("grants:application_detail", kwargs={"key": self.key})

    @property
    def key(self) -> str:
        """The address part: the reference once submitted, the draft key before that."""
        return self.reference or self.draft_key

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        MATERIALS = "materials", _("Materiāli")
        EQUIPMENT = "equipment", _("Aprīkojums")
        SERVICES = "services", _("Pakalpojumi")
        CATERING = "catering", _("Ēdināšana")
        TRANSPORT = "transport", _("Transports")
        PREMISES = "premises", _("Telpu noma")
        OTHER = "other", _("Citi izdevumi")

    # A line as the applicant types it, in the table's order.
    CONTENT_FIELDS = ("item", "category", "quantity", "unit_price", "own_contribution")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("pieteikums"),
    )
    item = models.CharField(_("pozīcija"), max_length=200, blank=True)
    category = models.CharField(
        _("kategorija"), max_length=12, choices=Category.choices, default=Category.MATERIALS
    )
    quantity = models.DecimalField(_("daudzums"), **MONEY, null=True, blank=True)
    unit_price = models.DecimalField(_("vienības cena, EUR"), **MONEY, null=True, blank=True)
    own_contribution = models.DecimalField(_("līdzfinansējums, EUR"), **MONEY, default=Decimal(0))
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["application", "order", "pk"]
        verbose_name = _("budžeta pozīcija")
        verbose_name_plural = _("budžeta pozīcijas")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="budget_quantity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__isnull=True) | Q(unit_price__gte=0),
                name="budget_unit_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(own_contribution__gte=0), name="budget_own_contribution_not_negative"
            ),
        ]

    def __str__(self):
        return self.item

    @property
    def total(self) -> Decimal:
        return ((self.quantity or 0) * (self.unit_price or 0)).quantize(Decimal("0.01"))

    @property
    def requested(self) -> Decimal:
        return self.total - self.own_contribution


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("pieteikums"),
    )
    file = models.FileField(_("datne"), storage=private_storage, upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("datnes nosaukums"), max_length=255)
    content_type = models.CharField(_("veids"), max_length=40, choices=Kind.choices)
    size = models.PositiveIntegerField(_("izmērs, baiti"))
    uploaded_at = models.DateTimeField(_("augšupielādēts"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("pielikums")
        verbose_name_plural = _("pielikumi")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "grants:attachment_download", kwargs={"key": self.application.key, "pk": self.pk}
        )


class ApplicationRevision(models.Model):
    """A snapshot of an application as submitted, and after every later change or withdrawal."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Iesniegts")
        CHANGED = "changed", _("Labots pēc iesniegšanas")
        WITHDRAWN = "withdrawn", _("Atsaukts")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("pieteikums"),
    )
    kind = models.CharField(_("notikums"), max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField(_("versija"))
    created_at = models.DateTimeField(_("laiks"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autors"),
    )
    snapshot = models.JSONField(_("saturs"))

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("pieteikuma versija")
        verbose_name_plural = _("pieteikuma versijas")

    def __str__(self):
        return f"{self.application} – {self.get_kind_display()}"


class Assessment(models.Model):
    """One assessor's scoring of one application: first a conflict-of-interest declaration, then
    points and a comment per criterion, saved as a draft until submitted."""

    class Conflict(models.TextChoices):
        UNDECLARED = "", _("Nav deklarēts")
        NONE = "none", _("Interešu konflikta nav")
        DECLARED = "declared", _("Ir interešu konflikts")

    class AutoConflict(models.TextChoices):
        NONE = "", _("Nav")
        APPLICANT = "applicant", _("Vērtētājs ir pieteicējs")
        MEMBER = "member", _("Vērtētājs ir pieteicējas kopienas dalībnieks")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Melnraksts")
        SUBMITTED = "submitted", _("Iesniegts")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("pieteikums"),
    )
    # Emptied when the assessor deletes their account: the scores stay in the round's records.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="assessments",
        verbose_name=_("vērtētājs"),
    )
    conflict = models.CharField(
        _("interešu konflikts"),
        max_length=10,
        choices=Conflict.choices,
        blank=True,
        default=Conflict.UNDECLARED,
    )
    conflict_reason = models.TextField(_("konflikta apraksts"), max_length=2000, blank=True)
    # Found by the platform itself; such an assessment is excluded whatever was declared.
    auto_conflict = models.CharField(
        _("platformas atrasts konflikts"),
        max_length=10,
        choices=AutoConflict.choices,
        blank=True,
        default=AutoConflict.NONE,
        editable=False,
    )
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Stored on submission by grants.selectors.weighted_total, the one place that computes it.
    weighted_total = models.DecimalField(
        _("vērtējums (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("versija"), default=1, editable=False)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)
    submitted_at = models.DateTimeField(_("iesniegts"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["application", "assessor_id"]
        verbose_name = _("vērtējums")
        verbose_name_plural = _("vērtējumi")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="assessment_one_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(weighted_total__isnull=True)
                | (Q(weighted_total__gte=0) & Q(weighted_total__lte=100)),
                name="assessment_total_0_100",
            ),
        ]
        indexes = [models.Index(fields=["assessor", "status"])]

    def __str__(self):
        return f"{self.application} – {self.assessor}"

    @property
    def has_conflict(self) -> bool:
        return self.conflict == self.Conflict.DECLARED or bool(self.auto_conflict)

    @property
    def counts(self) -> bool:
        """Whether this assessment enters the application's figures."""
        return self.status == self.Status.SUBMITTED and not self.has_conflict


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("vērtējums")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("kritērijs")
    )
    points = models.PositiveSmallIntegerField(_("punkti"), null=True, blank=True)
    comment = models.TextField(_("komentārs"), max_length=4000, blank=True)

    class Meta:
        ordering = ["assessment", "criterion__order", "criterion_id"]
        verbose_name = _("punktu vērtējums")
        verbose_name_plural = _("punktu vērtējumi")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="score_one_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class HistoryEntry(models.Model):
    """Who changed what in a round's assessment and decisions, and when: before and after."""

    class Action(models.TextChoices):
        CONFLICT = "conflict", _("Interešu konflikta deklarācija")
        SCORES = "scores", _("Punkti un komentāri")
        SUBMITTED = "submitted", _("Vērtējums iesniegts")
        DECISION = "decision", _("Lēmums")
        PUBLISHED = "published", _("Rezultāti publicēti")
        NOTIFIED = "notified", _("Pieteicējam paziņots")

    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="history", verbose_name=_("konkurss")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("pieteikums"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("vērtējums"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kas"),
    )
    action = models.CharField(_("darbība"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("kad"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("pirms"), default=dict, blank=True)
    after = models.JSONField(_("pēc"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("vēstures ieraksts")
        verbose_name_plural = _("vērtēšanas un lēmumu vēsture")

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
