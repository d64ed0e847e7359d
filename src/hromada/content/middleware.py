"""Keep a department editor's CMS groups in line with their hromada roles on /cms/."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

CMS_PREFIX = "/cms/"


class EditorGroupsMiddleware:
    """On CMS requests: refuse signed-in people without CMS access; sync editors' groups.

    Roles are granted in hromada (accounts); Wagtail's page permissions work through
    groups. Syncing on the way into the CMS means a new or withdrawn role takes effect on
    the editor's next CMS request, with no job to run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(CMS_PREFIX) and request.user.is_authenticated:
            if not request.user.has_perm("wagtailadmin.access_admin"):
                raise PermissionDenied
            if not request.user.is_superuser:
                from hromada.content.services import editor_groups_in_sync, editor_groups_sync

                if not editor_groups_in_sync(request.user):
                    editor_groups_sync(user=request.user)
        return self.get_response(request)
