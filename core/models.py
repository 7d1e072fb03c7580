from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    """What `manage.py load_latgale` made from one entry of the data file, and how.

    The loader finds its rows through these records, never through fields people may edit
    (slug, name), so a renamed or re-slugged row is still recognised, and a deleted one is not
    made again. `fingerprint` hashes the values the loader last wrote to the row: while the row
    still hashes to it, nobody has edited it since. See `core.seeding`.
    """

    # "app_label.modelname": a plain label rather than a ContentType, whose ids differ between
    # databases and change when post_migrate recreates them (after a flush, for one).
    model = models.CharField(max_length=100)
    seed_key = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model", "seed_key"]
        verbose_name = _("ielādēto datu ieraksts")
        verbose_name_plural = _("ielādēto datu ieraksti")
        constraints = [
            models.UniqueConstraint(fields=["model", "seed_key"], name="seedrecord_unique_key"),
            models.UniqueConstraint(fields=["model", "object_id"], name="seedrecord_unique_object"),
        ]

    def __str__(self):
        return f"{self.model}:{self.seed_key}"


class OutgoingMail(models.Model):
    """One mail to send (DESIGN §4, "Outbox"): written in the transaction of the change that
    causes it, rendered then (so it says what was true at that moment), sent by the worker
    (`core.outbox.deliver`). This row is the truth about the mail; the task queue only wakes
    the worker, so the task library could be swapped without losing a mail.

    (cause, recipient, kind) is unique: queueing the same mail twice, from a double submit or a
    retried fan-out, finds the row already there and sends nothing more.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("gaida")
        SENDING = "sending", _("sūta")
        SENT = "sent", _("nosūtīts")
        FAILED = "failed", _("neizdevās")

    cause = models.CharField(_("iemesls"), max_length=200)
    recipient = models.EmailField(_("saņēmējs"), max_length=254)
    kind = models.CharField(_("veids"), max_length=100)
    language = models.CharField(_("valoda"), max_length=10)
    subject = models.CharField(_("temats"), max_length=998)
    body = models.TextField(_("teksts"))
    # A mail holding a one-time link or code (allauth's password reset, address confirmation):
    # the admin never shows its text, and the text is erased once the mail is sent, so neither
    # a coordinator nor a backup can use the link.
    secret = models.BooleanField(_("ar slepenu saiti"), default=False)
    # [{"name", "content" (text, or base64 when "base64" is true), "mimetype"}]
    attachments = models.JSONField(_("pielikumi"), default=list, blank=True)
    # Further headers of the mail: {"List-Unsubscribe": "<https://…>", …}.
    headers = models.JSONField(_("galvenes"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("mēģinājumi"), default=0)
    last_error = models.CharField(_("pēdējā kļūda"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("nākamais mēģinājums"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sākts sūtīt"), null=True, blank=True)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    sent_at = models.DateTimeField(_("nosūtīts"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("izejošā vēstule")
        verbose_name_plural = _("izejošās vēstules")
        constraints = [
            models.UniqueConstraint(
                fields=["cause", "recipient", "kind"], name="outgoingmail_unique_cause"
            ),
        ]
        indexes = [
            # The worker's sweep (pending or stuck rows) and the admin's status filter.
            models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_status"),
            models.Index(fields=["recipient"], name="outgoingmail_recipient"),
            models.Index(fields=["-created_at", "-id"], name="outgoingmail_created"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
