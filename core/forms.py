"""Form fields and widgets every app's forms share."""

import html
from datetime import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select rendered in Python rather than through one template per option.

    The community filter offers every published community (a thousand at national scale);
    Django's per-option templates took most of the list page's time for them.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        # Every value and label is escaped here, exactly as format_html would escape it.
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                html.escape(str(option_value)),
                " selected" if str(option_value) in selected else "",
                html.escape(str(label)),
            )
            for option_value, label in self.choices
        )
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
