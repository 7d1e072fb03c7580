"""`make bench` measures every public page: a named URL is either in PAGES or said not to be one."""

from devtools.bench.pages import NOT_PAGES, PAGES, unmeasured_url_names


def test_every_named_url_is_measured_or_named_as_no_page():
    assert unmeasured_url_names() == []


def test_pages_and_non_pages_do_not_overlap():
    assert sorted({page.url_name for page in PAGES} & NOT_PAGES) == []


def test_bench_only_names_one_page_kind_or_several():
    from collections import Counter

    from devtools.bench.run import chosen_pages

    assert Counter(page.url_name for page in chosen_pages("home, search")) == {
        "home": 1,
        "search": 3,
    }
    assert Counter(page.url_name for page in chosen_pages("item_week")) == {
        "resource_centres:item_week": 3
    }
    assert chosen_pages("") == list(PAGES)
    assert chosen_pages(" , ") == list(PAGES)
    assert chosen_pages("no-such-page") == []
