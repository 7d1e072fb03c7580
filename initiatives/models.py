from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community, ModelElement, TargetGroup


class Initiative(models.Model):
    """A local initiative being carried out or done; a supported application starts one."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Plānota")
        IN_PROGRESS = "in_progress", _("Notiek")
        COMPLETED = "completed", _("Īstenota")
        CANCELLED = "cancelled", _("Atcelta")

    slug = models.SlugField(_("adreses daļa"), max_length=100, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("kopiena"),
    )
    year = models.PositiveSmallIntegerField(_("gads"))
    summary = models.TextField(_("kopsavilkums"), blank=True)
    story = models.TextField(_("stāsts"), blank=True)
    status = models.CharField(
        _("statuss"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    application = models.OneToOneField(
        "grants.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative",
        verbose_name=_("pieteikums"),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="initiatives", verbose_name=_("mērķgrupas")
    )
    model_elements = models.ManyToManyField(
        ModelElement, blank=True, related_name="initiatives", verbose_name=_("modeļa elementi")
    )
    participants = models.PositiveIntegerField(_("dalībnieki"), null=True, blank=True)
    organisations = models.PositiveIntegerField(
        _("iesaistītās organizācijas"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("iniciatīva")
        verbose_name_plural = _("iniciatīvas")

    def __str__(self):
        return self.title
