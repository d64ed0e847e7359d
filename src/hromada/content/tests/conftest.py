from __future__ import annotations

import pytest

from hromada.content.models import PortalIndexPage


@pytest.fixture
def site(db: None) -> PortalIndexPage:
    """The city site (root, index, press office, workflow): present even after a flush."""
    from hromada.content.services import site_setup

    return site_setup()
