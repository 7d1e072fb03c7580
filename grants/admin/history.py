"""The round's history in the admin: who changed what in its assessment and decisions, and
when, with the before and after of each change as a coordinator reads it."""

from decimal import Decimal

from django.contrib import admin
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formats import money

from ..models import Application, Assessment, GrantRound, HistoryEntry


def _plain(value) -> str:
    return "—" if value in (None, "") else str(value)


def _label(choices, value) -> str:
    if value in (None, ""):
        return "—"
    return str(dict(choices).get(value, value))


def _number(value) -> str:
    if value in (None, ""):
        return "—"
    return formats.number_format(Decimal(str(value)), 2)


def _cut(text: str, chars: int | None) -> str:
    return text if chars is None else Truncator(text).chars(chars)


def _readable(
    entry: HistoryEntry,
    changes: dict,
    *,
    message_chars: int | None = 200,
    comment_chars: int | None = 120,
    reason_chars: int | None = None,
):
    """A history entry's before or after, as a coordinator reads it. Long texts are cut to the
    given number of characters (None: in full)."""
    if not changes:
        return "—"
    status_choices = (
        GrantRound.Status.choices
        if entry.action in (HistoryEntry.Action.PUBLISHED, HistoryEntry.Action.STATUS)
        else Assessment.Status.choices
    )
    values = {
        "decision": (_("lēmums"), lambda v: _label(Application.Decision.choices, v)),
        "awarded_amount": (_("summa"), lambda v: money(v) if v else "—"),
        "decision_message": (_("ziņa"), lambda v: _plain(_cut(v or "", message_chars))),
        "conflict": (_("interešu konflikts"), lambda v: _label(Assessment.Conflict.choices, v)),
        "reason": (_("apraksts"), lambda v: _plain(_cut(v or "", reason_chars))),
        "status": (_("statuss"), lambda v: _label(status_choices, v)),
        "weighted_total": (_("vērtējums"), _number),
    }
    lines = []
    for key, value in changes.items():
        if key in values:
            label, show = values[key]
            lines.append((label, show(value)))
        elif entry.action == HistoryEntry.Action.SCORES and isinstance(value, list):
            points, comment = [*value, None, ""][:2]
            # Scores are keyed by criterion pk; the titles come prefetched with the round.
            criteria = {criterion.pk: criterion.title for criterion in entry.round.criteria.all()}
            title = criteria.get(int(key), key) if key.isdigit() else key
            shown = gettext("%(points)s p.") % {"points": _plain(points)}
            if comment:
                shown += f" – {_cut(comment, comment_chars)}"
            lines.append((title, shown))
        else:
            lines.append((key, _plain(value)))
    return format_html(
        '<ul class="history-changes">{}</ul>', format_html_join("", "<li>{}: {}</li>", lines)
    )


class HistoryReadable:
    @admin.display(description=_("pirms"))
    def before_readable(self, entry):
        return _readable(entry, entry.before)

    @admin.display(description=_("pēc"))
    def after_readable(self, entry):
        return _readable(entry, entry.after)


# In the list long texts are cut short so the before/after columns stay readable; the entry's
# own page shows them in full.
HISTORY_LIST_CHARS = {"message_chars": 80, "comment_chars": 80, "reason_chars": 80}
HISTORY_FULL_CHARS = {"message_chars": None, "comment_chars": None, "reason_chars": None}


class HistoryEntryAdmin(admin.ModelAdmin):
    # The round is a filter; as a column it pushed "before" and "after" off the screen.
    list_display = [
        "at",
        "actor",
        "action",
        "application",
        "before_readable",
        "after_readable",
    ]
    list_filter = ["round", "action"]
    search_fields = ["application__reference"]
    search_help_text = _("Pieteikuma numurs, piemēram, DK-2026-014.")
    list_select_related = ["actor", "round", "application"]
    fields = [
        "at",
        "actor",
        "action",
        "round",
        "application",
        "assessment",
        "before_full",
        "after_full",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin-grants.css"]}

    @admin.display(description=_("pirms"))
    def before_readable(self, entry):
        return _readable(entry, entry.before, **HISTORY_LIST_CHARS)

    @admin.display(description=_("pēc"))
    def after_readable(self, entry):
        return _readable(entry, entry.after, **HISTORY_LIST_CHARS)

    @admin.display(description=_("pirms"))
    def before_full(self, entry):
        return _readable(entry, entry.before, **HISTORY_FULL_CHARS)

    @admin.display(description=_("pēc"))
    def after_full(self, entry):
        return _readable(entry, entry.after, **HISTORY_FULL_CHARS)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("round__criteria")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
