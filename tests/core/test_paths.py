"""core.paths.slug_path: the same path as reverse, in every language and under a script prefix."""

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse, set_script_prefix
from django.utils import translation

from core.paths import slug_path

VIEWS = ["resource_centres:detail", "communities:detail", "events:detail", "initiatives:detail"]
SLUGS = ["preili", "bench-00001-ozolkalni", "a_b-1", "0slug0", "A-Z"]
# What no slug pattern takes: refused as reverse refuses it.
NOT_SLUGS = ["Āboli", "a b", "x/../y", "%41", ""]


@pytest.fixture
def _script_prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("prefix", ["/", "/vietne/"])
def test_every_path_is_the_one_reverse_writes(language, prefix, _script_prefix):
    set_script_prefix(prefix)
    with translation.override(language):
        # Twice: the second time from the path kept the first time.
        paths = [[slug_path(view, slug) for view in VIEWS for slug in SLUGS] for _ in range(2)]
        reversed_ = [reverse(view, kwargs={"slug": slug}) for view in VIEWS for slug in SLUGS]

    assert paths == [reversed_, reversed_]
    assert paths[0][:2] == [
        f"{prefix}{'en/' if language == 'en' else ''}centri/preili/",
        f"{prefix}{'en/' if language == 'en' else ''}centri/bench-00001-ozolkalni/",
    ]


def test_what_is_not_a_slug_is_refused_as_reverse_refuses_it():
    refused = []
    for slug in NOT_SLUGS:
        with pytest.raises(NoReverseMatch) as by_reverse:
            reverse("communities:detail", kwargs={"slug": slug})
        with pytest.raises(NoReverseMatch) as by_slug_path:
            slug_path("communities:detail", slug)
        refused.append(str(by_slug_path.value) == str(by_reverse.value))

    assert refused == [True] * len(NOT_SLUGS)


def test_a_new_url_configuration_is_reversed_afresh(settings):
    assert slug_path("communities:detail", "preili") == "/kopienas/preili/"

    settings.ROOT_URLCONF = "tests.core.paths_urls"
    clear_url_caches()

    assert slug_path("communities:detail", "preili") == "/citur/preili/"
