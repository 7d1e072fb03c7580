"""Assessments: one assessor's scoring of one application, and the points per criterion."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .rounds import Criterion, GrantRound


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


class AssessmentInvitation(models.Model):
    """The mail telling an assessor that a round is open for assessment. The row is the proof it
    was sent: one per round and assessor, however often the round (re)enters assessment."""

    round = models.ForeignKey(
        GrantRound,
        on_delete=models.CASCADE,
        related_name="assessment_invitations",
        verbose_name=_("konkurss"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("vērtētājs"),
    )
    sent_at = models.DateTimeField(_("nosūtīts"), auto_now_add=True)

    class Meta:
        verbose_name = _("uzaicinājums vērtēt")
        verbose_name_plural = _("uzaicinājumi vērtēt")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "assessor"], name="assessment_invitation_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.round} – {self.assessor}"
