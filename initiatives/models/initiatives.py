"""An initiative, from the grant decision (or a community's own record) to its published story.

Its life is `Initiative.TRANSITIONS` and nothing else: every change goes through
`initiatives.services.lifecycle.change_status`, which writes an `InitiativeHistory` entry. What
the public pages and the figures count of a published initiative (participants, volunteers,
reach per target group, institutions, model elements, story) is copied onto the initiative
when it is published, so a published fact never changes because something else did later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, ModelElement, TargetGroup
from core.choices import quick_choice_labels
from core.paths import slug_path
from core.text import fold


class Institution(models.Model):
    """An institution or organisation named in a report: counted once however it is typed
    ("Rēzeknes novada dome", "rēzeknes  novada dome")."""

    name = models.CharField(_("nosaukums"), max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("iestāde vai organizācija")
        verbose_name_plural = _("iestādes un organizācijas")

    def __str__(self):
        return self.name

    @staticmethod
    def key_of(name: str) -> str:
        return " ".join(fold(name).split())


@quick_choice_labels
class Initiative(models.Model):
    class Status(models.TextChoices):
        SUPPORTED = "supported", _("Atbalstīta")
        PLANNED = "planned", _("Plānota")
        IN_PROGRESS = "in_progress", _("Notiek")
        REPORT_DUE = "report_due", _("Gaidām atskaiti")
        SUBMITTED = "submitted", _("Atskaite iesniegta")
        RETURNED = "returned", _("Atskaite atgriezta labošanai")
        ACCEPTED = "accepted", _("Atskaite pieņemta")
        PUBLISHED = "published", _("Publicēta")
        CANCELLED = "cancelled", _("Atcelta")

    # The way through an initiative's life, and nothing else. The team may submit its report
    # whenever the work is done (even before the due date); a returned report is submitted
    # again; only an accepted report is published.
    TRANSITIONS = {
        Status.SUPPORTED: (
            Status.PLANNED,
            Status.IN_PROGRESS,
            Status.REPORT_DUE,
            Status.SUBMITTED,
            Status.CANCELLED,
        ),
        Status.PLANNED: (Status.IN_PROGRESS, Status.REPORT_DUE, Status.SUBMITTED, Status.CANCELLED),
        Status.IN_PROGRESS: (Status.REPORT_DUE, Status.SUBMITTED, Status.CANCELLED),
        Status.REPORT_DUE: (Status.SUBMITTED, Status.CANCELLED),
        Status.SUBMITTED: (Status.RETURNED, Status.ACCEPTED),
        Status.RETURNED: (Status.SUBMITTED,),
        Status.ACCEPTED: (Status.PUBLISHED, Status.RETURNED),
        Status.PUBLISHED: (),
        Status.CANCELLED: (Status.SUPPORTED, Status.PLANNED),
    }
    # The team writes its report in these states; afterwards it is read-only.
    REPORTING = (
        Status.SUPPORTED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.REPORT_DUE,
        Status.RETURNED,
    )
    # Still to be reported: what the due-date reminders and the overdue list look at.
    AWAITING_REPORT = (
        Status.SUPPORTED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.REPORT_DUE,
        Status.RETURNED,
    )

    slug = models.SlugField(_("adreses daļa"), max_length=100, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("kopiena"),
    )
    year = models.PositiveSmallIntegerField(_("gads"))
    summary = models.TextField(_("kopsavilkums"), blank=True)
    status = models.CharField(
        _("statuss"), max_length=12, choices=Status.choices, default=Status.SUPPORTED, db_index=True
    )
    application = models.OneToOneField(
        "grants.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative",
        verbose_name=_("pieteikums"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reģistrēja"),
        help_text=_("Kopienas līderis, kurš pieteica iniciatīvu bez konkursa atbalsta."),
    )
    starts_on = models.DateField(_("īstenošanas sākums"), null=True, blank=True)
    ends_on = models.DateField(_("īstenošanas beigas"), null=True, blank=True)
    report_due_on = models.DateField(_("atskaites termiņš"), null=True, blank=True, db_index=True)
    # The due date each reminder was last sent for: once each, however often the command runs;
    # an extended date gets its own reminders.
    due_soon_mailed_for = models.DateField(null=True, blank=True, editable=False)
    overdue_mailed_for = models.DateField(null=True, blank=True, editable=False)
    # What was published, copied from the accepted report when it was published.
    story = models.TextField(_("stāsts"), blank=True)
    results = models.TextField(_("rezultāti"), blank=True)
    participants = models.PositiveIntegerField(_("dalībnieki"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("brīvprātīgie"), null=True, blank=True)
    organisations = models.PositiveIntegerField(
        _("iesaistītās iestādes un organizācijas"), null=True, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="initiatives", verbose_name=_("mērķgrupas")
    )
    model_elements = models.ManyToManyField(
        ModelElement, blank=True, related_name="initiatives", verbose_name=_("modeļa elementi")
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="initiatives", verbose_name=_("iestādes")
    )
    published_at = models.DateTimeField(_("publicēta"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mainīts"), auto_now=True)

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("iniciatīva")
        verbose_name_plural = _("iniciatīvas")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="published") | Q(published_at__isnull=True),
                name="initiative_published_at_only_when_published",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="initiative_ends_after_start",
            ),
        ]
        indexes = [
            # The list's order. On PostgreSQL it also carries the folded search text
            # (migration 0006): a search for a common word reads the index in the list's order
            # and stops at the page's twentieth match, never touching the wide rows (a rare
            # word goes through the trigram index of migration 0005).
            models.Index(fields=["status", "-year", "title", "id"], name="initiative_list_order")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.title, self.summary]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("initiatives:detail", self.slug)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_funded(self) -> bool:
        return self.application_id is not None

    @property
    def report_is_open(self) -> bool:
        return self.status in self.REPORTING


class InitiativeReach(models.Model):
    """How many of one target group a published initiative reached, as its report said."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="reach", verbose_name=_("iniciatīva")
    )
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("mērķgrupa")
    )
    count = models.PositiveIntegerField(_("skaits"))

    class Meta:
        ordering = ["target_group__order", "target_group__pk"]
        verbose_name = _("sasniegtā mērķgrupa")
        verbose_name_plural = _("sasniegtās mērķgrupas")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "target_group"], name="initiative_reach_unique"
            )
        ]

    def __str__(self):
        return f"{self.target_group}: {self.count}"


class Milestone(models.Model):
    """A dated step while the initiative runs; marked done when it is."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("iniciatīva"),
    )
    title = models.CharField(_("posms"), max_length=200)
    due_on = models.DateField(_("plānotais datums"))
    done_on = models.DateField(_("paveikts"), null=True, blank=True)

    class Meta:
        ordering = ["initiative", "due_on", "pk"]
        verbose_name = _("posms")
        verbose_name_plural = _("posmi")

    def __str__(self):
        return self.title


class InitiativeHistory(models.Model):
    """Who changed an initiative's status, due date or milestones, and when: before and after."""

    class Action(models.TextChoices):
        STATUS = "status", _("Statuss mainīts")
        DUE_DATE = "due_date", _("Atskaites termiņš mainīts")
        MILESTONE = "milestone", _("Posms")
        REPORT = "report", _("Atskaite saglabāta")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="history", verbose_name=_("iniciatīva")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kas"),
    )
    action = models.CharField(_("darbība"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("kad"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("pirms"), default=dict, blank=True)
    after = models.JSONField(_("pēc"), default=dict, blank=True)
    comment = models.TextField(_("komentārs"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("vēstures ieraksts")
        verbose_name_plural = _("iniciatīvas vēsture")

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
