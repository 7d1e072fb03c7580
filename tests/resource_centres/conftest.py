"""Fixtures of the resource centre tests: two Latgale centres and staff of each role."""

import pytest

from resource_centres.models import ResourceCentre
from tests.resource_centres.admin_support import staff_in


@pytest.fixture
def preili(latgale):
    return ResourceCentre.objects.get(slug="preili")


@pytest.fixture
def aglona(latgale):
    return ResourceCentre.objects.get(slug="aglona")


@pytest.fixture
def coordinator(db):
    return staff_in("Koordinatori", "koordinatore")


@pytest.fixture
def manager(preili):
    user = staff_in("Centru vadītāji", "preilu-vaditaja")
    preili.managers.add(user)
    return user


@pytest.fixture
def assessor(db):
    return staff_in("Vērtētāji", "vertetajs")
