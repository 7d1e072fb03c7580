from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import quick_choice_labels
from core.municipalities import CHOICES as MUNICIPALITY_CHOICES
from core.paths import slug_path
from core.text import fold, sort_key
from resource_centres.models import ResourceCentre


class Community(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    name = models.CharField(_("nosaukums"), max_length=200)
    municipality = models.CharField(
        _("novads"), max_length=120, choices=MUNICIPALITY_CHOICES, db_index=True
    )
    description = models.TextField(_("apraksts"), blank=True)
    resource_centre = models.ForeignKey(
        ResourceCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("resursu centrs"),
    )
    is_published = models.BooleanField(_("publicēts"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = _("kopiena")
        verbose_name_plural = _("kopienas")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fold_text_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("communities:detail", self.slug)

    def fold_text_fields(self) -> None:
        """Folded copies for diacritic-blind search and Latvian-friendly sorting."""
        self.search_text = fold(" ".join([self.name, self.municipality]))
        self.sort_name = sort_key(self.name)


@quick_choice_labels
class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Dalībnieks")
        ACTIVIST = "activist", _("Aktīvists")
        LEADER = "leader", _("Līderis")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Gaida apstiprinājumu")
        ACTIVE = "active", _("Aktīvs")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("lietotājs"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kopiena")
    )
    role = models.CharField(_("loma"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("statuss"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)

    class Meta:
        ordering = ["community", "user"]
        verbose_name = _("dalība kopienā")
        verbose_name_plural = _("dalība kopienās")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.community}"


class Profile(models.Model):
    """What the platform keeps about a person beyond their account: name lives on the user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("lietotājs"),
    )
    phone = models.CharField(_("tālrunis"), max_length=30, blank=True)
    # The interface language the person last signed in with: mails to them (from other people's
    # actions, such as a leader deciding their request) are written in it.
    language = models.CharField(
        _("valoda"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profils")
        verbose_name_plural = _("profili")

    def __str__(self):
        return str(self.user)


class ModelElement(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    summary = models.TextField(_("kopsavilkums"))
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("modeļa elements")
        verbose_name_plural = _("modeļa elementi")

    def __str__(self):
        return self.title


class TargetGroup(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    note = models.TextField(_("piezīme"), blank=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("mērķa grupa")
        verbose_name_plural = _("mērķa grupas")

    def __str__(self):
        return self.title


class GlossaryTerm(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    term = models.CharField(_("jēdziens"), max_length=120)
    author = models.CharField(_("autors"), max_length=200, blank=True)
    text = models.TextField(_("teksts"))
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ceļazīme")
        verbose_name_plural = _("ceļazīmes")

    def __str__(self):
        return self.term


class Testimonial(models.Model):
    person = models.CharField(_("persona"), max_length=120)
    role = models.CharField(_("amats vai loma"), max_length=200, blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
        verbose_name=_("kopiena"),
    )
    text = models.TextField(_("teksts"))
    is_published = models.BooleanField(_("publicēts"), default=True)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("atsauksme")
        verbose_name_plural = _("atsauksmes")

    def __str__(self):
        return f"{self.person}: {self.text[:40]}"


class CapacityDimension(models.Model):
    slug = models.SlugField(_("adreses daļa"), max_length=80, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("kopienas rīcībspējas dimensija")
        verbose_name_plural = _("kopienas rīcībspējas dimensijas")

    def __str__(self):
        return self.title


class ImpactFigure(models.Model):
    """The coordinators' wording of one impact figure's label. The value is counted from the
    records by the registry (kopienas.figures), under the same key."""

    key = models.SlugField(_("atslēga"), max_length=40, unique=True)
    label = models.CharField(_("skaidrojums"), max_length=200)
    order = models.PositiveSmallIntegerField(_("secība"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("iniciatīvas skaitlis")
        verbose_name_plural = _("iniciatīvas skaitļi")

    def __str__(self):
        return self.label
