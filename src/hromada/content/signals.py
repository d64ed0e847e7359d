"""Wagtail's publish and unpublish signals, handed to our services.

Wagtail publishes from its editor, from a workflow's final approval and from the
scheduled-publishing command; its signals are the one place all of them pass. The acting
user comes from Wagtail's log context (set for every admin request); without one (the
scheduler) the event is the system's.
"""

from __future__ import annotations

from typing import Any

from wagtail.log_actions import get_active_log_context
from wagtail.models import Page

from hromada.content.services import page_publication_record


def _actor(revision: Any = None) -> Any:
    user = get_active_log_context().user
    if user is None and revision is not None:
        user = revision.user
    return user


def page_published(sender: Any, instance: Page, revision: Any = None, **kwargs: Any) -> None:
    """Record a publication (audit, search text, caches)."""
    page_publication_record(page=instance, actor=_actor(revision), published=True)


def page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Record an unpublication (audit, caches)."""
    page_publication_record(page=instance, actor=_actor(), published=False)
