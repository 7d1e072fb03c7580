"""Applications and what belongs to each: its budget lines, attachments and revisions. The
application's own field lists and its competing statuses are Application's (TEXT_FIELDS,
CONTENT_FIELDS, RELATION_FIELDS, COMPETING); what a set of applications was awarded is
Application.objects.awards()."""

import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community, ModelElement, TargetGroup
from core.choices import quick_choice_labels

from .amounts import MONEY, ZERO
from .rounds import GrantRound


def private_storage():
    # A callable, so tests (and deployments) can point STORAGES["private"] elsewhere.
    return storages["private"]


# What the server issues as a draft key: 32 hex digits, never a reference's "<code>-<number>".
DRAFT_KEY_SHAPE = re.compile(r"\A[0-9a-f]{32}\Z")


def new_draft_key() -> str:
    """Addresses a draft before it has a reference; unguessable, though access is checked anyway.
    Only the server makes one (grants.forms signs what a new form carries), so no client can
    pick a key that names someone else's application."""
    return uuid.uuid4().hex


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


@quick_choice_labels
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
    # The most lines one application's budget has, however it is saved (grants.services).
    MAX_PER_APPLICATION = 100

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("pieteikums"),
    )
    item = models.CharField(_("pozīcija"), max_length=200, blank=True)
    # Chosen by the applicant, never assumed: no default.
    category = models.CharField(_("kategorija"), max_length=12, choices=Category.choices)
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
