"""The user admin, as coordinators may use it.

Coordinators (the "Koordinatori" group, with auth's view, add and change permissions on users)
make the accounts of centre managers and assessors and pick community members. Django's own
UserAdmin would let them grant themselves anything, so for everyone but a superuser it hides
superuser status and direct permissions, offers only the platform's role groups, and neither
shows nor opens superusers' accounts. Superusers keep Django's full user admin, except that an
account is deleted the one way the site deletes it (kopienas.services.delete_account: submitted
applications and past bookings kept without the person, their communities' leaders told, refused
while they are a community's only leader), one account at a time, never by a bulk action that
would skip all that.
"""

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.admin import ImpactFigureAdmin
from communities.models import ImpactFigure
from core.roles import ROLE_GROUPS

from . import services
from .figures.registry import BY_KEY
from .figures.sources import TOTAL, breakdown

User = get_user_model()

# What only a superuser may see or change: a coordinator could otherwise raise anyone,
# themselves included, above their role.
SUPERUSER_ONLY_FIELDS = {"is_superuser", "user_permissions"}


class RoleGroupsUserChangeForm(UserChangeForm):
    """The change form a coordinator gets: groups chosen among the role groups only."""

    def clean_groups(self):
        chosen = self.cleaned_data["groups"]
        if self.instance.pk is None:
            return chosen
        # Groups outside the role groups are not offered, so saving must not drop them either.
        return Group.objects.filter(
            Q(pk__in=chosen.values("pk"))
            | Q(pk__in=self.instance.groups.exclude(name__in=ROLE_GROUPS).values("pk"))
        )


# allauth.mfa's model has no verbose name, so the admin would list it as "Authenticators".
# Options set on _meta here are not in the model's Meta (original_attrs), so migrations do not
# see them.
Authenticator._meta.verbose_name = _("autentifikators")
Authenticator._meta.verbose_name_plural = _("autentifikatori")

admin.site.unregister(User)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False)

    def _may_touch(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or not obj.is_superuser

    def has_view_permission(self, request, obj=None):
        return self._may_touch(request, obj) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_touch(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_touch(request, obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Deleting many accounts at once would skip what delete_account does for each.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        services.delete_account(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.delete_account(user=user)

    def delete_view(self, request, object_id, extra_context=None):
        """Django's confirmation, then delete_account in its transaction; a refusal (the
        person is a community's only leader) rolls the deletion and its log entry back and
        returns to the account with the reason."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[object_id],
                )
            )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Django's own sections and their (translated) titles, less what only superusers change.
        return [
            (
                title,
                {
                    **options,
                    "fields": tuple(
                        field for field in options["fields"] if field not in SUPERUSER_ONLY_FIELDS
                    ),
                },
            )
            for title, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not request.user.is_superuser:
            kwargs.setdefault("form", RoleGroupsUserChangeForm)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_GROUPS).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [name for name in filters if name not in SUPERUSER_ONLY_FIELDS]


# --- Impact figures: the coordinators' labels beside the registry's values ----------------------

admin.site.unregister(ImpactFigure)


@admin.register(ImpactFigure)
class ImpactFigureLabelAdmin(ImpactFigureAdmin):
    """The wording coordinators edit, beside each figure's value as the registry counts it now
    and the registry's definition: the admin types no number."""

    readonly_fields = ["current_value", "definition"]
    fields = ["key", "label", "order", "current_value", "definition"]

    def get_list_display(self, request):
        # Counted once per list, in one query, however many figures there are.
        values = breakdown(TOTAL)

        @admin.display(description=_("pašreizējā vērtība"))
        def current_value(obj):
            figure = BY_KEY.get(obj.key)
            return figure.written(values.get(obj.key, 0)) if figure else "–"

        return ["label", current_value, "definition", "order"]

    @admin.display(description=_("pašreizējā vērtība"))
    def current_value(self, obj):
        figure = BY_KEY.get(obj.key) if obj else None
        if figure is None:
            return _("Reģistrā nav skaitļa ar šo atslēgu.")
        return figure.written(breakdown(TOTAL).get(figure.key, 0))

    @admin.display(description=_("kā skaitām"))
    def definition(self, obj):
        figure = BY_KEY.get(obj.key) if obj else None
        if figure is None:
            return "–"
        return format_html(
            "{} {} {} {} {} {} {}",
            figure.definition,
            _("Skaita:"),
            figure.counts,
            _("Neskaita:"),
            figure.leaves_out,
            _("Gads:"),
            figure.time_basis,
        )
