"""Draft keys used to be chosen by the browser, so a draft could carry a key equal to someone
else's reference. Such a draft gets a fresh key of the server's own shape; the application
whose reference it copied keeps its address."""

import uuid

from django.db import migrations
from django.db.models import Subquery


def reissue_squatting_keys(apps, schema_editor):
    Application = apps.get_model("grants", "Application")
    references = Application.objects.filter(reference__isnull=False).values("reference")
    for application in Application.objects.filter(draft_key__in=Subquery(references)):
        application.draft_key = uuid.uuid4().hex
        application.save(update_fields=["draft_key"])


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_history_round_status")]

    operations = [migrations.RunPython(reissue_squatting_keys, migrations.RunPython.noop)]
