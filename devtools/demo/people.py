"""The demo accounts: staff in their groups, the Preiļi activist, and one activist for each
community that applied in the past rounds. All share the printed password `DEMO_PASSWORD`."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from communities.models import Community, Membership
from core.roles import ASSESSORS, CENTRE_MANAGERS, COORDINATORS
from resource_centres.models import ResourceCentre

from .common import DEMO_PASSWORD

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


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once per run and shared: each hash takes the hasher's full work factor (most of a
    # second), and the password is public anyway.
    return make_password(DEMO_PASSWORD)


def make_accounts() -> dict[str, object]:
    """The accounts of DEMO_ACCOUNTS by email, in their groups, with confirmed addresses; the
    Preiļi centre's manager, the conflicted assessor's and the activist's memberships."""
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


def make_activists(communities) -> dict[str, object]:
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


def make_leaders(communities, leaders_by_community) -> dict[str, object]:
    """One demo leader for each community of `leaders_by_community` (slug → given name,
    surname): lideris.<slug>@example.lv, who records the community's own initiatives."""
    User = get_user_model()
    leaders = {}
    for slug, (first, last) in leaders_by_community.items():
        email = f"lideris.{slug}@example.lv"
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
                defaults={"role": Membership.Role.LEADER, "status": Membership.Status.ACTIVE},
            )
        leaders[slug] = user
    return leaders
