"""A round's history: who changed what in its assessment, decisions and status, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .assessment import Assessment
from .rounds import GrantRound


class HistoryEntry(models.Model):
    """Who changed what in a round's assessment, decisions and status, and when: before and
    after."""

    class Action(models.TextChoices):
        CONFLICT = "conflict", _("Interešu konflikta deklarācija")
        SCORES = "scores", _("Punkti un komentāri")
        SUBMITTED = "submitted", _("Vērtējums iesniegts")
        DECISION = "decision", _("Lēmums")
        PUBLISHED = "published", _("Rezultāti publicēti")
        NOTIFIED = "notified", _("Pieteicējam paziņots")
        STATUS = "status", _("Statuss mainīts")

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
