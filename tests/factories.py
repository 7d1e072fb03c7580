"""factory_boy factories for the project's models.

Values are deterministic sequences in correct Latvian, so a test can assert whole strings with
`==` instead of matching random Faker output. Centres are made without photos: a real photo needs
an image run through `resource_centres.services.add_centre_photo`. `populate_centre` and
`populate_community` fill rows with everything their pages show, for query-count tests.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import (
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    ModelElement,
    TargetGroup,
    Testimonial,
)
from events.models import Event, Registration
from resource_centres.models import CentrePhoto, Equipment, ResourceCentre


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"lietotajs{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.lv")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Bērziņa-{n}")
    password = factory.django.Password("parole-testiem-2026")


class ResourceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceCentre
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"centrs-{n}")
    name = factory.Sequence(lambda n: f"Kopienas resursu centrs nr. {n}")
    host = factory.Sequence(lambda n: f"Pagasta kultūras nams nr. {n}")
    settlement = "Līvāni"
    municipality = "Augšdaugavas novads"
    address = ""
    latitude = Decimal("56.35420")
    longitude = Decimal("26.17610")
    coords_approximate = False
    setting = ResourceCentre.Setting.INDOOR
    description = "Vieta, kur kopiena sanāk kopā."
    is_published = True


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    centre = factory.SubFactory(ResourceCentreFactory)
    name = factory.Sequence(lambda n: f"Projektors nr. {n}")
    kind = Equipment.Kind.EQUIPMENT
    quantity = 1
    order = factory.Sequence(lambda n: n)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"kopiena-{n}")
    name = factory.Sequence(lambda n: f"Darbīgā kopiena nr. {n}")
    municipality = "Augšdaugavas novads"
    description = ""
    resource_centre = factory.SubFactory(ResourceCentreFactory)
    is_published = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.REQUESTED

    class Params:
        # An accepted leader: the only kind of membership public pages name.
        leader = factory.Trait(role=Membership.Role.LEADER, status=Membership.Status.ACTIVE)


class ModelElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelElement
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"elements-{n}")
    title = factory.Sequence(lambda n: f"Modeļa elements nr. {n}")
    summary = "Kopienu stiprināšana."
    order = factory.Sequence(lambda n: n)


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"grupa-{n}")
    title = factory.Sequence(lambda n: f"Mērķa grupa nr. {n}")
    note = ""
    order = factory.Sequence(lambda n: n)


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"jedziens-{n}")
    term = factory.Sequence(lambda n: f"Jēdziens nr. {n}")
    author = ""
    text = "Skaidrojums, kas palīdz kopienai saprast sevi."
    order = factory.Sequence(lambda n: n)


class TestimonialFactory(factory.django.DjangoModelFactory):
    # The name starts with "Test": tell pytest this is no test class when a test imports it.
    __test__ = False

    class Meta:
        model = Testimonial

    person = factory.Sequence(lambda n: f"Ilze nr. {n}")
    role = ""
    community = None
    text = "Kopā mēs paveicam vairāk."
    is_published = True
    order = factory.Sequence(lambda n: n)


class ImpactFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImpactFigure
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"skaitlis-{n}")
    qualifier = ""
    value = 10
    label = "izveidoti kopienu resursu centri"
    order = factory.Sequence(lambda n: n)


def populate_community(community: Community, *, count: int = 1) -> Community:
    """Add `count` active leaders and published testimonials to a community.

    Also adds one requested leader and one active member: public pages must not name them.
    """
    MembershipFactory.create_batch(count, community=community, leader=True)
    MembershipFactory(
        community=community, role=Membership.Role.LEADER, status=Membership.Status.REQUESTED
    )
    MembershipFactory(
        community=community, role=Membership.Role.MEMBER, status=Membership.Status.ACTIVE
    )
    TestimonialFactory.create_batch(count, community=community)
    return community


def populate_centre(centre: ResourceCentre, *, count: int = 1) -> ResourceCentre:
    """Add `count` photos, equipment items and communities (each populated) to a centre.

    The photo rows name files that are never written: enough to render a page, which only
    builds their URLs.
    """
    start = centre.photos.count()
    CentrePhoto.objects.bulk_create(
        CentrePhoto(
            centre=centre,
            image=f"centres/photos/{centre.slug}-{number}.jpg",
            thumbnail=f"centres/thumbs/{centre.slug}-{number}.jpg",
            width=1200,
            height=800,
            alt_text=f"Kopienas talka, {number}. foto",
            order=number,
        )
        for number in range(start, start + count)
    )
    EquipmentFactory.create_batch(count, centre=centre)
    for community in CommunityFactory.create_batch(count, resource_centre=centre):
        populate_community(community)
    return centre


# --- Accounts (issue 3) -------------------------------------------------------------------------

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a fixed test key


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of a person's address: verified and primary unless told otherwise."""

    class Meta:
        model = "account.EmailAddress"

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.Profile"
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    phone = ""


def verified_user(**kwargs):
    """A person who signed up and confirmed their address, as allauth leaves them."""
    user = UserFactory(**kwargs)
    EmailAddressFactory(user=user)
    return user


def with_totp(user):
    """Turn on two-factor authentication (an authenticator app) for `user`, as staff must have
    before the admin lets them in (kopienas/middleware.py)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TEST_TOTP_SECRET)
    return user


class EventFactory(factory.django.DjangoModelFactory):
    """An upcoming event with registration on the platform, a week from now, two hours long."""

    class Meta:
        model = Event
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"pasakums-{n}")
    title = factory.Sequence(lambda n: f"Kopienas mācības nr. {n}")
    kind = Event.Kind.COMMUNITY_TRAINING
    format = Event.Format.IN_PERSON
    centre = factory.SubFactory(ResourceCentreFactory)
    community = None
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    capacity = 20
    registration_mode = Event.RegistrationMode.PLATFORM
    description = "Mācāmies kopā plānot kopienas iniciatīvas."
    is_published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration; use `services.register` where capacity matters."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = None
    name = factory.Sequence(lambda n: f"Dalībniece nr. {n}")
    email = factory.Sequence(lambda n: f"dalibniece{n}@example.lv")
    seats = 1
    status = Registration.Status.CONFIRMED
    token = factory.Sequence(lambda n: f"zetons-{n:06d}")
