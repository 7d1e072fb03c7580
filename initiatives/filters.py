"""The filters of /iniciativas/ (django-filter), as /pasakumi/ has them. Query parameters are
Latvian, as the paths are."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import QuickSelect, chosen_or_typed, offer, offer_or_box
from core.text import fold
from events.filters import COMMUNITY_BOX_HELP

from . import selectors
from .models import Initiative

SEARCH_MAX_LENGTH = 100


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Meklēt"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Nosaukumā vai kopsavilkumā; garumzīmes nav jāraksta."),
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q_help"}),
    )
    # Slugs as plain choices (read as tuples, kept in the shared cache), as on /pasakumi/: a
    # thousand communities cost no query and no model instance each.
    kopiena = django_filters.ChoiceFilter(
        label=_("Kopiena"),
        method="filter_community",
        empty_label=_("Visas kopienas"),
        widget=QuickSelect,
    )
    centrs = django_filters.ChoiceFilter(
        label=_("Resursu centrs"),
        field_name="community__resource_centre__slug",
        empty_label=_("Visi centri"),
        widget=QuickSelect,
    )
    gads = django_filters.ChoiceFilter(
        label=_("Gads"),
        field_name="year",
        empty_label=_("Visi gadi"),
        widget=QuickSelect,
    )
    elements = django_filters.ChoiceFilter(
        label=_("Modeļa elements"),
        field_name="model_elements__slug",
        empty_label=_("Visi elementi"),
        widget=QuickSelect,
    )
    grupa = django_filters.ChoiceFilter(
        label=_("Sasniegtā mērķa grupa"),
        field_name="target_groups__slug",
        empty_label=_("Visas grupas"),
        widget=QuickSelect,
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args, options: dict | None = None, **kwargs):
        # The option lists of an earlier filterset of the same request (the view filters again
        # without the invalid values): read once per request, however often the form is built.
        super().__init__(*args, **kwargs)
        self.options = options

    def get_form_class(self):
        # As EventFilter: the fields never change, so one form class serves every request.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        # The option lists go onto this form's own fields, after Django has copied them.
        if not hasattr(self, "_form"):
            form = super().form
            if self.options is None:
                self.options = selectors.filter_options()
            for name, options in self.options.items():
                if name != "kopiena":
                    offer(form.fields[name], options)
            # Past core.forms.SELECT_LIMIT communities, a box to type in, as on /pasakumi/.
            offer_or_box(
                form,
                "kopiena",
                self.options["kopiena"],
                help_text=COMMUNITY_BOX_HELP,
                max_length=SEARCH_MAX_LENGTH,
            )
        return self._form

    def filter_community(self, queryset: QuerySet[Initiative], name: str, value: str):
        return chosen_or_typed(
            queryset,
            value,
            self.options["kopiena"],
            slug="community__slug",
            folded_text="community__search_text",
        )

    def valid_filters(self) -> list[tuple[str, str]]:
        """The values this list is filtered by, after validation (for CountedPaginator)."""
        if not self.is_bound:
            return []
        return [(name, str(value)) for name, value in self.form.cleaned_data.items() if value]

    def filter_search(self, queryset: QuerySet[Initiative], name: str, value: str):
        # Every word, ignoring case and diacritics: "kraslava ezers" finds "Krāslavas ezers".
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset
