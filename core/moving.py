"""Moving a model to another app without touching its rows (used by migrations).

Django has no operation for it, so a move is three steps: the new app takes the model into its
state over the existing table (`SeparateDatabaseAndState`), the old app lets it go from its state,
and the new app renames the table. The content type is moved with it, so the permissions granted
to the role groups and the admin's history keep pointing at the same model.
"""

from functools import partial

from django.db import migrations


def _relabel(apps, schema_editor, *, source: str, target: str, models: tuple[str, ...]):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types(*, source: str, target: str, models: tuple[str, ...]):
    """A RunPython operation that gives `models`' content types to app `target` (and back)."""
    return migrations.RunPython(
        partial(_relabel, source=source, target=target, models=models),
        partial(_relabel, source=target, target=source, models=models),
        elidable=False,
    )
