"""Every write of the editorial content that is ours, not Wagtail's.

Wagtail writes pages, revisions, workflow states and snippets itself (through its own
actions, which check its permissions). What hromada adds around them lives here: the CMS
groups that follow our roles, the search text of materials, the audit events of
publishing and banners, and the invalidation of the cached home fragment.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from hromada.accounts.permissions import forget_grants, grants_of
from hromada.accounts.roles import Role
from hromada.content.models import Banner, MaterialPage, PortalIndexPage, SectionPage
from hromada.core.audit import audit_record
from hromada.portal.search import normalise

PRESS_OFFICE_GROUP = "Прес-служба"
SECTION_GROUP_PREFIX = "Редактори розділу"
HOME_CACHE_KEYS = ("content:home:uk", "content:home:en")
SECTION_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
PRESS_PAGE_PERMISSIONS = (*SECTION_PAGE_PERMISSIONS, "publish_page")
SECTION_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
PRESS_COLLECTION_PERMISSIONS = (
    *SECTION_COLLECTION_PERMISSIONS,
    ("wagtailimages", "change_image"),
    ("wagtaildocs", "change_document"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_group(
    group: Group, page: Page, page_perms: tuple[str, ...], collection_perms: tuple[Any, ...]
) -> None:
    for codename in page_perms:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )
    root = Collection.get_first_root_node()
    for app_label, codename in collection_perms:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission(app_label, codename)
        )


@transaction.atomic
def press_office_group_ensure() -> Group:
    """Create the press office's CMS group: it edits and publishes every section."""
    group, created = Group.objects.get_or_create(name=PRESS_OFFICE_GROUP)
    index = PortalIndexPage.objects.first()
    if index is not None:
        _grant_group(group, index, PRESS_PAGE_PERMISSIONS, PRESS_COLLECTION_PERMISSIONS)
    if created:
        audit_record(actor=None, action="content.group.created", target=group)
    return group


@transaction.atomic
def section_groups_ensure() -> int:
    """Give every section without one its editors' CMS group; return how many were made."""
    made = 0
    for section in SectionPage.objects.select_for_update().filter(editors_group__isnull=True):
        group, _created = Group.objects.get_or_create(
            name=f"{SECTION_GROUP_PREFIX} #{section.pk}: {section.title}"[:150]
        )
        _grant_group(group, section, SECTION_PAGE_PERMISSIONS, SECTION_COLLECTION_PERMISSIONS)
        SectionPage.objects.filter(pk=section.pk).update(editors_group=group)
        audit_record(
            actor=None,
            action="content.section.group_created",
            target=section,
            data={"group": group.name, "unit_id": section.unit_id},
        )
        made += 1
    return made


def editor_group_ids(user: Any) -> set[int]:
    """Return the CMS groups a user's roles call for: press office, sections of their units.

    A city-wide editor is the press office (прес-служба); an editor of a unit edits the
    sections owned by that unit (and by its subunits when the role includes them).
    """
    grants = [g for g in grants_of(user) if g.role == Role.EDITOR]
    if not grants or not getattr(user, "is_staff", False):
        return set()
    wanted: set[int] = set()
    if any(g.unit_path is None for g in grants):
        press = Group.objects.filter(name=PRESS_OFFICE_GROUP).values_list("pk", flat=True).first()
        if press is not None:
            wanted.add(press)
    sections = SectionPage.objects.filter(
        unit__isnull=False, editors_group__isnull=False
    ).values_list("unit__path", "editors_group_id")
    for path, group_id in sections:
        if any(g.unit_path is not None and g.covers(path) for g in grants):
            wanted.add(group_id)
    return wanted


def managed_group_ids() -> set[int]:
    """Return the CMS groups whose membership follows roles (the others are left alone)."""
    return set(Group.objects.filter(name=PRESS_OFFICE_GROUP).values_list("pk", flat=True)) | set(
        SectionPage.objects.exclude(editors_group=None).values_list("editors_group", flat=True)
    )


def editor_groups_in_sync(user: Any) -> bool:
    """Return whether the user's CMS groups already match their editor roles (a read)."""
    current = set(user.groups.filter(pk__in=managed_group_ids()).values_list("pk", flat=True))
    return current == editor_group_ids(user)


@transaction.atomic
def editor_groups_sync(*, user: Any) -> bool:
    """Make the user's CMS groups match their editor roles; return whether anything changed."""
    from hromada.accounts.models import User

    locked = User.objects.select_for_update().get(pk=user.pk)
    forget_grants(locked)
    managed = managed_group_ids()
    wanted = editor_group_ids(locked)
    current = set(locked.groups.filter(pk__in=managed).values_list("pk", flat=True))
    if current == wanted:
        return False
    added, removed = wanted - current, current - wanted
    if removed:
        locked.groups.remove(*removed)
    if added:
        locked.groups.add(*added)
    audit_record(
        actor=None,
        action="content.editor_groups.synced",
        target=locked,
        data={
            "added": sorted(Group.objects.filter(pk__in=added).values_list("name", flat=True)),
            "removed": sorted(Group.objects.filter(pk__in=removed).values_list("name", flat=True)),
        },
    )
    return True


def material_search_text(page: MaterialPage) -> str:
    """Return the lemmas of a material's title, summary, text and tags."""
    from django.utils.html import strip_tags

    tags = " ".join(t.name for t in page.tags.all()) if page.pk else ""
    return normalise(page.title, page.summary, strip_tags(page.body or ""), tags)


def _drop_cached_pages() -> None:
    from hromada.portal.cache import portal_changed

    cache.delete_many(list(HOME_CACHE_KEYS))
    # Whole pages (the portal home, /sections/…) are cached under the portal stamp.
    portal_changed()


def content_cache_invalidate() -> None:
    """Drop the cached home fragment and portal pages once the transaction commits."""
    transaction.on_commit(_drop_cached_pages)


@transaction.atomic
def page_publication_record(*, page: Page, actor: Any, published: bool) -> None:
    """Record a publish or unpublish in the audit trail; reindex a material; drop caches."""
    specific = page.specific
    if isinstance(specific, MaterialPage):
        MaterialPage.objects.filter(pk=page.pk).update(search_text=material_search_text(specific))
    audit_record(
        actor=actor,
        action="content.page.published" if published else "content.page.unpublished",
        target=page,
        object_type="content.page",
        data={
            "title": page.title,
            "type": type(specific).__name__,
            "url_path": page.url_path,
            "revision_id": page.live_revision_id if published else None,
        },
    )
    content_cache_invalidate()


@transaction.atomic
def banner_change_record(*, banner: Banner, actor: Any, action: str) -> None:
    """Record a banner's creation, change or deletion and drop the cached home fragment."""
    audit_record(
        actor=actor,
        action=f"content.banner.{action}",
        target=banner,
        object_id=str(banner.pk or ""),
        data={
            "title": banner.title,
            "placement": banner.placement,
            "start": banner.start.isoformat() if banner.start else None,
            "end": banner.end.isoformat() if banner.end else None,
        },
    )
    content_cache_invalidate()


WORKFLOW_NAME = "Затвердження прес-службою"


@transaction.atomic
def site_setup() -> PortalIndexPage:
    """Make sure the city site exists: root, "Розділи сайту", site, press office, workflow.

    Migration 0002 does this on a new database; this does it again where the tables were
    emptied (transactional tests, a restored partial dump). Idempotent.
    """
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import (
        GroupApprovalTask,
        Locale,
        Site,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", live=True)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    index = PortalIndexPage.objects.first()
    if index is None:
        index = PortalIndexPage(title="Розділи сайту", slug="sections", live=True, intro="")
        root.add_child(instance=index)
        audit_record(actor=None, action="content.site.created", target=index)
    if not Site.objects.filter(is_default_site=True, root_page=index).exists():
        Site.objects.filter(is_default_site=True).delete()
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name=settings.HROMADA_CITY_NAME,
            root_page=index,
            is_default_site=True,
        )
    press = press_office_group_ensure()
    task = GroupApprovalTask.objects.filter(name=PRESS_OFFICE_GROUP).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=PRESS_OFFICE_GROUP, active=True)
    task.groups.set([press])
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return cast(PortalIndexPage, index)
