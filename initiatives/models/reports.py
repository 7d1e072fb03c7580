"""The final report an initiative's team writes after the work: planned against done, money per
budget line, reach per target group, institutions by name, receipts and photos.

The report's review state is its initiative's status (submitted, returned, accepted); the report
keeps what the team wrote, with a version for optimistic locking, so two people editing at once
are told rather than overwritten.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import ModelElement, TargetGroup
from grants.models import MONEY, BudgetLine, private_storage

from .initiatives import Initiative, Institution


class FinalReport(models.Model):
    # The most of each kind one report holds, however it is saved (initiatives.services).
    MAX_INSTITUTIONS = 100
    MAX_RECEIPTS = 30
    MAX_PHOTOS = 12

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="report", verbose_name=_("iniciatīva")
    )
    # Planned against done: what was planned is the application's (shown beside), this is done.
    activities_done = models.TextField(_("ko izdarījām"), blank=True)
    results = models.TextField(_("rezultāti"), blank=True)
    next_steps = models.TextField(_("kas notiks tālāk"), blank=True)
    story = models.TextField(_("stāsts"), blank=True)
    participants = models.PositiveIntegerField(_("dalībnieku skaits kopā"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("brīvprātīgo skaits"), null=True, blank=True)
    own_contribution = models.DecimalField(
        _("līdzfinansējums, EUR"), **MONEY, null=True, blank=True
    )
    model_elements = models.ManyToManyField(
        ModelElement, blank=True, related_name="+", verbose_name=_("īstenotie modeļa elementi")
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="reports", verbose_name=_("iesaistītās iestādes")
    )
    version = models.PositiveIntegerField(_("versija"), default=1)
    updated_at = models.DateTimeField(_("saglabāts"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saglabāja"),
    )
    submitted_at = models.DateTimeField(_("iesniegta"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("koordinatora komentārs"), blank=True)
    accepted_at = models.DateTimeField(_("pieņemta"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("noslēguma atskaite")
        verbose_name_plural = _("noslēguma atskaites")
        constraints = [
            models.CheckConstraint(
                condition=Q(own_contribution__isnull=True) | Q(own_contribution__gte=0),
                name="report_own_contribution_not_negative",
            )
        ]

    def __str__(self):
        return str(self.initiative)


class ReportSpending(models.Model):
    """One budget line of the application: the grant money planned for it and spent on it."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="spending", verbose_name=_("atskaite")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("budžeta pozīcija"),
    )
    item = models.CharField(_("pozīcija"), max_length=200)
    planned = models.DecimalField(_("plānots, EUR"), **MONEY, default=Decimal(0))
    spent = models.DecimalField(_("izlietots, EUR"), **MONEY, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("izdevumu pozīcija")
        verbose_name_plural = _("izdevumi")
        constraints = [
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__gte=0), name="spending_not_negative"
            ),
            models.UniqueConstraint(
                fields=["report", "budget_line"],
                condition=Q(budget_line__isnull=False),
                name="spending_one_per_budget_line",
            ),
        ]

    def __str__(self):
        return self.item

    @property
    def difference(self) -> Decimal | None:
        """Spent minus planned: negative when less was spent than planned."""
        return None if self.spent is None else self.spent - self.planned


class ReportReach(models.Model):
    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="reach", verbose_name=_("atskaite")
    )
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("mērķgrupa")
    )
    count = models.PositiveIntegerField(_("skaits"))

    class Meta:
        ordering = ["target_group__order", "target_group__pk"]
        verbose_name = _("sasniegtā mērķgrupa")
        verbose_name_plural = _("sasniegtās mērķgrupas")
        constraints = [
            models.UniqueConstraint(fields=["report", "target_group"], name="report_reach_unique")
        ]

    def __str__(self):
        return f"{self.target_group}: {self.count}"


class ReportReceipt(models.Model):
    """A receipt or other proof of spending: private, like an application's attachments."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("atskaite")
    )
    file = models.FileField(_("datne"), storage=private_storage, upload_to="receipts/%Y/%m/")
    original_name = models.CharField(_("datnes nosaukums"), max_length=255)
    content_type = models.CharField(_("veids"), max_length=40)
    size = models.PositiveIntegerField(_("izmērs, baiti"))
    uploaded_at = models.DateTimeField(_("augšupielādēts"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("izdevumus apliecinošs dokuments")
        verbose_name_plural = _("izdevumus apliecinoši dokumenti")

    def __str__(self):
        return self.original_name


class ReportPhoto(models.Model):
    """A photo of the initiative: re-encoded without metadata (core.images), kept private until
    the initiative is published, shown only with alt text and the team's consent."""

    report = models.ForeignKey(
        FinalReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("atskaite")
    )
    image = models.ImageField(_("attēls"), storage=private_storage, upload_to="report-photos/")
    thumbnail = models.ImageField(
        storage=private_storage, upload_to="report-photos/", editable=False, blank=True
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(_("alternatīvais teksts"), max_length=200)
    caption = models.CharField(_("paraksts"), max_length=250, blank=True)
    consent = models.BooleanField(_("cilvēki fotoattēlā piekrīt tā publicēšanai"), default=False)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)
    uploaded_at = models.DateTimeField(_("augšupielādēts"), auto_now_add=True)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("fotoattēls")
        verbose_name_plural = _("fotoattēli")
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="report_photo_consent"),
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="report_photo_alt_text_required"
            ),
        ]

    def __str__(self):
        return self.alt_text
