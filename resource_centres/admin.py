from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import permissions
from .images import process_photo
from .models import CentrePhoto, Equipment, ResourceCentre
from .services import store_photo


class CentrePhotoForm(forms.ModelForm):
    # A plain file field: the content check is ours (process_photo), with its Latvian messages.
    image = forms.FileField(
        label=_("Attēls"),
        help_text=_(
            "JPEG, PNG vai WebP, līdz 10 MB un 40 megapikseļiem. "
            "Atrašanās vietas dati tiek izdzēsti."
        ),
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


class CentrePhotoInline(admin.TabularInline):
    model = CentrePhoto
    form = CentrePhotoForm
    # One empty row, so a photo can be added without the admin's JavaScript.
    extra = 1
    fields = ["image", "alt_text", "caption", "order"]


class EquipmentInline(admin.TabularInline):
    model = Equipment
    extra = 0
    fields = ["name", "kind", "description", "quantity", "bookable", "order"]


@admin.register(ResourceCentre)
class ResourceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "settlement", "municipality", "is_published", "coords_approximate"]
    list_filter = ["municipality", "is_published", "setting", "coords_approximate"]
    search_fields = ["name", "settlement", "host", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    inlines = [CentrePhotoInline, EquipmentInline]
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not CentrePhoto:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for photo_form in formset.forms:
            if photo_form in formset.deleted_forms or not photo_form.has_changed():
                continue
            processed = getattr(photo_form, "processed_photo", None)
            if processed is not None:
                store_photo(photo=photo_form.instance, processed=processed)
            else:
                photo_form.instance.save()
        return None
