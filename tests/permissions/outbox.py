"""Permission-matrix rows of the outbox (see tests/test_permission_matrix.py): the outgoing
mails are coordinators' to see and send again in the admin; other staff are refused."""

from core.models import OutgoingMail
from tests.permissions.roles import FORBIDDEN, OK, admin_only

MAILS = "/admin/core/outgoingmail/"
FAILED_MAILS = "/admin/core/outgoingmail/?status__exact=failed"
MAIL_CHANGE = "/admin/core/outgoingmail/{mail_pk}/change/"
MAIL_HISTORY = "/admin/core/outgoingmail/{mail_pk}/history/"


def _coordinators(path):
    return admin_only(
        path, centre_manager=FORBIDDEN, assessor=FORBIDDEN, coordinator=OK, superuser=OK
    )


MATRIX = {}

ADMIN_MATRIX = {
    "admin:core_outgoingmail_changelist": [
        (MAILS, _coordinators(MAILS)),
        (FAILED_MAILS, _coordinators(FAILED_MAILS)),
    ],
    "admin:core_outgoingmail_change": [(MAIL_CHANGE, _coordinators(MAIL_CHANGE))],
    "admin:core_outgoingmail_history": [(MAIL_HISTORY, _coordinators(MAIL_HISTORY))],
}


def setup(people) -> dict[str, object]:
    mail = OutgoingMail.objects.create(
        cause="booking:1:approved",
        recipient="iedzivotajs@example.lv",
        kind="resource_centres/mail/booking_approved",
        language="lv",
        subject="Rezervācija apstiprināta",
        body="Labdien!",
        message_id="<matrica@127.0.0.1>",
        status=OutgoingMail.Status.FAILED,
        attempts=5,
    )
    return {"mail_pk": mail.pk}
