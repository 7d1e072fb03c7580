"""Communities, memberships, the model's content, and pages filled for query-count tests."""

import factory

from communities.models import (
    Community,
    GlossaryTerm,
    ImpactFigure,
    Membership,
    ModelElement,
    TargetGroup,
    Testimonial,
)
from resource_centres.models import CentrePhoto, ResourceCentre

from .accounts import UserFactory
from .centres import EquipmentFactory, ResourceCentreFactory


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
