"""Grant rounds and their assessment criteria. A round's statuses, their named sets and the
way through them are GrantRound's own (CLOSED, DECIDING, STATUS_CHANGES)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import TargetGroup
from core.choices import quick_choice_labels
from core.formats import money

from .amounts import MONEY


@quick_choice_labels
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
    report_due_days = models.PositiveSmallIntegerField(
        _("atskaites termiņš, dienas pēc īstenošanas beigām"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Atbalstīto iniciatīvu noslēguma atskaites jāiesniedz tik dienu pēc īstenošanas "
            "beigām. Vienai iniciatīvai koordinators var termiņu pagarināt."
        ),
    )
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
    last_number = models.PositiveIntegerField(
        _("pēdējais piešķirtais numurs"), default=0, editable=False
    )
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
