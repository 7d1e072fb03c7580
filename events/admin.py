"""Events in the admin: coordinators see all, a centre's managers their centre's."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.images import process_photo
from core.roles import is_coordinator
from resource_centres.admin import ACCEPTED_IMAGE_TYPES
from resource_centres.models import Equipment, ResourceCentre
from resource_centres.permissions import manageable_centres
from resource_centres.services import discarding_photo_files_on_rollback

from . import exports, services
from . import permissions as event_permissions
from . import selectors as event_selectors
from .models import Event, EventGroupCount, Registration
from .urls import RESERVED_SLUGS

# --- Events -------------------------------------------------------------------------------------


class EventForm(forms.ModelForm):
    image = forms.FileField(
        label=_("Attēls"),
        required=False,
        help_text=_(
            "JPEG, PNG vai WebP, līdz 10 MB un 40 megapikseļiem. "
            "Atrašanās vietas dati tiek izdzēsti."
        ),
        widget=AdminFileWidget(attrs={"accept": ACCEPTED_IMAGE_TYPES}),
    )
    cancel_event = forms.BooleanField(
        label=_("Atcelt pasākumu"),
        required=False,
        help_text=_(
            "Visi pieteikušies saņems e-pastu ar atcelšanas iemeslu; kalendāros tas būs atcelts."
        ),
    )
    close_event = forms.BooleanField(
        label=_("Noslēgt pasākumu ar pārskatu"),
        required=False,
        help_text=_("Pēc pasākuma: dalībnieku un organizāciju skaits nonāk sākumlapas skaitļos."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "kind",
            "format",
            "description",
            "is_published",
            "starts_at",
            "ends_at",
            "centre",
            "address",
            "online_url",
            "community",
            "registration_mode",
            "capacity",
            "registration_deadline",
            "external_registration_url",
            "target_groups",
            "model_elements",
            "instructs",
            "image",
            "image_alt",
            "cancellation_reason",
            "attendees_count",
            "organisations_count",
            "report",
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(gettext("Šī adreses daļa ir aizņemta; izvēlieties citu."))
        return slug

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or "image" not in self.changed_data:
            return upload
        self.processed_photo = process_photo(upload)
        return self.processed_photo.image

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image")) and cleaned.get("image") is not False
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", gettext("Aprakstiet attēlu: to nolasa ekrāna lasītāji."))
        if cleaned.get("cancel_event") and not (cleaned.get("cancellation_reason") or "").strip():
            self.add_error(
                "cancellation_reason", gettext("Norādiet iemeslu: to saņems visi pieteikušies.")
            )
        ends_at = cleaned.get("ends_at") or self.instance.ends_at
        if cleaned.get("close_event") and ends_at and ends_at > timezone.now():
            self.add_error("close_event", str(services.CLOSE_TOO_EARLY))
        if cleaned.get("close_event"):
            for field in ("attendees_count", "organisations_count"):
                if cleaned.get(field) is None:
                    self.add_error(field, gettext("Noslēdzot pasākumu, norādiet skaitu."))
        mode = cleaned.get("registration_mode")
        if mode == Event.RegistrationMode.EXTERNAL and not cleaned.get("external_registration_url"):
            self.add_error("external_registration_url", gettext("Norādiet saiti, kur pieteikties."))
        if (
            "centre" not in self.errors
            and not cleaned.get("centre")
            and not (cleaned.get("address") or "").strip()
            and cleaned.get("format") != Event.Format.ONLINE
        ):
            self.add_error("address", gettext("Norādiet centru vai adresi."))
        return cleaned


class EventGroupCountInline(admin.TabularInline):
    model = EventGroupCount
    extra = 1
    verbose_name_plural = _("Dalībnieki pa mērķa grupām (saskaitīti pasākumā)")


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    fields = [
        "name",
        "email",
        "seats",
        "status",
        "institution",
        "needs",
        "photo_consent",
        "attended",
    ]
    readonly_fields = ["name", "email", "seats", "status", "institution", "needs", "photo_consent"]

    def get_readonly_fields(self, request, obj=None):
        # Attendance is marked once the event has begun (events.services.mark_attendance).
        if obj is None or obj.starts_at > timezone.now():
            return [*self.readonly_fields, "attended"]
        return self.readonly_fields

    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Registration.Status.CANCELLED)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = [
        "title",
        "kind",
        "starts_at",
        "centre",
        "seats_confirmed",
        "capacity",
        "is_published",
        "cancelled_at",
        "closed_at",
    ]
    list_filter = ["kind", "format", "is_published", "centre"]
    search_fields = ["title", "description", "address"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["centre", "community"]
    filter_horizontal = ["target_groups", "model_elements", "instructs"]
    list_select_related = ["centre"]
    readonly_fields = ["seats_confirmed", "sequence", "cancelled_at", "closed_at", "staff_links"]
    inlines = [RegistrationInline, EventGroupCountInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "format", "description", "is_published"]}),
        (
            _("Laiks un vieta"),
            {"fields": ["starts_at", "ends_at", "centre", "address", "online_url", "community"]},
        ),
        (
            pgettext_lazy("pasākums", "Pieteikšanās"),
            {
                "fields": [
                    "registration_mode",
                    "capacity",
                    "seats_confirmed",
                    "registration_deadline",
                    "external_registration_url",
                ]
            },
        ),
        (_("Kam un par ko"), {"fields": ["target_groups", "model_elements", "instructs"]}),
        (_("Attēls"), {"fields": ["image", "image_alt"]}),
        (pgettext_lazy("pasākums", "Dalībnieki"), {"fields": ["staff_links"]}),
        (
            _("Atcelšana"),
            {"fields": ["cancel_event", "cancellation_reason", "cancelled_at"]},
        ),
        (
            _("Pārskats pēc pasākuma"),
            {
                "fields": [
                    "close_event",
                    "attendees_count",
                    "organisations_count",
                    "report",
                    "closed_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return event_permissions.manageable_events(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_cancelled:
            # A cancellation was mailed with its reason: it is not undone or reworded here.
            return [*self.readonly_fields, "cancellation_reason"]
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        if obj is None or not obj.is_cancelled:
            return self.fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "cancel_event"]})
            for name, options in self.fieldsets
        ]

    def get_autocomplete_fields(self, request):
        # A centre manager may not search communities in the admin (no view permission on
        # them) and picks from their own centres: plain selects serve them.
        return self.autocomplete_fields if is_coordinator(request.user) else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            kwargs["queryset"] = manageable_centres(request.user, ResourceCentre.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "instructs":
            # The bookable items of the person's own centres; attending instructs on them.
            kwargs["queryset"] = (
                Equipment.objects.filter(
                    centre__in=manageable_centres(request.user, ResourceCentre.objects.all()),
                    bookable=True,
                )
                .select_related("centre")
                .order_by("centre__name", "order", "name")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not is_coordinator(request.user) and "centre" in form.base_fields:
            # A centre manager's events belong to their centre: the field cannot be left empty.
            form.base_fields["centre"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or event_permissions.can_manage_event(request.user, obj)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or event_permissions.can_manage_event(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or event_permissions.can_manage_event(request.user, obj)

    @admin.display(description=_("Saraksti"))
    def staff_links(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:events_event_signin", args=[obj.pk]),
            gettext("Parakstu lapa drukāšanai"),
            reverse("admin:events_event_export", args=[obj.pk, "csv"]),
            gettext("Dalībnieki CSV"),
            reverse("admin:events_event_export", args=[obj.pk, "xlsx"]),
            gettext("Dalībnieki XLSX"),
            reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}",
            gettext("Atzīmēt apmeklējumu"),
        )

    def save_model(self, request, obj, form, change):
        processed = getattr(form, "processed_photo", None)
        if processed is not None:
            services.set_event_image(event=obj, processed=processed)
        elif "image" in form.changed_data and not obj.image:
            obj.thumbnail = ""
        services.save_event(event=obj, changed=form.changed_data)
        if form.cleaned_data.get("cancel_event"):
            services.cancel_event(event=obj, reason=form.cleaned_data["cancellation_reason"])
            obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Around the admin's own transaction: photo files of a save that fails are removed.
        with discarding_photo_files_on_rollback(using=router.db_for_write(Event)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        services.delete_events(events=Event.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_events(events=queryset)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Registration:
            return super().save_formset(request, form, formset, change)
        # Attendance is the one field staff change here; it goes through the service, which
        # also records the instruction an instruction event gives.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk and "attended" in inline_form.changed_data:
                services.mark_attendance(
                    registrations=Registration.objects.filter(pk=inline_form.instance.pk),
                    attended=inline_form.cleaned_data["attended"],
                )
                formset.changed_objects.append((inline_form.instance, ["attended"]))
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("close_event"):
            event = form.instance
            services.close_event(
                event=event,
                attendees_count=form.cleaned_data["attendees_count"],
                organisations_count=form.cleaned_data["organisations_count"],
                report=form.cleaned_data.get("report") or "",
            )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/parakstu-lapa/",
                self.admin_site.admin_view(self.signin_sheet),
                name="events_event_signin",
            ),
            path(
                "<int:pk>/dalibnieki.<str:fmt>",
                self.admin_site.admin_view(self.export_attendees),
                name="events_event_export",
            ),
        ]
        return urls + super().get_urls()

    def _managed_event(self, request, pk) -> Event:
        event = self.get_queryset(request).filter(pk=pk).first()
        if event is None:
            raise Http404
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        return event

    def signin_sheet(self, request, pk):
        event = self._managed_event(request, pk)
        return TemplateResponse(
            request,
            "admin/events/event/signin_sheet.html",
            {
                **self.admin_site.each_context(request),
                "event": event,
                "registrations": event_selectors.event_registrations(event=event).filter(
                    status=Registration.Status.CONFIRMED
                ),
                "title": gettext("Parakstu lapa"),
            },
        )

    def export_attendees(self, request, pk, fmt):
        event = self._managed_event(request, pk)
        if fmt not in exports.FORMATS:
            raise Http404
        registrations = event_selectors.event_registrations(event=event)
        return exports.attendees_response(event=event, registrations=registrations, fmt=fmt)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "seats", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "photo_consent", "event__kind"]
    list_editable = ["attended"]
    search_fields = ["name", "email", "institution", "event__title"]
    list_select_related = ["event"]
    readonly_fields = [
        "event",
        "user",
        "name",
        "email",
        "seats",
        "needs",
        "photo_consent",
        "institution",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    ]
    fields = [*readonly_fields[:10], "attended", *readonly_fields[10:]]
    actions = ["mark_attended", "mark_not_attended", "export_csv", "export_xlsx"]

    def get_queryset(self, request):
        events = event_permissions.manageable_events(request.user, Event.objects.all())
        return super().get_queryset(request).filter(event__in=events)

    def has_add_permission(self, request):
        # Registrations come through the site, where capacity and the waiting list are kept.
        return False

    def save_model(self, request, obj, form, change):
        # Only attendance is editable here (the list and the form): through the service.
        if "attended" in form.changed_data:
            services.mark_attendance(
                registrations=Registration.objects.filter(pk=obj.pk), attended=obj.attended
            )

    @admin.action(description=_("Atzīmēt: piedalījās"), permissions=["change"])
    def mark_attended(self, request, queryset):
        count = services.mark_attendance(registrations=queryset, attended=True)
        self.message_user(
            request, gettext("Atzīmēto dalībnieku skaits: %(count)s.") % {"count": count}
        )
        self._not_begun(request, queryset, count)

    @admin.action(description=_("Atzīmēt: nepiedalījās"), permissions=["change"])
    def mark_not_attended(self, request, queryset):
        count = services.mark_attendance(registrations=queryset, attended=False)
        self.message_user(
            request, gettext("Atzīmēto pieteikumu skaits: %(count)s.") % {"count": count}
        )
        self._not_begun(request, queryset, count)

    def _not_begun(self, request, queryset, marked: int) -> None:
        left = queryset.exclude(status=Registration.Status.CANCELLED).count() - marked
        if left:
            self.message_user(
                request,
                ngettext(
                    "%(count)s pieteikums netika atzīmēts: pasākums vēl nav sācies.",
                    "%(count)s pieteikumi netika atzīmēti: pasākums vēl nav sācies.",
                    left,
                )
                % {"count": left},
                messages.WARNING,
            )

    @admin.action(description=_("Eksportēt CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return exports.attendees_response(event=None, registrations=queryset, fmt="csv")

    @admin.action(description=_("Eksportēt XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return exports.attendees_response(event=None, registrations=queryset, fmt="xlsx")
