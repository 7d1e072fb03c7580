"""The outbox in the admin: coordinators see every mail the platform sent or is sending, find
the failed ones, and send them again ("Sūtīt vēlreiz"). Nobody writes or deletes a mail here;
who may look is the model permissions' decision (core/migrations/0004_outbox_roles.py)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "cause"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["send_again"]
    fields = [
        "status",
        "recipient",
        "kind",
        "cause",
        "language",
        "subject",
        "text",
        "attachment_names",
        "message_id",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("teksts"))
    def text(self, obj):
        if obj.secret:
            return _(
                "Netiek rādīts: vēstulē ir vienreizēja saite vai kods piekļuvei kontam. "
                "Pēc nosūtīšanas teksts tiek dzēsts."
            )
        return obj.body

    @admin.display(description=_("pielikumi"))
    def attachment_names(self, obj):
        return ", ".join(attachment["name"] for attachment in obj.attachments) or "–"

    @admin.action(description=_("Sūtīt vēlreiz"), permissions=["change"])
    def send_again(self, request, queryset):
        count = outbox.send_again(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)s vēstule atkal gaida sūtīšanu.",
                "%(count)s vēstules atkal gaida sūtīšanu.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
