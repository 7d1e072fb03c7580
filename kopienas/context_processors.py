from django.conf import settings


def site(request):
    return {"SITE_URL": settings.SITE_URL, "MAP_TILES": settings.MAP_TILE_URL}
