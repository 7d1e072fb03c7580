"""Resource centres and their equipment."""

from decimal import Decimal

import factory

from resource_centres.models import Equipment, ResourceCentre


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
