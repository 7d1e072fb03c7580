"""`make bench` measures every public page: a named URL is either in PAGES or said not to be one."""

from devtools.bench.pages import NOT_PAGES, PAGES, unmeasured_url_names


def test_every_named_url_is_measured_or_named_as_no_page():
    assert unmeasured_url_names() == []


def test_pages_and_non_pages_do_not_overlap():
    assert sorted({page.url_name for page in PAGES} & NOT_PAGES) == []
