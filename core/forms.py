"""Form fields and widgets every app's forms share."""

import html
import itertools
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _option(value, label, selected: set[str]) -> str:
    # Every value and label is escaped here, exactly as format_html would escape it.
    return '<option value="{}"{}>{}</option>'.format(
        html.escape(str(value)),
        " selected" if str(value) in selected else "",
        html.escape(str(label)),
    )


@dataclass(frozen=True)
class Options:
    """A long list of choices with its <option> elements written once, when the list is read
    (and kept with it in the shared cache): a thousand communities are escaped and joined once
    per change of the list, not on every request (`offer` puts it on a form's field)."""

    choices: tuple[tuple[str, str], ...]
    html: str

    @classmethod
    def of(cls, choices) -> "Options":
        choices = tuple((str(value), str(label)) for value, label in choices)
        return cls(choices, "".join(_option(value, label, set()) for value, label in choices))

    def selecting(self, selected: set[str]) -> str:
        """The options with those whose value is in `selected` marked as selected."""
        written = self.html
        for value in selected:
            plain = f'<option value="{html.escape(value)}">'
            written = written.replace(plain, plain[:-1] + " selected>", 1)
        return written


def offer(field: forms.ChoiceField, options: Options) -> None:
    """Offer `options` in a form's choice field (rendered by QuickSelect): the field validates
    against its choices, the widget writes the options already written. Choices the field adds
    in front of them (an empty label) are rendered as usual."""
    field.choices = options.choices
    field.widget.written = options


# Up to this many choices a filter is a list; with more (a national platform has a thousand
# communities) the list would outweigh the page itself, and the filter becomes a box where part
# of the name is typed (`offer_or_box`, `chosen_or_typed`).
SELECT_LIMIT = 60


def offer_or_box(form: forms.Form, name: str, options: Options, *, help_text, max_length: int):
    """Offer `options` in the form's choice field `name`, or, past SELECT_LIMIT of them, replace
    the field with a search box of the same name and label (its help says what to type)."""
    if len(options.choices) <= SELECT_LIMIT:
        offer(form.fields[name], options)
        return
    form.fields[name] = forms.CharField(
        label=form.fields[name].label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": f"id_{name}_help"}),
    )


def chosen_or_typed(queryset, value: str, options: Options, *, slug: str, folded_text: str):
    """Filter `queryset` by a value of `offer_or_box`'s field: one of the options' values (a
    slug, from the list or a link) matches `slug` exactly; other text, from the box, must be in
    `folded_text` (a folded search column), ignoring case and diacritics."""
    from core.text import fold

    if not value:
        return queryset
    if any(option == value for option, _label in options.choices):
        return queryset.filter(**{slug: value})
    folded = fold(value).strip()
    return queryset.filter(**{f"{folded_text}__contains": folded}) if folded else queryset


class QuickSelect(forms.Select):
    """A select rendered in Python rather than through one template per option.

    The community filter offers every published community (a thousand at national scale);
    Django's per-option templates took most of the list page's time for them. With `offer`, a
    list kept in the shared cache comes with its options already written.
    """

    written: Options | None = None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        if self.written is None:
            options = "".join(_option(v, label, selected) for v, label in self.choices)
        else:
            # The widget's choices are the written ones behind those the field put in front
            # (django-filter's empty label): only the latter are written now.
            leading = len(self.choices) - len(self.written.choices)
            options = "".join(
                _option(v, label, selected)
                for v, label in itertools.islice(iter(self.choices), leading)
            ) + self.written.selecting(selected)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(options),  # noqa: S308
        )


class AmountField(forms.DecimalField):
    """Takes "12,50" and "12.50" (and "1 234,50") whatever the interface language: people type
    what their keyboard and habit give them. Shown in the interface's own format."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.is_localized = True

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u00a0", "")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class _OnlyValidValue:
    """A date or time input shows a mistyped value as a browser would: not at all (such an
    input holds only a real date or time, and HTML forbids any other value in it); a value
    typed in another accepted format ("24.03.2026", "10.00") is shown in the input's own. The
    field's message says what was wrong."""

    def __init__(self, attrs=None, *, accepts: list[str]):
        super().__init__(attrs, format=self.iso_format)
        self.accepts = accepts

    def format_value(self, value):
        if isinstance(value, str):
            for accepted in self.accepts:
                try:
                    value = datetime.strptime(value.strip(), accepted)
                except ValueError:
                    continue
                break
            else:
                return None
        return super().format_value(value)


class IsoDateInput(_OnlyValidValue, forms.DateInput):
    """<input type="date">; `accepts`: the strptime formats its field accepts."""

    input_type = "date"
    iso_format = "%Y-%m-%d"


class IsoTimeInput(_OnlyValidValue, forms.TimeInput):
    """<input type="time">; `accepts`: the strptime formats its field accepts."""

    input_type = "time"
    iso_format = "%H:%M"
