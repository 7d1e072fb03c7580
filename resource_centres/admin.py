from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import router
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formats import riga_today
from core.images import process_photo

from . import booking_admin, permissions, services  # noqa: F401  booking_admin registers
from .models import (
    CentrePhoto,
    Equipment,
    OpeningException,
    ResourceCentre,
    WeeklyHours,
    overlap_error,
    overlapping_hours,
)

ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp"
# How far back the admin lists a centre's opening exceptions.
PAST_EXCEPTIONS = timedelta(days=31)


class CentrePhotoForm(forms.ModelForm):
    # A plain file field: the content check is ours (process_photo), with its Latvian messages.
    image = forms.FileField(
        label=_("Attēls"),
        help_text=_(
            "JPEG, PNG vai WebP, līdz 10 MB un 40 megapikseļiem. "
            "Atrašanās vietas dati tiek izdzēsti."
        ),
        # The browser offers only these files; the server still checks every upload's content.
        widget=AdminFileWidget(attrs={"accept": ACCEPTED_IMAGE_TYPES}),
    )

    class Meta:
        model = CentrePhoto
        fields = ["image", "alt_text", "caption", "order"]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if "image" not in self.changed_data:
            return upload
        self.processed_photo = process_photo(upload)
        return self.processed_photo.image

    def save(self, commit=True):
        processed = getattr(self, "processed_photo", None)
        if processed is None:
            return super().save(commit)
        if not commit:
            # The re-encoded photo and its thumbnail are written together with the row.
            raise ValueError("A new centre photo is saved with its files: use commit=True.")
        photo = super().save(commit=False)
        services.store_photo(photo=photo, processed=processed)
        self.save_m2m()
        return photo


class CentrePhotoFormSet(BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        if commit:
            services.delete_centre_photo(photo=obj)


class CentrePhotoInline(admin.TabularInline):
    model = CentrePhoto
    form = CentrePhotoForm
    formset = CentrePhotoFormSet
    # One empty row, so a photo can be added without the admin's JavaScript.
    extra = 1
    fields = ["image", "alt_text", "caption", "order"]


class EquipmentInline(admin.TabularInline):
    model = Equipment
    extra = 0
    fields = ["name", "kind", "description", "quantity", "bookable", "order"]
    # The booking rules are on the item's own page (resource_centres.booking_admin).
    show_change_link = True


class WeeklyHoursForm(forms.ModelForm):
    class Meta:
        model = WeeklyHours
        fields = ["weekday", "opens", "closes"]

    def clean(self):
        cleaned_data = super().clean()
        # WeeklyHoursFormSet compares the rows of a day as they will be after the save; the
        # model's own check against the stored rows would trip over rows changed alongside.
        self.instance.checked_with_its_day = True
        return cleaned_data


class WeeklyHoursFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form.instance
            for form in self.forms
            # Not an empty extra row, nor one ticked for deletion.
            if (form.has_changed() or form.instance.pk is not None)
            and not self._should_delete_form(form)
        ]
        pairs = overlapping_hours(rows)
        if pairs:
            raise overlap_error(pairs)


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    form = WeeklyHoursForm
    formset = WeeklyHoursFormSet
    # Two empty rows: a lunch break needs two, and no JavaScript is needed to add them.
    extra = 2
    fields = ["weekday", "opens", "closes"]


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 1
    fields = ["date", "opens", "closes", "reason"]

    def get_queryset(self, request):
        # Last month's holidays are history; the list must not grow year after year.
        return super().get_queryset(request).filter(date__gte=riga_today() - PAST_EXCEPTIONS)


def _person(user) -> str:
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class ResourceCentreForm(forms.ModelForm):
    def clean_managers(self):
        managers = self.cleaned_data["managers"]
        eligible = set(permissions.eligible_centre_managers(managers).values_list("pk", flat=True))
        refused = [user for user in managers if user.pk not in eligible]
        if refused:
            raise ValidationError(
                [
                    ValidationError(
                        gettext(
                            "%(person)s nevar vadīt centru: sadaļā „Lietotāji” šim kontam jābūt "
                            "atzīmētam „Aktīvs” un „Personāla statuss” un jābūt grupā "
                            "„Centru vadītāji”."
                        ),
                        code="not_a_centre_manager",
                        params={"person": _person(user)},
                    )
                    for user in refused
                ]
            )
        return managers


@admin.register(ResourceCentre)
class ResourceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "settlement", "municipality", "is_published", "coords_approximate"]
    list_filter = ["municipality", "is_published", "setting", "coords_approximate"]
    search_fields = ["name", "settlement", "host", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    form = ResourceCentreForm
    # Searched through the user admin: a list of every account would not scale.
    autocomplete_fields = ["managers"]
    inlines = [CentrePhotoInline, EquipmentInline, WeeklyHoursInline, OpeningExceptionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "host", "setting", "description", "is_published"]}),
        (
            _("Atrašanās vieta"),
            {
                "fields": [
                    "settlement",
                    "municipality",
                    "address",
                    ("latitude", "longitude"),
                    "coords_approximate",
                ]
            },
        ),
        (
            _("Kontakti un darba laiks"),
            {"fields": ["opening_hours", "contact_person", "phone", "email"]},
        ),
        (
            _("Piekļūstamība"),
            {
                "fields": [
                    "step_free_entrance",
                    "accessible_toilet",
                    "parking",
                    "accessibility_notes",
                ]
            },
        ),
        (_("Vadītāji"), {"fields": ["managers"]}),
    ]

    def get_queryset(self, request):
        return permissions.manageable_centres(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if permissions.is_coordinator(request.user):
            return ()
        # A centre manager keeps the page current but does not rename, hide or re-staff it.
        return ("slug", "is_published", "managers")

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if permissions.is_coordinator(request.user) else {}

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.can_manage_centre(request.user, obj)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or permissions.can_manage_centre(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_coordinator(request.user) and super().has_delete_permission(
            request, obj
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Around the admin's own transaction: photo files of a save that fails are removed.
        with services.discarding_photo_files_on_rollback(using=router.db_for_write(CentrePhoto)):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        services.delete_centres(centres=ResourceCentre.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_centres(centres=queryset)
