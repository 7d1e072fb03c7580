"""Clearly marked sample content for trying the platform: photos, hours, contacts, accounts."""

import functools
import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from communities.models import Community, Membership, ModelElement, TargetGroup
from core.formats import money
from core.roles import ASSESSORS, CENTRE_MANAGERS, COORDINATORS
from events.models import Event, EventGroupCount
from grants import selectors, services
from grants.models import (
    Application,
    ApplicationRevision,
    Assessment,
    BudgetLine,
    Criterion,
    GrantRound,
    HistoryEntry,
)
from initiatives.models import Initiative
from resource_centres.models import ResourceCentre
from resource_centres.services import add_centre_photo

DEMO_PASSWORD = "demo-kopienas-2026"  # noqa: S105 - printed on purpose: sample accounts only
DEMO_MARK = "(parauga dati)"
LOCMEM_MAILER = "django.core.mail.backends.locmem.EmailBackend"

# The demo round's criteria: title, maximum points, weight.
DEMO_CRITERIA = [
    ("Kopienas vajadzību pamatojums", 10, Decimal("1.5")),
    ("Mazāk aktīvo iedzīvotāju iesaiste", 10, Decimal("2")),
    ("Sadarbība ar partneriem", 10, Decimal("1")),
    ("Ilgtspēja pēc projekta beigām", 10, Decimal("1")),
    ("Budžeta pamatotība", 10, Decimal("1")),
]

DEMO_ACCOUNTS = [
    # email, first name, last name, staff, group, what they can do
    (
        "koordinators@example.lv",
        "Kristīne",
        "Koordinatore",
        True,
        COORDINATORS,
        "koordinatore: visa pārvaldība /admin/",
    ),
    (
        "vaditajs@example.lv",
        "Jānis",
        "Vadītājs",
        True,
        CENTRE_MANAGERS,
        "Preiļu centra vadītājs: tikai sava centra lapa /admin/",
    ),
    (
        "vertetajs@example.lv",
        "Ilze",
        "Vērtētāja",
        True,
        ASSESSORS,
        "vērtētāja: konkursu vērtēšana /admin/",
    ),
    (
        "vertetajs2@example.lv",
        "Māris",
        "Vērtētājs",
        True,
        ASSESSORS,
        "vērtētājs: konkursu vērtēšana /admin/",
    ),
    (
        "vertetajs3@example.lv",
        "Dace",
        "Vērtētāja",
        True,
        ASSESSORS,
        "vērtētāja (Ilūkstes kopienas dalībniece): konkursu vērtēšana /admin/",
    ),
    (
        "aktiviste@example.lv",
        "Anita",
        "Aktīviste",
        False,
        None,
        # The admin is for staff only: she signs in on the site itself.
        "Preiļu darbīgās kopienas līdere: pieslēdzas vietnē /konts/login/ "
        "(pārvaldībai piekļuves nav)",
    ),
]

# The three assessors of every demo round. The third belongs to the Ilūkste community, so the
# platform itself excludes her from assessing Ilūkste's applications (a conflict of interest).
DEMO_ASSESSORS = ["vertetajs@example.lv", "vertetajs2@example.lv", "vertetajs3@example.lv"]
CONFLICTED_ASSESSOR = ("vertetajs3@example.lv", "ilukste")
# The activists who applied in the past rounds, one for each community: aktivists.<slug>@.
DEMO_ACTIVISTS = {
    "sakstagals": ("Ināra", "Aktīviste"),
    "nautreni": ("Aivars", "Aktīvists"),
    "preili": ("Lāsma", "Aktīviste"),
    "aglona": ("Jānis", "Aktīvists"),
    "daugavpils": ("Olga", "Aktīviste"),
    "varkava": ("Ērika", "Aktīviste"),
    "zilupe": ("Sergejs", "Aktīvists"),
    "dagda": ("Vija", "Aktīviste"),
    "ilukste": ("Guntis", "Aktīvists"),
    "priezmale": ("Tatjana", "Aktīviste"),
    "kraslava": ("Edgars", "Aktīvists"),
}

STAFF_TWO_FACTOR_HINT = (
    "Darbiniekiem (/admin/) pirmajā apmeklējumā būs jāieslēdz divpakāpju autentifikācija "
    "ar autentifikācijas lietotni (piemēram, Aegis, FreeOTP vai Google Authenticator)."
)

OPENING_HOURS = f"P.–Pk. 10.00–18.00\nS. 10.00–14.00\nSv. slēgts\n{DEMO_MARK}"
# Only a marked note, never the yes/no accessibility answers: the page shows those as plain
# "ir"/"nav" with no room for a mark, and a made-up "step-free entrance: yes" could send a
# wheelchair user to a centre they cannot enter. Unanswered, they read "nav zināms".
ACCESSIBILITY_NOTES = (
    f"Šeit centrs aprakstīs piekļūstamību: ieeju, tualeti, autostāvvietu. {DEMO_MARK}"
)
PHOTO_CENTRES = ["preili", "aglona", "dagda", "sakstagals"]
PALETTES = [("#1f6f50", "#8fd1b0"), ("#b3471d", "#f2c6a0"), ("#14503a", "#d9e8c4")]


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once per run and shared: each hash takes the hasher's full work factor (most of a
    # second), and the password is public anyway.
    return make_password(DEMO_PASSWORD)


def _sample_photo(seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 800), rng.randint(40, 180)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=dark if rng.random() < 0.5 else "#ffffff")
    draw.rectangle([0, 640, 1200, 800], fill="#1d2a2f")
    font = ImageFont.load_default(size=48)
    # The bundled font lacks Latvian letters, so the mark on the picture avoids them.
    draw.text((40, 670), "PARAUGA FOTO", fill="#ffffff", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"parauga-{seed}.jpg", buffer.getvalue(), "image/jpeg")


class Command(BaseCommand):
    help = (
        "Pievieno skaidri atzīmētus parauga datus un demo kontus. Atkārtota palaišana neko nedublē."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Atļaut arī ar DJANGO_DEBUG izslēgtu (demo konti ar zināmu paroli!).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "demo_data izveido kontus ar zināmu paroli; palaidiet to tikai izstrādē "
                "(DJANGO_DEBUG=1) vai ar --allow-production."
            )
        # Publishing the past rounds' results queues one decision mail per application, sent
        # when the transaction commits (grants.services.publish_results). Those applicants were
        # told in 2019–2021, and in development the mailer is the console: dozens of mails
        # would bury the demo logins printed below. So for this command's transaction, commit
        # included, mail goes to the in-memory (locmem) backend and is dropped with the process.
        mailers = getattr(settings, "MAILERS", None) or {"default": {}}
        quiet = {alias: {"BACKEND": LOCMEM_MAILER} for alias in mailers}
        with override_settings(MAILERS=quiet), transaction.atomic():
            users = self._accounts()
            self._centres(users)
            open_round = self._grant_round(users)
            past_rounds = self._past_rounds(users)
            self._events()
        self.stdout.write(self.style.SUCCESS("Parauga dati gatavi."))
        self._print_rounds(past_rounds, open_round)
        self.stdout.write(f"Demo konti (parole visiem: {DEMO_PASSWORD}):")
        if past_rounds:
            self.stdout.write(
                f"  {'aktivists.<kopiena>@example.lv':32} kopienu aktīvisti ar iepriekšējo "
                "konkursu pieteikumiem un lēmumiem /mans/ (piemēram, aktivists.preili@example.lv)"
            )
        for email, *_rest, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:32} {description}")
        self.stdout.write(STAFF_TWO_FACTOR_HINT)

    def _print_rounds(self, past_rounds, open_round) -> None:
        supported_total = 0
        for grant_round in past_rounds:
            figures = Application.objects.filter(round=grant_round).aggregate(
                applications=Count("pk"),
                supported=Count("pk", filter=Q(notified_decision=Application.Decision.SUPPORTED)),
                awarded=Sum("notified_amount"),
            )
            supported_total += figures["supported"]
            self.stdout.write(
                f"  {grant_round.title} ({grant_round.reference_code}): pieteikumi "
                f"{figures['applications']}, atbalstīti {figures['supported']}, piešķirti "
                f"{money(figures['awarded'] or Decimal(0))}; "
                f"rezultāti /konkursi/{grant_round.slug}/rezultati/"
            )
        if past_rounds:
            self.stdout.write(
                f"  Iepriekšējos {len(past_rounds)} konkursos atbalstītas kopā "
                f"{supported_total} kopienu idejas."
            )
        if open_round is not None:
            self.stdout.write(
                f"  Pieteikšanās atvērta: {open_round.title} /konkursi/{open_round.slug}/"
            )

    def _accounts(self) -> dict[str, object]:
        User = get_user_model()
        users = {}
        for email, first, last, staff, group_name, _description in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=email,
                defaults={
                    "email": email,
                    "first_name": first,
                    "last_name": last,
                    "is_staff": staff,
                },
            )
            if created:
                user.password = _demo_password_hash()
                user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            # allauth lets only a confirmed address log in: the demo addresses count as confirmed.
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[email] = user
        preili_centre = ResourceCentre.objects.filter(slug="preili").first()
        if preili_centre:
            preili_centre.managers.add(users["vaditajs@example.lv"])
        email, slug = CONFLICTED_ASSESSOR
        community = Community.objects.filter(slug=slug).first()
        if community:
            Membership.objects.get_or_create(
                user=users[email],
                community=community,
                defaults={"role": Membership.Role.MEMBER, "status": Membership.Status.ACTIVE},
            )
        preili = Community.objects.filter(slug="preili").first()
        if preili:
            Membership.objects.get_or_create(
                user=users["aktiviste@example.lv"],
                community=preili,
                defaults={"role": Membership.Role.LEADER, "status": Membership.Status.ACTIVE},
            )
        return users

    def _grant_round(self, users) -> GrantRound:
        """An open round to apply to, and the demo activist's draft in it."""
        today = timezone.localdate()
        riga = timezone.get_current_timezone()
        year = today.year + 1
        grant_round, created = GrantRound.objects.get_or_create(
            slug=f"mazo-iniciativu-konkurss-{year}",
            defaults={
                "title": f"Mazo iniciatīvu konkurss {year}",
                "year": year,
                "summary": "Atbalsts kopienu iniciatīvām, kas iesaista mazāk aktīvos. " + DEMO_MARK,
                "description": (
                    "Konkurss atbalsta Latgales kopienu mazās iniciatīvas: idejas, ko kopiena "
                    "pati izdomā un īsteno kopā ar kaimiņiem, skolu, pašvaldību vai uzņēmējiem. "
                    "Īpaši gaidītas iniciatīvas, kas iesaista jauniešus, vīriešus pēc 35 gadiem, "
                    "mazākumtautības un ģimenes ar bērniem. " + DEMO_MARK
                ),
                "rules": (
                    "Pieteikumu iesniedz kopienas aktīvists vai līderis kopienas vārdā.\n"
                    "Prasītā summa nepārsniedz lielāko pieļaujamo atbalstu.\n"
                    "Iniciatīvu īsteno konkursā noteiktajā laikā. " + DEMO_MARK
                ),
                "opens_at": datetime.combine(today - timedelta(days=10), time(9), riga),
                "closes_at": datetime.combine(today + timedelta(days=30), time(23, 59, 59), riga),
                "implementation_starts": date(year, 3, 1),
                "implementation_ends": date(year, 10, 31),
                "total_budget": Decimal("15000.00"),
                "max_grant": Decimal("1500.00"),
                "status": GrantRound.Status.OPEN,
                "reference_code": f"DK-{year}",
            },
        )
        if not created:
            return grant_round
        grant_round.target_groups.set(TargetGroup.objects.all())
        grant_round.assessors.set(users[email] for email in DEMO_ASSESSORS)
        Criterion.objects.bulk_create(
            Criterion(round=grant_round, title=title, max_points=points, weight=weight, order=n)
            for n, (title, points, weight) in enumerate(DEMO_CRITERIA)
        )
        preili = Community.objects.filter(slug="preili").first()
        if preili:
            draft = Application.objects.create(
                round=grant_round,
                applicant=users["aktiviste@example.lv"],
                community=preili,
                title="Kopienas dārzs pie bibliotēkas",
                summary="Iekopsim dārzu, kur satikties visām paaudzēm. " + DEMO_MARK,
            )
            BudgetLine.objects.create(
                application=draft,
                item="Stādi un sēklas",
                category=BudgetLine.Category.MATERIALS,
                quantity=Decimal(30),
                unit_price=Decimal("12.50"),
            )
        return grant_round

    def _past_rounds(self, users) -> list[GrantRound]:
        """The three past competitions, replayed through the services; a round that exists
        already (by its address) is left as it is."""
        communities = {c.slug: c for c in Community.objects.all()}
        needed = {idea["community"] for spec in PAST_ROUNDS for idea in spec["ideas"]}
        if not needed <= communities.keys():
            self.stdout.write(
                "Iepriekšējie konkursi izlaisti: vispirms ielādējiet Latgales kopienas "
                "(manage.py load_latgale)."
            )
            return []
        activists = self._activists(communities)
        assessors = [users[email] for email in DEMO_ASSESSORS]
        coordinator = users["koordinators@example.lv"]
        groups = {g.slug: g for g in TargetGroup.objects.all()}
        elements = {e.slug: e for e in ModelElement.objects.all()}
        rounds = []
        for spec in PAST_ROUNDS:
            slug = PAST_ROUND_SLUG.format(year=spec["year"])
            existing = GrantRound.objects.filter(
                Q(slug=slug) | Q(reference_code=f"DK-{spec['year']}")
            ).first()
            if existing is None:
                existing = self._past_round(
                    spec,
                    slug=slug,
                    communities=communities,
                    activists=activists,
                    assessors=assessors,
                    coordinator=coordinator,
                    groups=groups,
                    elements=elements,
                )
            rounds.append(existing)
        return rounds

    def _activists(self, communities) -> dict[str, object]:
        """One demo activist for each community that applied in the past rounds."""
        User = get_user_model()
        activists = {}
        for slug, (first, last) in DEMO_ACTIVISTS.items():
            email = f"aktivists.{slug}@example.lv"
            user, created = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": first, "last_name": last}
            )
            if created:
                user.password = _demo_password_hash()
                user.save()
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                Membership.objects.get_or_create(
                    user=user,
                    community=communities[slug],
                    defaults={
                        "role": Membership.Role.ACTIVIST,
                        "status": Membership.Status.ACTIVE,
                    },
                )
            activists[slug] = user
        return activists

    def _past_round(
        self, spec, *, slug, communities, activists, assessors, coordinator, groups, elements
    ) -> GrantRound:
        year = spec["year"]
        riga = timezone.get_current_timezone()
        opens = datetime.combine(date(*spec["opens"]), time(9), riga)
        closes = datetime.combine(date(*spec["closes"]), time(23, 59, 59), riga)
        grant_round = GrantRound.objects.create(
            slug=slug,
            title=f"Mazo iniciatīvu konkurss {year}",
            year=year,
            summary=f"{spec['summary']} {DEMO_MARK}",
            description=(
                f"{spec['summary']} Konkursā varēja pieteikties „Darbīgo kopienu” aktīvisti "
                "Latgalē ar idejām, kas kopienu satuvina un iesaista mazāk aktīvos iedzīvotājus: "
                "neredzamos jauniešus, vīriešus pēc 35 gadiem, mazākumtautību pārstāvjus un "
                f"ģimenes ar bērniem. {DEMO_MARK}"
            ),
            rules=(
                "Pieteikumu iesniedz kopienas aktīvists kopienas vārdā.\n"
                f"Lielākais atbalsts vienai iniciatīvai: {spec['max_grant']:.0f} €.\n"
                f"Iniciatīvu īsteno no 1. maija līdz 31. oktobrim. {DEMO_MARK}"
            ),
            opens_at=opens,
            closes_at=closes,
            implementation_starts=date(year, 5, 1),
            implementation_ends=date(year, 10, 31),
            total_budget=spec["budget"],
            max_grant=spec["max_grant"],
            status=GrantRound.Status.ASSESSMENT,
            reference_code=f"DK-{year}",
            last_number=len(spec["ideas"]),
        )
        grant_round.target_groups.set(groups.values())
        grant_round.assessors.set(assessors)
        criteria = Criterion.objects.bulk_create(
            Criterion(
                round=grant_round,
                title=title,
                guidance=guidance,
                max_points=points,
                weight=Decimal(weight),
                order=n,
            )
            for n, (title, points, weight, guidance) in enumerate(spec["criteria"])
        )
        ideas = {}
        for number, idea in enumerate(spec["ideas"], start=1):
            application = self._past_application(
                grant_round,
                idea,
                number=number,
                community=communities[idea["community"]],
                applicant=activists[idea["community"]],
                groups=groups,
                elements=elements,
            )
            ideas[application.pk] = idea
        for index, (pk, idea) in enumerate(ideas.items()):
            application = Application.objects.select_related("round").get(pk=pk)
            for n, assessor in enumerate(assessors):
                # The assessors worked in the fortnight after the deadline.
                when = closes + timedelta(days=3 + (index + 4 * n) % 12, hours=10 + n * 3)
                self._assess(application, idea, index, n, assessor, criteria, when)
        grant_round.status = GrantRound.Status.DECISIONS
        grant_round.save(update_fields=["status", "updated_at"])
        decided = closes + timedelta(days=24)
        ranking = selectors.ranking(grant_round=grant_round)
        for position, row in enumerate(ranking.rows):
            application, idea = row.application, ideas[row.application.pk]
            if position < spec["supported"]:
                decision = Application.Decision.SUPPORTED
                award = idea["award"] or row.application.requested_total
            elif position < spec["supported"] + spec["reserve"]:
                decision, award = Application.Decision.RESERVE, None
            else:
                decision, award = Application.Decision.NOT_SUPPORTED, None
            message = DECISION_MESSAGES[decision]
            if idea["award"]:
                message += PARTIAL_AWARD_MESSAGE
            services.record_decision(
                application=application,
                actor=coordinator,
                decision=decision,
                awarded_amount=award,
                message=message,
            )
            HistoryEntry.objects.filter(
                application=application, action=HistoryEntry.Action.DECISION
            ).update(at=decided + timedelta(minutes=position))
        services.publish_results(grant_round=grant_round, actor=coordinator)
        published = closes + timedelta(days=28, hours=12)
        GrantRound.objects.filter(pk=grant_round.pk).update(
            results_published_at=published, created_at=opens - timedelta(days=21)
        )
        HistoryEntry.objects.filter(
            round=grant_round,
            action__in=[HistoryEntry.Action.PUBLISHED, HistoryEntry.Action.NOTIFIED],
        ).update(at=published)
        Application.objects.filter(round=grant_round).update(notified_at=published)
        # Carried out in the summer of their year: the initiatives are done.
        Initiative.objects.filter(application__round=grant_round).update(
            status=Initiative.Status.COMPLETED, created_at=published
        )
        return grant_round

    def _past_application(
        self, grant_round, idea, *, number, community, applicant, groups, elements
    ) -> Application:
        year = grant_round.year
        submitted = grant_round.closes_at - timedelta(days=number % 9 + 1, hours=number % 7)
        target_groups = [groups[slug] for slug in idea["groups"] if slug in groups]
        reached = ", ".join(g.title.lower() for g in target_groups) or "kaimiņi"
        application = Application.objects.create(
            round=grant_round,
            applicant=applicant,
            community=community,
            number=number,
            reference=f"{grant_round.reference_code}-{number:03d}",
            title=idea["title"],
            summary=f"{idea['summary']} {DEMO_MARK}",
            needs=(
                f"Idejas apspriešanā {community.name} sapulcē iedzīvotāji atzina, ka trūkst "
                "iemesla un vietas, kur satikties dažādām paaudzēm un kaimiņiem, kuri līdz šim "
                "kopienas dzīvē nepiedalījās."
            ),
            goals=(
                f"Iesaistīt {idea['participants'] or 'pēc iespējas vairāk'} dalībniekus "
                f"(īpaši: {reached}) un turpināt kopīgo darbu arī pēc iniciatīvas beigām."
            ),
            activities=idea["activities"],
            timeline=(
                f"Maijs–jūnijs {year}: sagatavošana; jūlijs–septembris: īstenošana; "
                "oktobris: noslēguma tikšanās un atskaite."
            ),
            partners=idea["partners"],
            starts_on=grant_round.implementation_starts,
            ends_on=grant_round.implementation_ends,
            expected_participants=idea["participants"] or None,
            status=Application.Status.SUBMITTED,
            submitted_at=submitted,
        )
        application.target_groups.set(target_groups)
        application.model_elements.set(
            elements[slug] for slug in _model_elements(idea) if slug in elements
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                item=item,
                category=category,
                quantity=Decimal(quantity),
                unit_price=Decimal(price),
                own_contribution=Decimal(own[0]) if own else Decimal(0),
                order=order,
            )
            for order, (item, category, quantity, price, *own) in enumerate(idea["lines"])
        )
        ApplicationRevision.objects.create(
            application=application,
            kind=ApplicationRevision.Kind.SUBMITTED,
            version=application.version,
            author=applicant,
            snapshot=services.snapshot(application),
        )
        Application.objects.filter(pk=application.pk).update(
            created_at=submitted - timedelta(days=6), updated_at=submitted
        )
        ApplicationRevision.objects.filter(application=application).update(created_at=submitted)
        return application

    def _assess(self, application, idea, index, n, assessor, criteria, when) -> None:
        """Assessor number `n` assesses: declares a conflict, or declares none and submits
        points with a comment for every criterion. The platform's own conflict check (the
        assessor belongs to the applicant's community) needs no declaration: it excludes
        the assessment by itself."""
        assessment = services.open_assessment(application=application, assessor=assessor)
        if assessment.auto_conflict:
            pass
        elif idea["conflict"] and idea["conflict"][0] == n:
            services.declare_conflict(
                assessment=assessment,
                actor=assessor,
                conflict=Assessment.Conflict.DECLARED,
                reason=idea["conflict"][1],
                version=assessment.version,
            )
        else:
            assessment = services.declare_conflict(
                assessment=assessment,
                actor=assessor,
                conflict=Assessment.Conflict.NONE,
                reason="",
                version=assessment.version,
            )
            values = {}
            for c, criterion in enumerate(criteria):
                points = _past_points(idea, index, n, c, criterion.max_points)
                share = points / criterion.max_points
                level = "high" if share >= 0.8 else "mid" if share >= 0.5 else "low"
                values[criterion.pk] = (points, SCORE_COMMENTS[level][(index + n + c) % 3])
            services.save_scores(
                assessment=assessment,
                actor=assessor,
                values=values,
                version=assessment.version,
                submit=True,
            )
            Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=when - timedelta(hours=1), updated_at=when
        )
        HistoryEntry.objects.filter(assessment=assessment).update(at=when)

    def _centres(self, users) -> None:
        for index, centre in enumerate(ResourceCentre.objects.order_by("slug")):
            changed = []
            if not centre.opening_hours:
                centre.opening_hours = OPENING_HOURS
                changed.append("opening_hours")
            if not centre.contact_person:
                centre.contact_person = f"Parauga kontaktpersona {DEMO_MARK}"
                centre.phone = f"+371 6000 00{index:02d}"
                centre.email = f"{centre.slug}@example.lv"
                changed += ["contact_person", "phone", "email"]
            if not centre.accessibility_notes:
                centre.accessibility_notes = ACCESSIBILITY_NOTES
                changed.append("accessibility_notes")
            if changed:
                centre.save()
            if centre.slug in PHOTO_CENTRES and not centre.photos.exists():
                for number in range(2):
                    add_centre_photo(
                        centre=centre,
                        upload=_sample_photo(index * 10 + number),
                        alt_text="Parauga attēls: krāsaini apļi ar uzrakstu „PARAUGA FOTO”",
                        caption=f"Parauga attēls {DEMO_MARK}",
                        order=number,
                    )

    def _events(self) -> None:
        """Upcoming events at every centre and the initiative's record of held trainings.

        The record reproduces the brochure: 95 training sessions for communities and teachers,
        and, with the community events held, about 6,000 people reached; the home page's
        figures are computed from these rows. Bulk inserts keep `make run` quick.
        """
        if Event.objects.filter(slug__startswith=DEMO_EVENT_PREFIX).exists():
            return
        centres = list(ResourceCentre.objects.order_by("slug"))
        communities = {c.resource_centre_id: c for c in Community.objects.all()}
        groups = list(TargetGroup.objects.order_by("order", "pk"))
        now = timezone.localtime()
        events = []
        for index, centre in enumerate(centres):
            for number, (kind, title) in enumerate(UPCOMING_EVENTS):
                day = (now + timedelta(days=7 + index * 3 + number * 11)).replace(
                    hour=17 if number else 11, minute=0, second=0, microsecond=0
                )
                events.append(
                    _demo_event(
                        slug=f"{DEMO_EVENT_PREFIX}{centre.slug}-{number + 1}",
                        title=f"{title} – {centre.settlement}",
                        kind=kind,
                        centre=centre,
                        community=communities.get(centre.pk),
                        starts_at=day,
                        capacity=12 + 4 * number,
                    )
                )
        held = []
        for number in range(HELD_TRAININGS + HELD_COMMUNITY_EVENTS):
            centre = centres[number % len(centres)] if centres else None
            training = number < HELD_TRAININGS
            kind, title = (
                HELD_TRAINING_KINDS[number % len(HELD_TRAINING_KINDS)]
                if training
                else (Event.Kind.COMMUNITY_EVENT, "Kopienas svētki")
            )
            # From spring 2019 on, about three weeks apart.
            day = timezone.make_aware(datetime(2019, 4, 6, 11)) + timedelta(days=number * 19)
            event = _demo_event(
                slug=f"{DEMO_EVENT_PREFIX}notikusi-{number + 1:03d}",
                title=f"{title} – {centre.settlement if centre else 'Latgale'}",
                kind=kind,
                centre=centre,
                community=communities.get(centre.pk) if centre else None,
                starts_at=day,
                capacity=80,
            )
            event.attendees_count = _attendance(number, training=training)
            event.organisations_count = 2 + number % 6
            event.closed_at = day + timedelta(days=1)
            event.report = f"Pasākums notika, kā plānots. {DEMO_MARK}"
            held.append(event)
        Event.objects.bulk_create(events + held, batch_size=500)
        if groups:
            EventGroupCount.objects.bulk_create(
                EventGroupCount(
                    event=event,
                    target_group=groups[number % len(groups)],
                    count=event.attendees_count // 3,
                )
                for number, event in enumerate(held)
            )


DEMO_EVENT_PREFIX = "parauga-"
UPCOMING_EVENTS = [
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām: kā uzrakstīt mazās iniciatīvas ideju"),
    (Event.Kind.COMMUNITY_EVENT, "Kopienas vakars"),
]
HELD_TRAININGS = 95
HELD_COMMUNITY_EVENTS = 50
HELD_TRAINING_KINDS = [
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām"),
    (Event.Kind.TEACHERS_SEMINAR, "Seminārs pedagogiem"),
    (Event.Kind.COMMUNITY_TRAINING, "Mācības kopienām"),
    (Event.Kind.LEADERS_SCHOOL, "Līderu skola"),
]
# Trainings gather 20–40 people each; the community events held share the rest of 6,000.
PEOPLE_REACHED = 6000


def _attendance(number: int, *, training: bool) -> int:
    if training:
        return 20 + (number * 7) % 21
    trainings_total = sum(20 + (n * 7) % 21 for n in range(HELD_TRAININGS))
    share, rest = divmod(PEOPLE_REACHED - trainings_total, HELD_COMMUNITY_EVENTS)
    return share + (1 if number - HELD_TRAININGS < rest else 0)


def _demo_event(*, slug, title, kind, centre, community, starts_at, capacity) -> Event:
    return Event(
        slug=slug,
        title=title,
        kind=kind,
        format=Event.Format.IN_PERSON,
        centre=centre,
        community=community,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        capacity=capacity,
        registration_mode=Event.RegistrationMode.PLATFORM,
        description=(
            "Praktiska nodarbība: iepazīstamies, dalāmies pieredzē un kopā plānojam nākamos "
            f"soļus savai kopienai. {DEMO_MARK}"
        ),
    )


# --- The initiative's three past competitions (issue 4, part 9) -------------------------------
#
# The brochure: "3 community initiative competitions held, 32 community ideas supported". Each
# past round is replayed through the platform's own services, as coordinators and assessors would
# have used them: assessors declare conflicts and submit scores, the coordinator records decisions
# from the ranking and publishes the results (which makes the HistoryEntry rows, the Initiative
# records and one decision mail per application). Only the submitted applications themselves are
# written directly, with the reference numbers and dates they had. The supported ideas are the top
# of each round's ranking, and each round's budget is drawn so that its funding line falls just
# below them.

PAST_ROUND_SLUG = "mazo-iniciativu-konkurss-{year}"


def _idea(
    community,
    title,
    summary,
    activities,
    partners,
    participants,
    groups,
    lines,
    quality,
    *,
    conflict=None,
    disputed=False,
    award=None,
):
    """One past application. `quality` (0–100) is where the assessors' points centre;
    `conflict` is (assessor number, reason) for an assessor who declares a conflict of interest;
    `disputed` makes the third assessor score far lower (the ranking flags the disagreement);
    `award` is a partial award, below the request."""
    return {
        "community": community,
        "title": title,
        "summary": summary,
        "activities": activities,
        "partners": partners,
        "participants": participants,
        "groups": groups,
        "lines": lines,
        "quality": quality,
        "conflict": conflict,
        "disputed": disputed,
        "award": award,
    }


YOUTH, MEN, MINORITIES, FAMILIES = (
    "neredzamie-jauniesi",
    "viriesi-35",
    "mazakumtautibas",
    "gimenes-ar-berniem",
)

PAST_ROUNDS = [
    {
        "year": 2019,
        "opens": (2019, 3, 4),
        "closes": (2019, 4, 12),
        "budget": Decimal("6500.00"),
        "max_grant": Decimal("800.00"),
        "supported": 10,
        "reserve": 2,
        "summary": "Pirmais „Darbīgo kopienu” konkurss: atbalsts idejām, ko kopienas izdomā un "
        "īsteno pašas.",
        "criteria": [
            ("Atbilstība kopienas vajadzībām", 10, "1", "Vai vajadzību apzinājusi pati kopiena?"),
            (
                "Iedzīvotāju iesaiste un brīvprātīgais darbs",
                10,
                "1.5",
                "Cik iedzīvotāju piedalīsies, un vai viņi darbosies paši, ne tikai skatīsies?",
            ),
            (
                "Īstenošanas plāna un budžeta pamatotība",
                10,
                "1",
                "Vai plāns ir reāls un katra izdevumu pozīcija saistīta ar aktivitātēm?",
            ),
            (
                "Ilgtspēja pēc projekta",
                5,
                "0.5",
                "Kas paliks kopienai, kad projekts būs beidzies?",
            ),
        ],
        "ideas": [
            _idea(
                "sakstagals",
                "Talka „Pī Boņa” laukuma iekārtošanai",
                "Skolēni, vecāki un vietējie uzņēmēji kopā iekārto brīvdabas sanākšanas vietu pie "
                "Sakstagala pamatskolas: soliņus, ugunskura vietu un informācijas stendu.",
                "Trīs talkas, soliņu izgatavošana skolas darbnīcā, laukuma atklāšanas pikniks.",
                "Sakstagala Jāņa Klīdzēja pamatskola, vietējā kokapstrādes darbnīca",
                60,
                [FAMILIES, YOUTH],
                [
                    ("Zāģmateriāli soliņiem", "materials", 1, "420.00"),
                    ("Akmeņi un smilts ugunskura vietai", "materials", 1, "180.00"),
                    ("Zupa talkas dalībniekiem", "catering", 60, "2.50"),
                ],
                88,
            ),
            _idea(
                "nautreni",
                "Paaudžu virtuve: dabas velšu žāvēšana kopā",
                "Seniori māca jauniešiem žāvēt augļus, ogas un sēnes centra žāvējamajā skapī un "
                "dalās ar savām receptēm; rudenī kopā sarīkojam degustācijas vakaru.",
                "Sešas darbnīcas no jūlija līdz oktobrim un receptu lapas izdruka.",
                "Nautrēnu vidusskola, pagasta pensionāru biedrība",
                35,
                [YOUTH],
                [
                    ("Žāvēšanas sieti un trauki", "materials", 12, "15.00"),
                    ("Produkti darbnīcām", "materials", 1, "160.00"),
                    ("Receptu lapu druka", "services", 1, "180.00"),
                ],
                85,
                conflict=(
                    1,
                    "Esmu Nautrēnu pensionāru biedrības biedre un piedalījos idejas apspriešanā.",
                ),
            ),
            _idea(
                "preili",
                "Māla darbnīcas ceplī ģimenēm ar bērniem",
                "Sestdienās centra ceplī ģimenes kopā veido un apdedzina māla traukus; kamēr rokas "
                "darbojas, vecāki iepazīstas un runā par to, ko mainīt apkaimē.",
                "Astoņas darbnīcas ar podnieku un noslēguma izstāde bibliotēkā.",
                "Preiļu Bērnu un jauniešu centrs, Preiļu bibliotēka",
                45,
                [FAMILIES],
                [
                    ("Māls un glazūras", "materials", 1, "340.00"),
                    ("Podnieka meistarklases", "services", 4, "90.00"),
                    ("Izstādes iekārtošana", "other", 1, "50.00", "100.00"),
                ],
                83,
            ),
            _idea(
                "aglona",
                "Lāzergravēšanas pulciņš jauniešiem un vecākiem",
                "Jaunieši apgūst centra lāzergravieri un paši māca vecākiem: kopā gatavojam zīmes "
                "Aglonas takām un dāvanas kopienas svētkiem.",
                "Divpadsmit nodarbības, takas zīmju uzstādīšanas talka.",
                "Aglonas bērnu un jauniešu centrs, Aglonas vidusskola",
                30,
                [YOUTH, FAMILIES],
                [
                    ("Koka un finiera sagataves", "materials", 1, "260.00"),
                    ("Pulciņa vadītāja darbs", "services", 6, "60.00"),
                ],
                81,
            ),
            _idea(
                "daugavpils",
                "Ģimeņu sestdienas klubā „Mezgls”",
                "Reizi mēnesī ģimenes ar bērniem satiekas klubā „Mezgls”: radošas darbnīcas "
                "bērniem, bet vecākiem saruna par kopīgām iniciatīvām savā apkaimē.",
                "Astoņas sestdienas, bērnu pieskatīšana darbnīcu laikā, kopīgs noslēguma pikniks.",
                "Klubs „Mezgls”, apkaimes pirmsskola",
                80,
                [FAMILIES, MINORITIES],
                [
                    ("Radošo darbnīcu materiāli", "materials", 1, "300.00"),
                    ("Bērnu pieskatīšana darbnīcu laikā", "services", 8, "35.00"),
                    ("Tēja un uzkodas", "catering", 8, "20.00"),
                ],
                79,
            ),
            _idea(
                "varkava",
                "Vārkavas parka lapenes atjaunošanas talka",
                "Atjaunojam lapeni Vārkavas parkā, lai tur atkal varētu sanākt uz koncertiem un "
                "sarunām; darbos iesaistām vīrus, kuri līdz šim kopienas pasākumos nepiedalījās.",
                "Divas talkas, lapenes krāsošana, atklāšanas vakars ar vietējiem muzikantiem.",
                "Vārkavas pagasta pārvalde, vietējais galdnieks",
                40,
                [MEN],
                [
                    ("Krāsa un impregnants", "materials", 1, "280.00"),
                    ("Dēļi un stiprinājumi", "materials", 1, "340.00"),
                    ("Talkas pusdienas", "catering", 40, "3.00", "40.00"),
                ],
                77,
            ),
            _idea(
                "zilupe",
                "Skolēni māca senioriem datorprasmes",
                "Mūzikas un mākslas skolas datorklasē skolēni māca senioriem sazināties ar "
                "tuviniekiem, lietot internetbanku un e-pakalpojumus.",
                "Desmit nodarbības pēc stundām, atgādņu lapas senioriem.",
                "Zilupes Mūzikas un mākslas skola, Zilupes vidusskola",
                25,
                [YOUTH, MINORITIES],
                [
                    ("Atgādņu lapu druka", "services", 1, "90.00"),
                    ("Bezvadu peles un austiņas", "equipment", 10, "18.00"),
                    ("Kafijas pauzes", "catering", 10, "15.00"),
                ],
                75,
            ),
            _idea(
                "dagda",
                "Brīvdabas kino vakari Dagdā",
                "Četri kino vakari kultūras centra pagalmā: filmas izvēlas jaunieši, bet pēc "
                "seansa visi kopā spriež, kādus pasākumus Dagdā rīkot tālāk.",
                "Četri seansi jūlijā un augustā ar sarunu pēc filmas.",
                "Dagdas Kultūras centrs",
                120,
                [YOUTH, FAMILIES],
                [
                    ("Ekrāna un projektora noma", "services", 4, "80.00"),
                    ("Filmu demonstrēšanas licences", "services", 4, "45.00"),
                    ("Popkorns un dzērieni", "catering", 1, "120.00"),
                ],
                90,
                disputed=True,
            ),
            _idea(
                "ilukste",
                "Rotaļu un atpūtas stūrītis pie pirmsskolas",
                "Vecāki un kaimiņi kopā iekārto rotaļu stūrīti pirmsskolas teritorijā, kas "
                "vakaros un brīvdienās ir atvērts visiem apkaimes bērniem.",
                "Divas talkas, koka rotaļu elementu uzstādīšana, atklāšanas svētki.",
                "Ilūkstes pirmsskolas izglītības iestāde, pilsētas pārvalde",
                50,
                [FAMILIES],
                [
                    ("Koka rotaļu elementi", "materials", 1, "480.00"),
                    ("Smilts un mulča", "materials", 1, "150.00"),
                    ("Talkas uzkodas", "catering", 1, "70.00"),
                ],
                73,
            ),
            _idea(
                "kraslava",
                "Krāslavas vīru darbnīca: putnu būrīši un soliņi",
                "Vīri pēc 35 gadiem reizi nedēļā satiekas darbnīcā un gatavo putnu būrīšus un "
                "soliņus pilsētas parkiem; darbus palīdz izvietot skolēni.",
                "Desmit darbnīcas vakari, būrīšu izvietošanas talka.",
                "Krāslavas novada būvvalde, Krāslavas Varavīksnes vidusskola",
                20,
                [MEN],
                [
                    ("Dēļi un skrūves", "materials", 1, "260.00"),
                    ("Instrumentu noma", "equipment", 1, "120.00"),
                    ("Darbnīcas telpas elektrība", "premises", 1, "50.00"),
                ],
                71,
            ),
            _idea(
                "priezmale",
                "Priežmales kopienas vēstures albums",
                "Savācam un skenējam ģimeņu fotogrāfijas, pierakstām vecāko iedzīvotāju stāstus "
                "un izdodam albumu par Priežmales ciemu.",
                "Fotogrāfiju vākšanas dienas, intervijas, albuma atvēršanas svētki.",
                "Kastuļinas pagasta pārvalde",
                30,
                [FAMILIES],
                [
                    ("Fotogrāfiju skenēšana", "services", 1, "200.00"),
                    ("Albuma druka", "services", 30, "12.00"),
                ],
                62,
            ),
            _idea(
                "sakstagals",
                "Sporta svētki „Sakstagala vasara”",
                "Ģimeņu sporta diena ar stafetēm, virves vilkšanu un futbolu, ko rīko paši "
                "jaunieši.",
                "Viena sporta diena augustā.",
                "Sakstagala pamatskola",
                90,
                [YOUTH, FAMILIES],
                [
                    ("Balvas un medaļas", "materials", 1, "220.00"),
                    ("Tiesnešu darbs", "services", 1, "150.00"),
                    ("Ūdens un augļi", "catering", 1, "130.00"),
                ],
                58,
            ),
            _idea(
                "daugavpils",
                "Akordeons kopienas ansamblim",
                "Kopienas ansamblim iegādājamies akordeonu, lai varētu uzstāties apkaimes svētkos.",
                "Instrumenta iegāde un mēģinājumi.",
                "Kopienas ansamblis",
                8,
                [],
                [("Akordeons", "equipment", 1, "790.00")],
                38,
            ),
        ],
    },
    {
        "year": 2020,
        "opens": (2020, 2, 17),
        "closes": (2020, 3, 31),
        "budget": Decimal("7500.00"),
        "max_grant": Decimal("1000.00"),
        "supported": 11,
        "reserve": 1,
        "summary": "Iniciatīvas, kas pulcē kopienu arī tad, kad jāsatiekas ārā vai attālināti.",
        "criteria": [
            (
                "Kopienas vajadzību pamatojums",
                10,
                "1.5",
                "Vai vajadzība pamatota ar sarunām, aptauju vai kopienas sapulci?",
            ),
            (
                "Mazāk aktīvo iedzīvotāju iesaiste",
                10,
                "2",
                "Vai iniciatīva sasniedz jauniešus, vīriešus pēc 35, mazākumtautības vai "
                "ģimenes ar bērniem?",
            ),
            ("Sadarbība ar partneriem", 5, "1", "Skola, pašvaldība, uzņēmēji, biedrības."),
            ("Ilgtspēja", 5, "1", "Kas turpināsies pēc projekta beigām?"),
            ("Budžeta pamatotība", 5, "1", "Vai izdevumi ir samērīgi un vajadzīgi?"),
        ],
        "ideas": [
            _idea(
                "aglona",
                "Adīšanas darbnīcas ar adāmmašīnu",
                "Centra adāmmašīnu apgūst seniores kopā ar meitenēm no skolas: adām zeķes un "
                "cimdus kopienas ģimenēm, un jaunākās māca vecākajām lietot mašīnas programmas.",
                "Desmit darbnīcas, adījumu dāvināšanas pasākums Ziemassvētkos.",
                "Aglonas bērnu un jauniešu centrs, pagasta sociālais dienests",
                25,
                [YOUTH, FAMILIES],
                [
                    ("Dzija", "materials", 40, "6.50"),
                    ("Adāmmašīnas apkope", "services", 1, "120.00"),
                    ("Darbnīcu vadītājas darbs", "services", 10, "40.00"),
                ],
                89,
            ),
            _idea(
                "nautreni",
                "Zemnieki jauniešiem: karjeras dienas saimniecībās",
                "Vietējie zemnieki un uzņēmēji uzņem jauniešus savās saimniecībās uz darba dienu, "
                "lai jaunieši redzētu, ka arī laukos var veidot savu nākotni.",
                "Piecas karjeras dienas, kopīgs brauciens, pieredzes vakars skolā.",
                "Nautrēnu vidusskola, piecas zemnieku saimniecības",
                30,
                [YOUTH, MEN],
                [
                    ("Autobusa noma braucieniem", "transport", 5, "110.00"),
                    ("Pusdienas saimniecībās", "catering", 30, "6.00"),
                    ("Aizsargcimdi un zābaku pārvalki", "materials", 1, "90.00"),
                ],
                87,
            ),
            _idea(
                "zilupe",
                "Ziedoņa parka labiekārtošana ģimenēm ar bērniem",
                "Aktīvisti kopā ar ģimenēm turpina kopt Ziedoņa parku: uzstādām soliņus, "
                "smilšu kasti un puķu dobes, lai parkā būtu ērti pastaigāties ar bērniem.",
                "Trīs talkas pavasarī un rudenī, soliņu uzstādīšana.",
                "Zilupes novada pašvaldība, vietējais dārzkopības uzņēmums",
                70,
                [FAMILIES, MINORITIES],
                [
                    ("Soliņi", "equipment", 3, "160.00"),
                    ("Stādi puķu dobēm", "materials", 1, "220.00"),
                    ("Smilts un apmale smilšu kastei", "materials", 1, "130.00"),
                ],
                86,
            ),
            _idea(
                "dagda",
                "Tehniskā atbalsta punkts kopienas sapulcēm tiešsaistē",
                "Kultūras centrā iekārtojam vietu, kur aktīvisti bez savas tehnikas var "
                "pieslēgties tiešsaistes sapulcēm un mācībām, un brīvprātīgie palīdz to izdarīt.",
                "Aprīkojuma iegāde, brīvprātīgo dežūras divas reizes nedēļā.",
                "Dagdas Kultūras centrs",
                40,
                [MEN, FAMILIES],
                [
                    ("Tīmekļa kamera ar mikrofonu", "equipment", 1, "180.00"),
                    ("Skaļrunis konferencēm", "equipment", 1, "150.00"),
                    ("Brīvprātīgo apmācība", "services", 1, "200.00"),
                ],
                84,
                conflict=(
                    2,
                    "Dagdas Kultūras centrā strādā mans vīrs, kurš būs viens no dežurantiem.",
                ),
            ),
            _idea(
                "preili",
                "Maizes cepšanas dienas ceplī",
                "Reizi mēnesī kopienas ceplī cepam maizi pēc vecmāmiņu receptēm; ar maizi dalāmies "
                "ar vientuļajiem kaimiņiem.",
                "Sešas cepšanas dienas un maizes nešana kaimiņiem.",
                "Preiļu Bērnu un jauniešu centrs, vietējā maizes ceptuve",
                50,
                [FAMILIES, MEN],
                [
                    ("Milti, raugs un sēklas", "materials", 6, "45.00"),
                    ("Malka ceplim", "materials", 2, "75.00"),
                    ("Maizes maisiņi ar kopienas zīmi", "materials", 200, "0.90"),
                ],
                82,
            ),
            _idea(
                "ilukste",
                "Ilūkstes vēstures taka: vecāko iedzīvotāju stāsti",
                "Jaunieši intervē vecākos iedzīvotājus un pēc viņu stāstiem izveido pastaigu taku "
                "ar planšetēm un QR kodiem, kuros dzirdami stāstītāju balsis.",
                "Intervijas, stāstu ierakstīšana, planšetu izgatavošana un takas atklāšana.",
                "Ilūkstes novadpētniecības muzejs, Ilūkstes vidusskola",
                45,
                [YOUTH],
                [
                    ("Planšetes ar QR kodiem", "materials", 8, "55.00"),
                    ("Ierakstu apstrāde", "services", 1, "260.00"),
                    ("Intervētāju transports", "transport", 1, "80.00"),
                ],
                80,
            ),
            _idea(
                "priezmale",
                "Stādīšanas diena Priežmalē",
                "Visa ciema talka: stādām ābeles un ogulājus pie pagasta pārvaldes, lai pēc dažiem "
                "gadiem tur būtu kopienas augļu dārzs.",
                "Stādīšanas talka pavasarī, kopšanas grafiks vasarā.",
                "Kastuļinas pagasta pārvalde, vietējā kokaudzētava",
                55,
                [FAMILIES, MEN],
                [
                    ("Ābeļu un ogulāju stādi", "materials", 40, "9.00"),
                    ("Mēslojums un mulča", "materials", 1, "110.00"),
                    ("Talkas zupa", "catering", 55, "2.00"),
                ],
                78,
            ),
            _idea(
                "kraslava",
                "Krāslavas jauniešu video stāsti par savu pilsētu",
                "Jaunieši, kuri nemācās un nestrādā, kopā ar video operatoru filmē īsus stāstus "
                "par Krāslavas cilvēkiem un vietām; filmas rādām pilsētas svētkos.",
                "Astoņas filmēšanas darbnīcas, montāža, seanss pilsētas svētkos.",
                "Krāslavas jauniešu centrs, vietējā televīzija",
                15,
                [YOUTH],
                [
                    ("Video operatora darbnīcas", "services", 8, "70.00"),
                    ("Mikrofoni un statīvs", "equipment", 1, "190.00"),
                ],
                94,
                disputed=True,
            ),
            _idea(
                "daugavpils",
                "Lasīšanas stundas bērniem vairākās valodās",
                "Vecāki lasa bērniem grāmatas latviešu, krievu un poļu valodā, un bērni mācās "
                "cits no cita vārdus; pēc lasīšanas kopīgi zīmējam stāstu varoņus.",
                "Divpadsmit lasīšanas stundas klubā „Mezgls”.",
                "Klubs „Mezgls”, Latgales Centrālā bibliotēka",
                40,
                [MINORITIES, FAMILIES],
                [
                    ("Grāmatas bērniem", "materials", 25, "12.00"),
                    ("Zīmēšanas piederumi", "materials", 1, "90.00"),
                    ("Tēja un cepumi", "catering", 12, "10.00"),
                ],
                76,
                award=Decimal("420.00"),
            ),
            _idea(
                "varkava",
                "Vārkavas muižas vēstures izpētes ekspedīcija",
                "Skolēni un seniori kopā pēta muižas kompleksa vēsturi arhīvos un sarunās, un "
                "rezultātus izliek izstādē centra telpās.",
                "Divi braucieni uz arhīvu, sarunas ar vietējiem, izstāde.",
                "Vārkavas vidusskola, Preiļu vēstures un lietišķās mākslas muzejs",
                25,
                [YOUTH],
                [
                    ("Brauciens uz arhīvu", "transport", 2, "120.00"),
                    ("Izstādes stendi un druka", "materials", 1, "310.00"),
                ],
                74,
            ),
            _idea(
                "sakstagals",
                "Ģimeņu pārgājiens un orientēšanās spēle",
                "Ģimenes kopā ar bērniem dodas pārgājienā pa Sakstagala apkārtni un spēlē "
                "orientēšanās spēli, ko izveidojuši paši skolēni.",
                "Spēles sagatavošana, divi pārgājieni, noslēguma pikniks pie „Pī Boņa”.",
                "Sakstagala pamatskola, pagasta pārvalde",
                70,
                [FAMILIES],
                [
                    ("Kartes un kontrolpunktu zīmes", "materials", 1, "140.00"),
                    ("Pirmās palīdzības komplekti", "materials", 2, "35.00"),
                    ("Pikniks", "catering", 70, "3.00"),
                ],
                72,
            ),
            _idea(
                "aglona",
                "Jauniešu e-sporta turnīrs",
                "Turnīrs datorspēlēs, lai uz centru atnāktu jaunieši, kuri citos pasākumos "
                "nepiedalās.",
                "Viens turnīrs ar trīs kārtām.",
                "Aglonas bērnu un jauniešu centrs",
                24,
                [YOUTH],
                [
                    ("Spēļu konsoles noma", "equipment", 3, "90.00"),
                    ("Balvas", "materials", 1, "250.00"),
                ],
                60,
            ),
            _idea(
                "zilupe",
                "Pasākumu telts un galdi kopienai",
                "Kopienai iegādājamies telti un saliekamos galdus, ko aizdot pasākumiem.",
                "Inventāra iegāde.",
                "",
                0,
                [],
                [
                    ("Pasākumu telts 6 × 3 m", "equipment", 1, "620.00"),
                    ("Saliekamie galdi", "equipment", 4, "85.00"),
                ],
                42,
            ),
            _idea(
                "preili",
                "Ielu basketbola turnīrs",
                "Vienas dienas basketbola turnīrs Preiļu skolas laukumā.",
                "Turnīrs jūnijā.",
                "Preiļu sporta skola",
                40,
                [YOUTH],
                [
                    ("Bumbas un tīkli", "materials", 1, "160.00"),
                    ("Tiesneši", "services", 1, "200.00"),
                    ("Balvas", "materials", 1, "140.00"),
                ],
                47,
            ),
        ],
    },
    {
        "year": 2021,
        "opens": (2021, 3, 1),
        "closes": (2021, 4, 16),
        "budget": Decimal("9000.00"),
        "max_grant": Decimal("1200.00"),
        "supported": 11,
        "reserve": 2,
        "summary": "Paaudžu sadarbība, amati un kopā pavadīts laiks brīvā dabā.",
        "criteria": [
            (
                "Kopienas vajadzību pamatojums",
                10,
                "1.5",
                "Vai vajadzība pamatota ar sarunām, aptauju vai kopienas sapulci?",
            ),
            (
                "Mazāk aktīvo iedzīvotāju iesaiste",
                10,
                "2",
                "Vai iniciatīva sasniedz jauniešus, vīriešus pēc 35, mazākumtautības vai "
                "ģimenes ar bērniem?",
            ),
            ("Sadarbība ar partneriem", 10, "1", "Skola, pašvaldība, uzņēmēji, biedrības."),
            ("Ilgtspēja pēc projekta beigām", 10, "1", "Kas turpināsies pēc projekta beigām?"),
            ("Budžeta pamatotība", 10, "1", "Vai izdevumi ir samērīgi un vajadzīgi?"),
        ],
        "ideas": [
            _idea(
                "preili",
                "Sarunu vakari „Kā mēs te dzīvojām”",
                "Seniori stāsta jauniešiem par Preiļu dzīvi pirms piecdesmit gadiem, bet jaunieši "
                "ieraksta stāstus un izveido no tiem nelielu grāmatiņu.",
                "Seši sarunu vakari ceplī, stāstu ierakstīšana, grāmatiņas atvēršana.",
                "Preiļu bibliotēka, Preiļu Bērnu un jauniešu centrs",
                60,
                [YOUTH],
                [
                    ("Grāmatiņas makets un druka", "services", 1, "540.00"),
                    ("Diktofons", "equipment", 1, "120.00"),
                    ("Tēja un pīrāgi", "catering", 6, "30.00"),
                ],
                90,
            ),
            _idea(
                "daugavpils",
                "Ģimeņu velobrauciens un drošas braukšanas skola",
                "Ceļu satiksmes drošības nodarbības bērniem un vecākiem, pēc tam kopīgs "
                "velobrauciens pa apkaimes ielām ar pieturām pie vietām, kuras kopiena grib "
                "uzlabot.",
                "Četras nodarbības pagalmā, velobrauciens, ierosinājumu vēstule pašvaldībai.",
                "Klubs „Mezgls”, Daugavpils pilsētas pašvaldības policija",
                80,
                [FAMILIES, MINORITIES],
                [
                    ("Atstarojošās vestes", "materials", 60, "4.50"),
                    ("Velo instruktora nodarbības", "services", 4, "90.00"),
                    ("Ķiveres bērniem", "equipment", 10, "22.00"),
                ],
                89,
                conflict=(0, "Mana meita ir šīs iniciatīvas brīvprātīgā instruktore."),
            ),
            _idea(
                "dagda",
                "Dagdas amatu diena: kalēji, pinēji un audējas",
                "Vietējie amatnieki rāda savu amatu un ļauj izmēģināt katram: kalšana, klūdziņu "
                "pīšana, aušana stellēs. Īpaši aicinām vīrus, kuri paši prot kādu amatu.",
                "Amatu diena kultūras centra pagalmā un trīs turpinājuma darbnīcas.",
                "Dagdas Kultūras centrs, vietējie amatnieki",
                150,
                [MEN, FAMILIES],
                [
                    ("Amatnieku meistarklases", "services", 5, "110.00"),
                    ("Materiāli izmēģinājumiem", "materials", 1, "260.00"),
                    ("Nojumes noma", "equipment", 1, "150.00"),
                ],
                88,
            ),
            _idea(
                "ilukste",
                "Kopienas dārzs ar augstajām dobēm",
                "Pie pirmsskolas iekārtojam augstās dobes, kurās kopā ar bērniem un senioriem "
                "audzējam garšaugus un dārzeņus; ražu izmantojam kopīgās pusdienās.",
                "Dobju būvēšanas talka, stādīšana, ražas svētki septembrī.",
                "Ilūkstes pirmsskolas izglītības iestāde, vietējais dārzkopis",
                50,
                [FAMILIES],
                [
                    ("Dēļi augstajām dobēm", "materials", 6, "65.00"),
                    ("Augsne un komposts", "materials", 1, "240.00"),
                    ("Sēklas un stādi", "materials", 1, "120.00"),
                    ("Ražas svētku pusdienas", "catering", 1, "150.00"),
                ],
                86,
                award=Decimal("750.00"),
            ),
            _idea(
                "nautreni",
                "Rogovkas ziemas sporta svētki",
                "Slēpošana, ragaviņu stafetes un zupa uz ugunskura visām paaudzēm; sacensību "
                "komandās kopā ir bērni, vecāki un vecvecāki.",
                "Viena sporta diena februārī, sagatavošanas talka trasei.",
                "Nautrēnu vidusskola, Rogovkas sporta klubs",
                120,
                [FAMILIES, MEN],
                [
                    ("Balvas un diplomi", "materials", 1, "230.00"),
                    ("Trases sagatavošana", "services", 1, "250.00"),
                    ("Zupa un tēja", "catering", 120, "2.50"),
                ],
                84,
            ),
            _idea(
                "varkava",
                "Lapenes vakari Vārkavas parkā",
                "Vasaras vakaros atjaunotajā lapenē spēlē vietējie muzikanti, un pēc koncerta "
                "kopiena spriež par nākamajām idejām.",
                "Pieci vakari no jūnija līdz augustam.",
                "Vārkavas pagasta pārvalde, vietējie muzikanti",
                100,
                [MEN, FAMILIES],
                [
                    ("Skaņas aparatūras noma", "services", 5, "70.00"),
                    ("Muzikantu ceļa izdevumi", "transport", 5, "40.00"),
                    ("Gaismas virtene lapenei", "equipment", 1, "150.00"),
                ],
                82,
            ),
            _idea(
                "kraslava",
                "Pagalmu talkas Krāslavā",
                "Daudzdzīvokļu māju iedzīvotāji kopā sakopj savus pagalmus, iestāda krūmus un "
                "uzstāda soliņus; katrā pagalmā talku vada kāds no pašiem iedzīvotājiem.",
                "Četras pagalmu talkas, apmācība talku vadītājiem.",
                "Krāslavas namu pārvalde, biedrības vietējie brīvprātīgie",
                90,
                [MEN, MINORITIES],
                [
                    ("Krūmu stādi", "materials", 40, "7.50"),
                    ("Soliņi", "equipment", 2, "180.00"),
                    ("Darbarīki", "materials", 1, "160.00"),
                ],
                80,
            ),
            _idea(
                "priezmale",
                "Bērnu vasaras radošā nometne",
                "Piecu dienu dienas nometne, kurā bērni kopā ar vecākiem un vietējiem amatniekiem "
                "apgūst rokdarbus, spēlē teātri un iekopj puķu dobi pie pārvaldes.",
                "Nometne jūlijā un noslēguma izrāde vecākiem.",
                "Kastuļinas pagasta pārvalde, Priežmales bibliotēka",
                35,
                [FAMILIES],
                [
                    ("Nometnes vadītāju darbs", "services", 5, "80.00"),
                    ("Radošie materiāli", "materials", 1, "210.00"),
                    ("Pusdienas", "catering", 5, "48.00"),
                ],
                78,
            ),
            _idea(
                "sakstagals",
                "Novadpētniecības stūrītis skolā",
                "Skolēni kopā ar vecvecākiem vāc priekšmetus un stāstus par Sakstagalu un Jāni "
                "Klīdzēju un skolā iekārto novadpētniecības stūrīti, kas atvērts visai kopienai.",
                "Priekšmetu vākšana, vitrīnas uzstādīšana, stūrīša atklāšana.",
                "Sakstagala Jāņa Klīdzēja pamatskola, pagasta bibliotēka",
                45,
                [YOUTH, FAMILIES],
                [
                    ("Vitrīna", "equipment", 1, "480.00"),
                    ("Aprakstu planšetes", "materials", 10, "18.00"),
                ],
                76,
            ),
            _idea(
                "zilupe",
                "Kultūras vakars „Kaimiņu galds”",
                "Zilupes latviešu, krievu un baltkrievu ģimenes klāj kopīgu galdu ar saviem "
                "ēdieniem un dziesmām; vakarā iepazīstamies un vienojamies par kopīgiem darbiem.",
                "Viens kultūras vakars un receptu grāmatiņa.",
                "Zilupes Mūzikas un mākslas skola, vietējās kultūras biedrības",
                110,
                [MINORITIES, FAMILIES],
                [
                    ("Telpu noma un uzkopšana", "premises", 1, "150.00"),
                    ("Produkti kopīgajam galdam", "catering", 1, "300.00"),
                    ("Receptu grāmatiņas druka", "services", 1, "220.00"),
                ],
                93,
                disputed=True,
            ),
            _idea(
                "aglona",
                "Vīru kopdarbnīca: laivu piestātne pie ezera",
                "Vīri pēc 35 gadiem kopā būvē nelielu laivu piestātni pie Cirīša ezera, un "
                "piestātni varēs izmantot visi ciema iedzīvotāji.",
                "Projektēšana ar pagasta būvinženieri, trīs būvdarbu talkas.",
                "Aglonas pagasta pārvalde, vietējā kokzāģētava",
                18,
                [MEN],
                [
                    ("Impregnēti dēļi un pāļi", "materials", 1, "690.00"),
                    ("Stiprinājumi", "materials", 1, "110.00"),
                ],
                72,
            ),
            _idea(
                "daugavpils",
                "Kopienas podkāsts par apkaimes cilvēkiem",
                "Jaunieši ieraksta podkāstu sēriju par apkaimes cilvēkiem un viņu darbiem.",
                "Sešas epizodes.",
                "Klubs „Mezgls”",
                12,
                [YOUTH],
                [
                    ("Mikrofoni", "equipment", 2, "150.00"),
                    ("Montāža", "services", 6, "60.00"),
                ],
                64,
            ),
            _idea(
                "nautreni",
                "Jauniešu kafejnīca brīvdienās",
                "Jaunieši sestdienās vada kafejnīcu centra telpās un mācās saimniekot.",
                "Kafejnīca darbojas astoņas sestdienas.",
                "Nautrēnu vidusskola",
                20,
                [YOUTH],
                [
                    ("Kafijas automāts", "equipment", 1, "450.00"),
                    ("Trauki", "materials", 1, "180.00"),
                ],
                60,
            ),
            _idea(
                "dagda",
                "Suvenīru ražošanas iekārtas",
                "Iekārtu iegāde suvenīru izgatavošanai un pārdošanai tūristiem.",
                "Iekārtu iegāde.",
                "",
                4,
                [],
                [("Vinila griezējs", "equipment", 1, "1150.00")],
                36,
            ),
            _idea(
                "kraslava",
                "Foto izstāde „Krāslava toreiz un tagad”",
                "Vecas un jaunas Krāslavas fotogrāfijas blakus izstādē pie kultūras nama.",
                "Izstāde vienu mēnesi.",
                "Krāslavas kultūras nams",
                0,
                [],
                [("Izstādes stendi", "materials", 10, "95.00")],
                45,
            ),
        ],
    },
]

# Assessors' comments, by how a criterion was scored (share of its maximum).
SCORE_COMMENTS = {
    "high": [
        "Ļoti labi pamatots, ar konkrētiem piemēriem no kopienas dzīves.",
        "Pārliecinoši: skaidrs, kas, kad un ar ko kopā tiks darīts.",
        "Stipra puse – pieteicēji jau iepriekš kopā ko paveikuši.",
    ],
    "mid": [
        "Pietiekami, taču trūkst konkrētu skaitļu.",
        "Ideja laba, bet apraksts vietām vispārīgs.",
        "Daļēji pamatots; plānu ar partneriem vajadzētu precizēt.",
    ],
    "low": [
        "Vāji pamatots: apraksts vispārīgs, trūkst konkrētu darbību.",
        "Nav skaidrs, kā tas tiks panākts.",
        "Šajā kritērijā pieteikums ir vājākais no visiem.",
    ],
}

DECISION_MESSAGES = {
    Application.Decision.SUPPORTED: (
        "Apsveicam! Jūsu iniciatīva saņem atbalstu. Līgumu un atskaites veidlapu nosūtīsim "
        "nedēļas laikā; konsultācijas īstenošanas laikā sniegs jūsu kopienas resursu centrs."
    ),
    Application.Decision.RESERVE: (
        "Jūsu pieteikums ir rezerves sarakstā: ja kāda atbalstītā iniciatīva atteiksies no "
        "finansējuma, sazināsimies ar jums."
    ),
    Application.Decision.NOT_SUPPORTED: (
        "Paldies par pieteikumu! Šoreiz tas atbalstu neguva: vērtētāji ieteica vairāk "
        "iesaistīt pašus iedzīvotājus un sasaistīt izdevumus ar aktivitātēm. Aicinām pieteikties "
        "nākamajā konkursā un izmantot resursu centra konsultācijas."
    ),
}
PARTIAL_AWARD_MESSAGE = (
    " Atbalsts piešķirts daļēji: ēdināšanas un dažu materiālu izmaksas sedziet no līdzfinansējuma."
)


def _model_elements(idea) -> list[str]:
    """The model elements an idea puts to work: always a small community initiative."""
    slugs = ["mazas-kopienu-iniciativas"]
    if {YOUTH, MEN, MINORITIES} & set(idea["groups"]):
        slugs.append("mazak-aktivo-grupu-motivesana")
    if FAMILIES in idea["groups"]:
        slugs.append("gimenu-iesaistisana")
    return slugs


def _past_points(idea, index: int, n: int, c: int, max_points: int) -> int:
    """Assessor `n`'s points for criterion `c` of the `index`-th idea: around the idea's
    quality, a fixed −8…+8 per assessor and criterion, the second assessor a little kinder and
    the third a little stricter; on a disputed idea the third scores 35 lower."""
    level = idea["quality"] + ((index * 7 + c * 3 + n * 5) % 5 - 2) * 4 + (0, 3, -3)[n % 3]
    if idea["disputed"] and n == 2:
        level -= 35
    return max(0, min(max_points, round(max_points * level / 100)))
