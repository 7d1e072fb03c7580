from django import template

from resource_centres.models import CentrePhoto

register = template.Library()


@register.filter
def thumbnail_url(path: str | None) -> str:
    """The URL of a stored thumbnail path, such as `cover_thumbnail` from `centre_list()`."""
    if not path:
        return ""
    return CentrePhoto._meta.get_field("thumbnail").storage.url(path)
