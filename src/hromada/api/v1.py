"""Routes of /api/v1/: each app contributes its viewsets here."""

from rest_framework.routers import DefaultRouter

from hromada.accounts.api import OrgUnitViewSet, PersonViewSet, PositionViewSet

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="orgunit")
router.register("positions", PositionViewSet, basename="position")
router.register("people", PersonViewSet, basename="person")

urlpatterns = router.urls
