"""The home page's impact figures, composed from the apps that measure them."""

from communities.models import ImpactFigure
from events import selectors as event_selectors


def impact_figures() -> list[ImpactFigure]:
    """The headline figures; those the events measure come from the data once any is closed.

    The brochure's numbers stand until then; afterwards "trainings" and "participants" are
    `events.selectors.reach_figures()`, the one definition of each, and the coordinators'
    wording stays.
    """
    measured = event_selectors.reach_figures()
    figures = list(ImpactFigure.objects.all())
    for figure in figures:
        if figure.key in measured:
            # A count from the records is exact: "6 014", never "ap 6014".
            figure.value = measured[figure.key]
            figure.qualifier = ""
    return figures
