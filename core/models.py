from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    """What `manage.py load_latgale` made from one entry of the data file, and how.

    The loader finds its rows through these records, never through fields people may edit
    (slug, name), so a renamed or re-slugged row is still recognised, and a deleted one is not
    made again. `fingerprint` hashes the values the loader last wrote to the row: while the row
    still hashes to it, nobody has edited it since. See `core.seeding`.
    """

    # "app_label.modelname": a plain label rather than a ContentType, whose ids differ between
    # databases and change when post_migrate recreates them (after a flush, for one).
    model = models.CharField(max_length=100)
    seed_key = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model", "seed_key"]
        verbose_name = _("ielādēto datu ieraksts")
        verbose_name_plural = _("ielādēto datu ieraksti")
        constraints = [
            models.UniqueConstraint(fields=["model", "seed_key"], name="seedrecord_unique_key"),
            models.UniqueConstraint(fields=["model", "object_id"], name="seedrecord_unique_object"),
        ]

    def __str__(self):
        return f"{self.model}:{self.seed_key}"
