"""The centres' side of bookings in the admin: a centre's managers see and decide their centre's
bookings, record instructions and close items for maintenance; coordinators see every centre.

Every change goes through resource_centres.booking_services: the admin never edits a booking's
time, and adds no booking (they come from the site, where the rules are checked). Imported by
resource_centres.admin, so Django registers these with the rest of the app's admin.
"""

import csv
import io
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import formats
from core.spreadsheets import BOM, CSV_CONTENT_TYPE, LATVIAN_CSV_DELIMITER, latvian_csv_cell

from . import booking_services, permissions
from .booking_models import Booking, Instruction, Maintenance
from .models import Equipment, ResourceCentre

REASON_MAX = 1000

# --- Equipment: the booking rules -----------------------------------------------------------------

BOOKING_RULES = [
    "bookable",
    "slot_minutes",
    "min_minutes",
    "max_minutes",
    "horizon_days",
    "buffer_minutes",
    "requires_approval",
    "needs_instruction",
    "weekly_hours_limit",
    "cancel_cutoff_hours",
]


def manageable_items(user):
    """The equipment and rooms of the centres this person manages."""
    centres = permissions.manageable_centres(user, ResourceCentre.objects.all())
    return Equipment.objects.filter(centre__in=centres)


class CentreScopedAdmin(admin.ModelAdmin):
    """Rows of the centres the person manages only; another centre's row does not exist here."""

    # The path from the model to its centre.
    centre_path = "equipment__centre"

    def get_queryset(self, request):
        centres = permissions.manageable_centres(request.user, ResourceCentre.objects.all())
        return super().get_queryset(request).filter(**{f"{self.centre_path}__in": centres})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "equipment":
            kwargs["queryset"] = (
                manageable_items(request.user)
                .select_related("centre")
                .order_by("centre__name", "order", "name")
            )
        elif db_field.name == "centre":
            kwargs["queryset"] = permissions.manageable_centres(
                request.user, ResourceCentre.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Equipment)
class EquipmentAdmin(CentreScopedAdmin):
    """One item with its booking rules (the centre's page lists its items in a table)."""

    centre_path = "centre"
    list_display = ["name", "centre", "kind", "quantity", "bookable", "needs_instruction"]
    list_filter = ["bookable", "needs_instruction", "requires_approval", "kind"]
    search_fields = ["name", "centre__name"]
    list_select_related = ["centre"]
    fieldsets = [
        (None, {"fields": ["centre", "name", "kind", "description", "quantity", "order"]}),
        (_("Rezervēšana"), {"fields": BOOKING_RULES}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # An item stays at its centre: moving it would move its bookings to another manager.
        return ["centre"] if obj is not None else []


# --- Bookings -------------------------------------------------------------------------------------


class WhenFilter(admin.SimpleListFilter):
    title = _("laiks")
    parameter_name = "laiks"

    def lookups(self, request, model_admin):
        return [
            ("sodien", _("Šodien")),
            ("nedela", _("Šonedēļ")),
            ("gaidama", _("Gaidāmās")),
            ("pagajusi", _("Pagājušās")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = formats.riga_today()
        if self.value() == "sodien":
            return queryset.filter(
                starts_at__lt=_midnight(today + timedelta(days=1)), ends_at__gt=_midnight(today)
            )
        if self.value() == "nedela":
            monday = today - timedelta(days=today.weekday())
            return queryset.filter(
                starts_at__lt=_midnight(monday + timedelta(days=7)), ends_at__gt=_midnight(monday)
            )
        if self.value() == "gaidama":
            return queryset.filter(ends_at__gt=now)
        if self.value() == "pagajusi":
            return queryset.filter(ends_at__lte=now)
        return queryset


class ItemFilter(admin.SimpleListFilter):
    """The items of the person's own centres only (another centre's names are not theirs)."""

    title = _("aprīkojums vai telpa")
    parameter_name = "prieksmets"

    def lookups(self, request, model_admin):
        items = (
            manageable_items(request.user)
            .filter(bookable=True)
            .select_related("centre")
            .order_by("centre__name", "order", "name")
        )
        several = permissions.is_coordinator(request.user)
        return [
            (str(item.pk), f"{item.centre.name}: {item.name}" if several else item.name)
            for item in items
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(equipment_id=int(value))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=formats.RIGA)


def person_name(user) -> str:
    if user is None:
        return _("dzēsts konts")
    full_name = user.get_full_name()
    return f"{full_name} ({user.email})" if full_name else user.email or user.get_username()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Iemesls"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Cilvēks, kurš rezervēja, to saņems e-pastā."),
        error_messages={
            "required": _("Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."),
            "max_length": _("Iemesls ir pārāk garš: ne vairāk kā %(limit_value)d rakstzīmes."),
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(
                gettext("Uzrakstiet iemeslu: to saņems cilvēks, kurš rezervēja."), code="required"
            )
        return reason


@admin.register(Booking)
class BookingAdmin(CentreScopedAdmin):
    list_display = ["when", "equipment", "unit", "who", "status", "no_show"]
    list_filter = ["status", ItemFilter, WhenFilter]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    list_select_related = ["equipment__centre", "person"]
    ordering = ["starts_at", "pk"]
    actions = ["approve", "decline", "cancel", "mark_no_show", "unmark_no_show"]
    fields = [
        "equipment",
        "unit",
        "who",
        "when",
        "status",
        "note",
        "reason",
        "no_show",
        "decided_by",
        "decided_at",
        "cancelled_by",
        "cancelled_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("laiks"), ordering="starts_at")
    def when(self, booking):
        return formats.riga_period(booking.starts_at, booking.ends_at)

    @admin.display(description=_("kas rezervēja"), ordering="person__last_name")
    def who(self, booking):
        return person_name(booking.person)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # "Change" is deciding (the actions); the form itself is read-only.
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.can_manage_centre(request.user, obj.equipment.centre)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or permissions.can_manage_centre(request.user, obj.equipment.centre)

    # --- Actions: each booking through its service, refusals told one by one ---

    def _each(self, request, queryset, decide, done_message) -> None:
        done = 0
        for booking in queryset.select_related("equipment__centre", "person"):
            try:
                decide(booking)
            except booking_services.BookingError as error:
                self.message_user(
                    request,
                    f"{self.when(booking)}, {booking.equipment.name}: {error.messages[0]}",
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Apstiprināt"), permissions=["change"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: booking_services.approve_booking(booking=booking, actor=request.user),
            lambda done: (
                ngettext(
                    "Apstiprināta %(count)s rezervācija.",
                    "Apstiprinātas %(count)s rezervācijas.",
                    done,
                )
                % {"count": done}
            ),
        )

    def _with_reason(self, request, queryset, *, action, title, button, decide, done_message):
        """The page that asks for the reason, then the decision for each selected booking."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda booking: decide(booking, reason),
                done_message,
            )
            return None
        return TemplateResponse(
            request,
            "admin/resource_centres/booking/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "bookings": list(queryset.select_related("equipment__centre", "person")),
                "action": action,
                "button": button,
                "selected_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Noraidīt ar iemeslu"), permissions=["change"])
    def decline(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="decline",
            title=gettext("Noraidīt rezervācijas"),
            button=gettext("Noraidīt"),
            decide=lambda booking, reason: booking_services.decline_booking(
                booking=booking, actor=request.user, reason=reason
            ),
            done_message=lambda done: (
                ngettext(
                    "Noraidīta %(count)s rezervācija.", "Noraidītas %(count)s rezervācijas.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Atcelt ar iemeslu"), permissions=["change"])
    def cancel(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="cancel",
            title=gettext("Atcelt rezervācijas"),
            button=gettext("Atcelt rezervācijas"),
            decide=lambda booking, reason: booking_services.cancel_by_centre(
                booking=booking, actor=request.user, reason=reason
            ),
            done_message=lambda done: (
                ngettext("Atcelta %(count)s rezervācija.", "Atceltas %(count)s rezervācijas.", done)
                % {"count": done}
            ),
        )

    @admin.action(description=_("Atzīmēt: neieradās"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._no_show(request, queryset, True)

    @admin.action(description=_("Noņemt atzīmi „neieradās”"), permissions=["change"])
    def unmark_no_show(self, request, queryset):
        self._no_show(request, queryset, False)

    def _no_show(self, request, queryset, no_show: bool) -> None:
        self._each(
            request,
            queryset,
            lambda booking: booking_services.mark_no_show(
                booking=booking, actor=request.user, no_show=no_show
            ),
            lambda done: (
                ngettext(
                    "Atzīmēta %(count)s rezervācija.", "Atzīmētas %(count)s rezervācijas.", done
                )
                % {"count": done}
            ),
        )

    # --- The day sheet and the usage figures ---

    def get_urls(self):
        return [
            path(
                "diena/",
                self.admin_site.admin_view(self.day_sheet),
                name="resource_centres_booking_day",
            ),
            path(
                "lietojums/",
                self.admin_site.admin_view(self.usage),
                name="resource_centres_booking_usage",
            ),
            path(
                "lietojums.csv",
                self.admin_site.admin_view(self.usage_csv),
                name="resource_centres_booking_usage_csv",
            ),
            *super().get_urls(),
        ]

    def _centre(self, request) -> ResourceCentre:
        """The centre named by ?centrs=: 403 without the bookings' view permission, 404 when it
        is not one this person manages (or is no number)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        value = request.GET.get("centrs", "")
        if not value.isdigit() or len(value) > 18:
            raise Http404
        centre = permissions.manageable_centres(
            request.user, ResourceCentre.objects.filter(pk=int(value))
        ).first()
        if centre is None:
            raise Http404
        return centre

    def day_sheet(self, request):
        centre = self._centre(request)
        value = request.GET.get("datums") or formats.riga_today().isoformat()
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise Http404 from None
        items = booking_selectors_day(centre, day)
        return TemplateResponse(
            request,
            "admin/resource_centres/booking/day_sheet.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Dienas rezervācijas"),
                "centre": centre,
                "day": day,
                "items": items,
                "opts": self.model._meta,
            },
        )

    def _year(self, request) -> int:
        value = request.GET.get("gads") or str(formats.riga_today().year)
        if not value.isdigit() or not 2000 <= int(value) <= 2100:
            raise Http404
        return int(value)

    def usage(self, request):
        centre = self._centre(request)
        year = self._year(request)
        return TemplateResponse(
            request,
            "admin/resource_centres/booking/usage.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Aprīkojuma un telpu lietojums"),
                "centre": centre,
                "year": year,
                "rows": centre_usage(centre=centre, year=year),
                "csv_url": reverse("admin:resource_centres_booking_usage_csv")
                + f"?centrs={centre.pk}&gads={year}",
                "opts": self.model._meta,
            },
        )

    def usage_csv(self, request):
        centre = self._centre(request)
        year = self._year(request)
        buffer = io.StringIO()
        buffer.write(BOM)
        csv.writer(buffer, delimiter=LATVIAN_CSV_DELIMITER).writerows(
            [latvian_csv_cell(value) for value in row]
            for row in usage_table(centre_usage(centre=centre, year=year))
        )
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="lietojums-{centre.slug}-{year}.csv"'
        )
        return response


def booking_selectors_day(centre: ResourceCentre, day: date) -> list[tuple[Equipment, list]]:
    """Each bookable item of the centre with its pending and confirmed bookings on `day` (Riga),
    in time order: two queries."""
    items = list(centre.equipment.filter(bookable=True).order_by("order", "name"))
    by_item: dict[int, list[Booking]] = {item.pk: [] for item in items}
    for booking in (
        Booking.objects.filter(
            equipment__in=items,
            status__in=Booking.ACTIVE,
            starts_at__lt=_midnight(day + timedelta(days=1)),
            ends_at__gt=_midnight(day),
        )
        .select_related("person")
        .order_by("starts_at", "unit", "pk")
    ):
        by_item[booking.equipment_id].append(booking)
    return [(item, by_item[item.pk]) for item in items]


def centre_usage(*, centre: ResourceCentre, year: int) -> list:
    """The usage rows of a centre's items in a year, computed where communities may be read
    (settings.BOOKING_USAGE names the function: kopienas.booking_usage.centre_usage)."""
    return import_string(settings.BOOKING_USAGE)(centre=centre, year=year)


def usage_table(rows) -> list[list]:
    """The CSV: a header and one line per item and month."""
    return [
        [
            gettext("Aprīkojums vai telpa"),
            gettext("Mēnesis"),
            gettext("Rezervētās stundas"),
            gettext("Cilvēki"),
            gettext("Kopienas"),
            gettext("Neieradās (rezervācijas)"),
        ],
        *(
            [
                row.equipment.name,
                row.month.strftime("%Y-%m"),
                row.hours,
                row.people,
                row.communities,
                row.no_shows,
            ]
            for row in rows
        ),
    ]


# --- Instructions ---------------------------------------------------------------------------------


class InstructionForm(forms.ModelForm):
    """The person is named by their e-mail address (managers do not browse the accounts)."""

    email = forms.EmailField(
        label=_("Cilvēka e-pasts"),
        max_length=254,
        help_text=_("Adrese, ar kuru cilvēks ir reģistrējies šajā vietnē."),
    )

    class Meta:
        model = Instruction
        fields = ["equipment", "instructed_on"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise ValidationError(
                gettext(
                    "Šajā vietnē nav konta ar šo e-pasta adresi. Cilvēkam vispirms jāreģistrējas."
                ),
                code="no_account",
            )
        self.person = person
        return email

    def clean_instructed_on(self):
        day = self.cleaned_data["instructed_on"]
        if day > formats.riga_today():
            raise ValidationError(gettext("Instruktāžas datums nevar būt nākotnē."), code="future")
        return day

    def clean(self):
        cleaned = super().clean()
        person, equipment = getattr(self, "person", None), cleaned.get("equipment")
        if (
            person is not None
            and equipment is not None
            and Instruction.objects.filter(person=person, equipment=equipment).exists()
        ):
            self.add_error(
                "email",
                gettext("Šim cilvēkam instruktāža par „%(item)s” jau ir atzīmēta.")
                % {"item": equipment.name},
            )
        return cleaned


@admin.register(Instruction)
class InstructionAdmin(CentreScopedAdmin):
    form = InstructionForm
    list_display = ["who", "equipment", "centre", "instructed_on", "event"]
    list_filter = ["instructed_on"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "equipment__name"]
    list_select_related = ["person", "equipment__centre", "event"]
    date_hierarchy = None

    @admin.display(description=_("cilvēks"), ordering="person__last_name")
    def who(self, instruction):
        return person_name(instruction.person)

    @admin.display(description=_("centrs"), ordering="equipment__centre__name")
    def centre(self, instruction):
        return instruction.equipment.centre.name

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "equipment", "instructed_on"]
        return ["who", "equipment", "instructed_on", "event", "recorded_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["who", "equipment", "instructed_on", "event", "recorded_by", "created_at"]

    def get_changeform_initial_data(self, request):
        return {"instructed_on": formats.riga_today()}

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        instruction = booking_services.record_instruction(
            person=form.person,
            equipment=form.cleaned_data["equipment"],
            actor=request.user,
            on=form.cleaned_data["instructed_on"],
        )
        obj.pk = instruction.pk
        obj.person = instruction.person

    def save_related(self, request, form, formsets, change):
        pass


# --- Maintenance ----------------------------------------------------------------------------------


class MaintenanceForm(forms.ModelForm):
    class Meta:
        model = Maintenance
        fields = ["equipment", "starts_at", "ends_at", "reason"]
        error_messages = {
            "reason": {"required": _("Uzrakstiet iemeslu.")},
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", gettext("Beigām jābūt vēlāk par sākumu."))
        return cleaned

    def _post_clean(self):
        # The service creates the row (with the bookings it cancels); the model's own checks of
        # the same rules would repeat the messages above.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(Maintenance)
class MaintenanceAdmin(CentreScopedAdmin):
    form = MaintenanceForm
    list_display = ["equipment", "centre", "period", "reason"]
    list_select_related = ["equipment__centre"]
    search_fields = ["equipment__name", "reason"]

    @admin.display(description=_("centrs"), ordering="equipment__centre__name")
    def centre(self, maintenance):
        return maintenance.equipment.centre.name

    @admin.display(description=_("laiks"), ordering="starts_at")
    def period(self, maintenance):
        return formats.riga_period(maintenance.starts_at, maintenance.ends_at)

    def get_readonly_fields(self, request, obj=None):
        return ["equipment", "starts_at", "ends_at", "reason", "created_by"] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        maintenance, cancelled = booking_services.close_for_maintenance(
            equipment=form.cleaned_data["equipment"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        obj.pk = maintenance.pk
        request._cancelled_for_maintenance = len(cancelled)

    def save_related(self, request, form, formsets, change):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        count = getattr(request, "_cancelled_for_maintenance", 0)
        if not count:
            message = gettext("„%(item)s” slēgts apkopei. Šajā laikā rezervāciju nebija.") % {
                "item": obj.equipment.name
            }
            self.message_user(request, message, messages.SUCCESS)
            return self.response_post_save_add(request, obj)
        self.message_user(
            request,
            ngettext(
                "„%(item)s” slēgts apkopei. Atcelta %(count)s rezervācija; cilvēks saņēma "
                "e-pastu ar iemeslu.",
                "„%(item)s” slēgts apkopei. Atceltas %(count)s rezervācijas; cilvēki saņēma "
                "e-pastu ar iemeslu.",
                count,
            )
            % {"item": obj.equipment.name, "count": count},
            messages.SUCCESS,
        )
        return self.response_post_save_add(request, obj)
