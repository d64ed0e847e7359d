"""Root URL configuration: each app owns its own urls module."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from hromada.portal.views import home as portal_home

urlpatterns: list[URLPattern | URLResolver] = [
    # The portal's home is the site's "/" (it takes core's place and its url name "home").
    path("", portal_home, name="home"),
    # First: an API request then skips resolving every page pattern (≈ 2 ms; the "" includes
    # have no "api/…" routes).
    path("api/", include("hromada.api.urls")),
    path("", include("hromada.core.urls")),
    path("", include("hromada.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("hromada.accounts.urls")),
    path("", include("hromada.programs.urls")),
    path("", include("hromada.control.urls")),
    path("", include("hromada.documents.urls")),
    path("", include("hromada.appeals.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Editorial content (Wagtail, docs/content.md): the CMS, its documents, renditions.
    path("cms/", include("wagtail.admin.urls")),
    path("cms-documents/", include("wagtail.documents.urls")),
    path("", include("hromada.content.urls")),
]

if settings.HROMADA_BENCH_VIEWS:
    from hromada.core.bench_views import bench_insert
    from hromada.core.views import bench_ceiling

    # Routed after the pages (as every ratio in docs/BENCHMARKS.md was measured): resolving
    # them costs the ceilings ≈ 0.19 ms a request, which routed first they would not pay;
    # BENCHMARKS.md ("the ceilings' routing") gives the ratios that would follow.
    urlpatterns.append(path("bench/ceiling/", bench_ceiling))
    urlpatterns.append(path("bench/insert/", bench_insert))

# Keep last: the Wagtail page tree (sections and materials) under /sections/.
urlpatterns.append(path("sections/", include("hromada.content.site_urls")))
