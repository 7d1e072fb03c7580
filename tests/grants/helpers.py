"""Building the POST an application form sends, as a browser would."""

from tests.factories.grants import COMPLETE_FIELDS


def form_data(*, community, lines=(), version=0, action="save", extra_rows=0, **fields) -> dict:
    """The application form's fields; `lines` are dicts of budget-row cells (with "id" for a
    saved line)."""
    data = {"community": community.pk, "version": version, "action": action}
    for name, value in fields.items():
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = "" if value is None else value
    rows = list(lines) + [{}] * extra_rows
    data.update({"lines-TOTAL_FORMS": len(rows), "lines-INITIAL_FORMS": 0})
    for index, row in enumerate(rows):
        data[f"lines-{index}-category"] = row.get("category", "materials")
        for cell in ("id", "item", "quantity", "unit_price", "own_contribution", "DELETE"):
            if cell in row:
                data[f"lines-{index}-{cell}"] = row[cell]
    return data


def complete_data(*, community, target_groups, **overrides) -> dict:
    fields = {
        **COMPLETE_FIELDS,
        "starts_on": "2027-02-01",
        "ends_on": "2027-06-01",
        "target_groups": target_groups,
    }
    lines = overrides.pop(
        "lines",
        [{"item": "Stādi", "quantity": "10", "unit_price": "12,50", "own_contribution": "0"}],
    )
    return form_data(community=community, lines=lines, **{**fields, **overrides})
