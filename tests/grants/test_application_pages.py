"""An application's page, its attachments' downloads and the admin's view of applications."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Application
from tests.factories import CommunityFactory, TargetGroupFactory, UserFactory
from tests.factories.grants import (
    PDF_BYTES,
    ApplicationFactory,
    ApplicationRevisionFactory,
    AttachmentFactory,
    BudgetLineFactory,
    GrantRoundFactory,
    activist,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client):
    community = CommunityFactory()
    user = activist(community)
    client.force_login(user)
    application = ApplicationFactory(
        round=GrantRoundFactory(reference_code="DK-2026"),
        applicant=user,
        community=community,
        status=Application.Status.SUBMITTED,
        reference="DK-2026-001",
        number=1,
    )
    ApplicationRevisionFactory(application=application, author=user)
    return application


@pytest.fixture
def coordinator():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Koordinatori"))
    # Staff reach the admin only with an authenticator app (kopienas/middleware.py).
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_application_page_queries_do_not_grow(client, submitted, django_assert_num_queries):
    BudgetLineFactory(application=submitted)
    AttachmentFactory(application=submitted)
    with django_assert_num_queries(9):
        first = client.get("/pieteikumi/DK-2026-001/")
    BudgetLineFactory.create_batch(49, application=submitted)
    AttachmentFactory.create_batch(9, application=submitted)
    with django_assert_num_queries(9):
        response = client.get("/pieteikumi/DK-2026-001/")

    page = parse(response.content)
    assert (
        len(parse(first.content).select("#budget tbody tr")),
        len(page.select("#budget tbody tr")),
    ) == (1, 50)
    assert len(page.select("#attachments li")) == 10
    assert page.texts("#budget tfoot tr") == ["Kopā 6 250,00 € 0,00 € 6 250,00 €"]


def test_edit_page_queries_do_not_grow(client, submitted):
    submitted.status = Application.Status.DRAFT
    submitted.reference = None
    submitted.number = None
    submitted.save()
    BudgetLineFactory(application=submitted)
    url = f"/pieteikumi/{submitted.draft_key}/labot/"
    with CaptureQueriesContext(connection) as one_line:
        client.get(url)
    BudgetLineFactory.create_batch(49, application=submitted)
    AttachmentFactory.create_batch(10, application=submitted)
    with CaptureQueriesContext(connection) as fifty_lines:
        page = parse(client.get(url).content)

    assert (len(one_line), len(fifty_lines)) == (16, 16)
    assert len(page.select("#budget-lines tr.budget-line")) == 53


def test_download_is_an_attachment_with_its_type_and_nosniff(client, submitted):
    attachment = AttachmentFactory(application=submitted, original_name="tāme 2026.pdf")

    response = client.get(f"/pieteikumi/DK-2026-001/pielikumi/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert {
        name: response[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Cache-Control",
        )
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=utf-8''t%C4%81me%202026.pdf",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store, max-age=0, no-cache, must-revalidate",
    }


def test_coordinator_downloads_a_submitted_attachment(client, submitted, coordinator):
    attachment = AttachmentFactory(application=submitted)
    client.force_login(coordinator)

    response = client.get(f"/pieteikumi/DK-2026-001/pielikumi/{attachment.pk}/")

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_admin_lists_only_submitted_applications_with_filters(client, submitted, coordinator):
    ApplicationFactory(round=submitted.round, title="Svešs melnraksts")
    other = ApplicationFactory(
        round=GrantRoundFactory(reference_code="DK-2027"),
        status=Application.Status.WITHDRAWN,
        reference="DK-2027-001",
        number=1,
    )
    other.target_groups.add(TargetGroupFactory(), TargetGroupFactory())
    client.force_login(coordinator)

    page = parse(client.get("/admin/grants/application/").content)

    assert sorted(page.texts("#result_list tbody th")) == ["DK-2026-001", "DK-2027-001"]
    assert [
        details.get("data-filter-title") for details in page.select("#changelist-filter details")
    ] == [
        "konkurss",
        "statuss",
        "kopiena",
        "mērķgrupas",
    ]


def test_admin_change_page_is_read_only_with_inlines(client, submitted, coordinator):
    BudgetLineFactory(application=submitted, item="Krāsa")
    attachment = AttachmentFactory(application=submitted, original_name="foto.pdf")
    client.force_login(coordinator)

    page = parse(client.get(f"/admin/grants/application/{submitted.pk}/change/").content)

    assert page.select("input[name=title]") == []
    assert page.select("textarea") == []
    links = [a.get("href") for a in page.select("a") if a.text == "foto.pdf"]
    assert links == [f"/pieteikumi/DK-2026-001/pielikumi/{attachment.pk}/"]
    assert "Krāsa" in page.text
