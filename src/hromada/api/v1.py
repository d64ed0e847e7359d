"""Routes of /api/v1/: each app contributes its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from hromada.accounts.api import OrgUnitViewSet, PersonViewSet, PositionViewSet
from hromada.appeals.api import ROUTES as APPEALS_ROUTES
from hromada.control.api import (
    AssignmentViewSet,
    DisciplineView,
    ExtensionViewSet,
    ResolutionViewSet,
)
from hromada.documents.api import CorrespondentViewSet, DocumentViewSet, JournalViewSet
from hromada.portal.api import ROUTES as PORTAL_ROUTES
from hromada.portal.api import PortalSearchView
from hromada.programs.api import ROUTES as PROGRAMS_ROUTES

router = DefaultRouter()
# Appeals first: the intake endpoint is the busiest (≈ 300 registrations/s wanted), and
# Django tries the patterns in order (≈ 100 regular expressions before it otherwise).
for appeals_prefix, appeals_viewset, appeals_basename in APPEALS_ROUTES:
    router.register(appeals_prefix, appeals_viewset, basename=appeals_basename)
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("positions", PositionViewSet, basename="position")
router.register("people", PersonViewSet, basename="person")
router.register("control/assignments", AssignmentViewSet, basename="control-assignment")
router.register("control/resolutions", ResolutionViewSet, basename="control-resolution")
router.register("control/extensions", ExtensionViewSet, basename="control-extension")
router.register(
    "documents/correspondents", CorrespondentViewSet, basename="documents-correspondent"
)
router.register("documents/journals", JournalViewSet, basename="documents-journal")
router.register("documents", DocumentViewSet, basename="document")
for prefix, viewset, basename in PROGRAMS_ROUTES:
    router.register(prefix, viewset, basename=basename)
for prefix, viewset, basename in PORTAL_ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("portal/search/", PortalSearchView.as_view(), name="portal-search"),
    path("control/discipline/", DisciplineView.as_view(), name="control-discipline"),
    *router.urls,
]
