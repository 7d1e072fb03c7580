"""Published initiatives with photos and reach for the tests of the public pages (branch
`public`), made through the services as tests/factories/initiatives.py makes them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from initiatives.models import Initiative
from initiatives.services import reports
from tests.factories.initiatives import fill_report, funded_initiative, own_initiative


def jpeg(name="foto.jpg", *, size=(800, 600), colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def report_with(
    initiative: Initiative,
    *,
    participants=40,
    elements=None,
    reach=None,
    photos=(),
    actor=None,
):
    """The initiative's report filled in, with reach ({TargetGroup: people}) and photos
    ([(alt text, caption)])."""
    report = fill_report(initiative, actor=actor, participants=participants, elements=elements)
    result = reports.save_report(
        report=report,
        actor=actor,
        version=report.version,
        changes=reports.ReportChanges(
            reach={group.pk: people for group, people in (reach or {}).items()},
            photos=[
                reports.PhotoUpload(
                    jpeg(f"foto-{i}.jpg"), alt_text=alt, caption=caption, consent=True
                )
                for i, (alt, caption) in enumerate(photos)
            ],
        ),
    )
    assert result.errors == {}, result.errors
    return result.report


def publish(initiative: Initiative, *, coordinator=None, **report) -> Initiative:
    """Report written, submitted, accepted and published through the services."""
    written = report_with(initiative, **report)
    reports.submit_report(report=written, actor=None)
    reports.accept_report(initiative=initiative, actor=coordinator)
    reports.publish_initiative(initiative=initiative, actor=coordinator)
    initiative.refresh_from_db()
    return initiative


def published_own(*, community, title, year, coordinator=None, leader=None, **report) -> Initiative:
    initiative = own_initiative(community=community, leader=leader, title=title, year=year)
    return publish(initiative, coordinator=coordinator, **report)


def published_funded(
    *, coordinator=None, grant_round=None, application=None, **report
) -> Initiative:
    """A funded initiative published; `application` holds the application's fields
    (community, title, ...)."""
    initiative = funded_initiative(grant_round=grant_round, **(application or {}))
    return publish(initiative, coordinator=coordinator, **report)


__all__ = [
    "jpeg",
    "publish",
    "published_funded",
    "published_own",
    "report_with",
]
