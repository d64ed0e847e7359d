"""Root URL configuration: each app owns its own urls module."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("hromada.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("hromada.accounts.urls")),
    path("", include("hromada.programs.urls")),
    path("", include("hromada.control.urls")),
    path("", include("hromada.documents.urls")),
    path("api/", include("hromada.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.HROMADA_BENCH_VIEWS:
    from hromada.core.views import bench_ceiling

    urlpatterns.append(path("bench/ceiling/", bench_ceiling))
