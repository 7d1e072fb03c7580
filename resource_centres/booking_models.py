"""Bookings of the centres' equipment and rooms, the people instructed on an item, and the times
an item is closed for maintenance.

A booking holds one unit of an item (five computers are units 1-5) from `starts_at` until
`blocked_until`: its end plus the item's buffer after each booking. On PostgreSQL an exclusion
constraint (migration 0006) makes two pending or confirmed bookings of one unit whose blocked
times overlap impossible, whatever code path writes them; on SQLite the booking services check
under the database's write lock (resource_centres.booking_services).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import quick_choice_labels

from .models import MAX_BOOKING_MINUTES, MAX_BUFFER_MINUTES

# The longest one booking can hold a unit: the longest booking an item may allow plus the
# longest buffer (the validators of Equipment.max_minutes and buffer_minutes; the services
# refuse anything longer). A read of what holds a time bounds starts_at by it, so it walks a day
# of the (equipment, starts_at) index instead of an item's years of bookings.
LONGEST_HOLD = timedelta(minutes=MAX_BOOKING_MINUTES + MAX_BUFFER_MINUTES)


class BookingQuerySet(models.QuerySet):
    def holding(self, start: datetime, end: datetime) -> "BookingQuerySet":
        """Pending and confirmed bookings that hold their unit at some moment of [start, end),
        their buffer included."""
        return self.filter(
            status__in=Booking.ACTIVE,
            starts_at__lt=end,
            starts_at__gt=start - LONGEST_HOLD,
            blocked_until__gt=start,
        )


@quick_choice_labels
class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Gaida apstiprinājumu")
        CONFIRMED = "confirmed", _("Apstiprināta")
        DECLINED = "declined", _("Noraidīta")
        CANCELLED = "cancelled", _("Atcelta")

    # The statuses that hold the unit (and that the exclusion constraint covers).
    ACTIVE = (Status.PENDING, Status.CONFIRMED)

    equipment = models.ForeignKey(
        "resource_centres.Equipment",
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("aprīkojums vai telpa"),
    )
    unit = models.PositiveSmallIntegerField(_("vienība"), default=1)
    # Empty once the person deleted their account (booking_services.forget_booker): the time
    # stays for the centre's usage figures, with `forgotten_as` telling one person's bookings
    # apart from another's without saying who they were.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("kas rezervēja"),
    )
    forgotten_as = models.UUIDField(
        _("dzēsta konta atslēga"), null=True, blank=True, editable=False
    )
    starts_at = models.DateTimeField(_("sākums"))
    ends_at = models.DateTimeField(_("beigas"))
    blocked_until = models.DateTimeField(_("aizņemts līdz"), editable=False)
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    note = models.CharField(_("kam izmantosiet"), max_length=300, blank=True)
    language = models.CharField(_("saziņas valoda"), max_length=8, default="lv")
    series = models.UUIDField(_("atkārtojumu sērija"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("iemesls"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("izlēma"),
    )
    decided_at = models.DateTimeField(_("izlemts"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atcēla"),
    )
    cancelled_at = models.DateTimeField(_("atcelta"), null=True, blank=True)
    no_show = models.BooleanField(_("neieradās"), default=False)
    created_at = models.DateTimeField(_("izveidota"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīta"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("rezervācija")
        verbose_name_plural = _("rezervācijas")
        indexes = [
            models.Index(fields=["equipment", "starts_at"], name="booking_item_start"),
            models.Index(fields=["person", "starts_at"], name="booking_person_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=F("ends_at")), name="booking_blocked_after_end"
            ),
            models.CheckConstraint(condition=Q(unit__gte=1), name="booking_unit_positive"),
            models.CheckConstraint(
                condition=Q(no_show=False) | Q(status="confirmed"),
                name="booking_no_show_only_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.equipment} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Instruction(models.Model):
    """A person may use an item that needs instruction (a laser engraver, a kiln)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="instructions",
        verbose_name=_("cilvēks"),
    )
    equipment = models.ForeignKey(
        "resource_centres.Equipment",
        on_delete=models.CASCADE,
        related_name="instructions",
        verbose_name=_("aprīkojums vai telpa"),
    )
    instructed_on = models.DateField(_("instruktāžas datums"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atzīmēja"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instruktāžas pasākums"),
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)

    class Meta:
        ordering = ["-instructed_on", "pk"]
        verbose_name = _("instruktāža")
        verbose_name_plural = _("instruktāžas")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "equipment"], name="instruction_once_per_person_and_item"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.equipment}"


class Maintenance(models.Model):
    """An item closed for a time (repair, service): no bookings then."""

    equipment = models.ForeignKey(
        "resource_centres.Equipment",
        on_delete=models.CASCADE,
        related_name="maintenance",
        verbose_name=_("aprīkojums vai telpa"),
    )
    starts_at = models.DateTimeField(_("no"))
    ends_at = models.DateTimeField(_("līdz"))
    reason = models.CharField(_("iemesls"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("izveidoja"),
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("slēgts apkopei")
        verbose_name_plural = _("slēgts apkopei")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="maintenance_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.equipment} · {self.reason}"
