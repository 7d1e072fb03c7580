from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from communities import urls as community_urls
from events import community_event_views, following_views
from events import views as event_views
from resource_centres import booking_views
from resource_centres import views as centre_views

from . import contact_views, figure_views, health, personal_views, search_views, sitemaps, views

admin.site.site_header = "Darbīgās kopienas"
admin.site.site_title = "Darbīgās kopienas: pārvaldība"
admin.site.index_title = "Pārvaldība"
# The admin's log-in is allauth's: one log-in page, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # An index of sections, each paginated (Sitemap.limit): one response renders at most a page
    # of entries, not every centre and community in two languages, however large the network.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap_section"),
    # Events moved from the communities app to their own: old admin links and bookmarks still
    # lead to the same pages.
    re_path(
        r"^admin/communities/(?P<model>event|registration)/(?P<rest>.*)$",
        views.moved_admin_page,
        name="moved_admin_page",
    ),
    path("admin/", admin.site.urls),
]

# The centres keep their own namespace; the list is the app's own page, while one centre's page
# also shows what the apps built on `resource_centres` hold about it (its communities), so a
# site view composes it (DESIGN §3).
centre_urlpatterns = (
    [
        path("", centre_views.centre_list, name="list"),
        path("<slug:slug>/", views.centre_detail, name="detail"),
        path("<slug:slug>/kalendars.ics", event_views.centre_feed, name="calendar"),
        path("<slug:slug>/sekot/", following_views.follow_centre, name="follow"),
        path("<slug:slug>/rezervet/<int:item_pk>/", booking_views.item_week, name="item_week"),
    ],
    "resource_centres",
)

# The same for a community: its page and calendar show its events (events builds on communities).
community_urlpatterns = (
    [
        *community_urls.urlpatterns,
        path("<slug:slug>/", views.community_detail, name="detail"),
        path("<slug:slug>/kalendars.ics", event_views.community_feed, name="calendar"),
        path("<slug:slug>/sekot/", following_views.follow_community, name="follow"),
        path("<slug:slug>/rakstit/", contact_views.contact_leaders, name="contact"),
        path(
            "<slug:slug>/pasakumi/jauns/",
            community_event_views.event_create,
            name="event_create",
        ),
    ],
    "communities",
)

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("par/", views.about, name="about"),
    path("celazimes/", views.glossary, name="glossary"),
    path("skaitli/", figure_views.figures, name="figures"),
    path("skaitli/skaitli.csv", figure_views.figures_csv, name="figures_csv"),
    path("privatums/", views.privacy, name="privacy"),
    path("meklet/", search_views.search_page, name="search"),
    path("centri/", include(centre_urlpatterns)),
    path("kopienas/", include(community_urlpatterns)),
    path("pasakumi/", include("events.urls")),
    path("", include("grants.urls")),
    path("iniciativas/", include("initiatives.urls")),
    path("mans/", personal_views.my_page, name="my_page"),
    path("mans/profils/", personal_views.my_profile, name="my_profile"),
    path("mans/dati/", personal_views.my_data, name="my_data"),
    path("mans/apkopojums/", following_views.digest_setting, name="my_digest"),
    path("mans/dzest/", personal_views.my_account_delete, name="my_account_delete"),
    path("mans/pasakumi/", event_views.my_registrations, name="my_registrations"),
    path("mans/rezervacijas/", booking_views.my_bookings, name="my_bookings"),
    path(
        "mans/rezervacijas/gaidamas/",
        booking_views.my_upcoming_bookings,
        name="my_upcoming_bookings",
    ),
    path("mans/rezervacijas/<int:pk>/", booking_views.my_booking, name="my_booking"),
    path("konts/", include("allauth.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "kopienas.errors.bad_request"
handler403 = "kopienas.errors.permission_denied"
handler404 = "kopienas.errors.page_not_found"
handler500 = "kopienas.errors.server_error"
