"""The site's page tree (Wagtail), mounted under /sections/ at the end of config/urls.py."""

from django.urls import path, re_path
from wagtail import views as wagtail_views

from hromada.content.views import serve

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's own pattern and name (page URLs are reversed through "wagtail_serve").
    re_path(r"^((?:[\w\-]+/)*)$", serve, name="wagtail_serve"),
]
