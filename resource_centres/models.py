from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.municipalities import CHOICES as MUNICIPALITY_CHOICES
from core.text import fold, sort_key


class ResourceCentre(models.Model):
    class Setting(models.TextChoices):
        INDOOR = "indoor", _("Iekštelpās")
        OUTDOOR = "outdoor", _("Brīvā dabā")

    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    name = models.CharField(_("nosaukums"), max_length=200)
    host = models.CharField(_("iestāde, kurā centrs darbojas"), max_length=200)
    settlement = models.CharField(_("apdzīvotā vieta"), max_length=120)
    municipality = models.CharField(
        _("novads"), max_length=120, choices=MUNICIPALITY_CHOICES, db_index=True
    )
    address = models.CharField(_("adrese"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("platums"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("garums"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coords_approximate = models.BooleanField(
        _("aptuvena atrašanās vieta"),
        default=False,
        help_text=_("Atzīmējiet, ja punkts ir tikai apdzīvotās vietas aptuvenais centrs."),
    )
    setting = models.CharField(
        _("vide"), max_length=10, choices=Setting.choices, default=Setting.INDOOR
    )
    description = models.TextField(_("apraksts"))
    opening_hours = models.TextField(_("darba laiks"), blank=True)
    contact_person = models.CharField(_("kontaktpersona"), max_length=120, blank=True)
    phone = models.CharField(_("tālrunis"), max_length=40, blank=True)
    email = models.EmailField(_("e-pasts"), blank=True)
    step_free_entrance = models.BooleanField(_("ieeja bez pakāpieniem"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("pielāgota tualete"), null=True, blank=True)
    parking = models.BooleanField(_("autostāvvieta"), null=True, blank=True)
    accessibility_notes = models.TextField(_("piezīmes par piekļūstamību"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("centra vadītāji"),
        related_name="managed_centres",
        blank=True,
    )
    is_published = models.BooleanField(_("publicēts"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("kopienu resursu centrs")
        verbose_name_plural = _("kopienu resursu centri")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fold_text_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resource_centres:detail", kwargs={"slug": self.slug})

    def fold_text_fields(self) -> None:
        """Refresh the folded copies (also for bulk_create, which bypasses save()).

        They let "kraslava" find "Krāslava" with a plain LIKE on every database, and sort
        "Ābeļu" next to "Aglonas" rather than after "Z" as a bytewise collation would.
        """
        self.search_text = fold(
            " ".join([self.name, self.settlement, self.host, self.municipality])
        )
        self.sort_name = sort_key(self.name)


class CentrePhoto(models.Model):
    centre = models.ForeignKey(
        ResourceCentre, on_delete=models.CASCADE, related_name="photos", verbose_name=_("centrs")
    )
    image = models.ImageField(_("attēls"), upload_to="centres/photos/")
    thumbnail = models.ImageField(upload_to="centres/thumbs/", editable=False, blank=True)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("alternatīvais teksts"),
        max_length=200,
        help_text=_(
            "Īsi aprakstiet, kas redzams attēlā, cilvēkam, kurš to neredz. "
            "Obligāts: to nolasa ekrāna lasītāji."
        ),
    )
    caption = models.CharField(_("paraksts"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("centra fotoattēls")
        verbose_name_plural = _("centra fotoattēli")

    def __str__(self):
        return self.alt_text


class Equipment(models.Model):
    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Aprīkojums")
        SPACE = "space", _("Telpa vai vieta")

    centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("centrs"),
    )
    name = models.CharField(_("nosaukums"), max_length=200)
    kind = models.CharField(_("veids"), max_length=10, choices=Kind.choices, default=Kind.EQUIPMENT)
    description = models.TextField(_("apraksts"), blank=True)
    quantity = models.PositiveSmallIntegerField(_("skaits"), default=1)
    bookable = models.BooleanField(_("var rezervēt"), default=False)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("aprīkojums vai telpa")
        verbose_name_plural = _("aprīkojums un telpas")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="equipment_unique_per_centre")
        ]

    def __str__(self):
        return self.name
