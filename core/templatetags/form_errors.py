"""The error summary's lines (templates/includes/error_summary.html): `{% load form_errors %}`.

One place decides what each error links to and how its field is named, for every form of the
site: a group of radio buttons or checkboxes has no element with the field's own id, so its link
goes to the first choice; a form whose fields need more than their label to be told apart (one
group of fields per dimension) names them through its `summary_label(bound_field)`."""

from django import forms, template

register = template.Library()


def _href(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#{field.auto_id}_0"
    return f"#{field.id_for_label}"


@register.simple_tag
def field_error_links(form) -> list[dict]:
    """{"href", "label", "message"} for each error of a visible field, in the fields' order."""
    if form is None:
        return []
    name = getattr(form, "summary_label", None)
    return [
        {
            "href": _href(field),
            "label": name(field) if name else field.label,
            "message": error,
        }
        for field in form.visible_fields()
        for error in field.errors
    ]
