"""Helpers for tests: the site, sections, materials (through Wagtail's tree API)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from hromada.accounts.models import OrgUnit
from hromada.content.models import MaterialPage, NewsPage, PortalIndexPage, SectionPage
from hromada.content.services import section_groups_ensure, site_setup


def make_section(
    title: str, *, unit: OrgUnit | None = None, parent: Any = None, slug: str = ""
) -> SectionPage:
    """Create a live section under the site's index (or a parent) with its editors' group."""
    index: Any = parent or PortalIndexPage.objects.first() or site_setup()
    from django.utils.text import slugify

    section = SectionPage(
        title=title,
        slug=slug or slugify(title) or f"section-{SectionPage.objects.count() + 1}",
        unit=unit,
        live=True,
    )
    index.add_child(instance=section)
    section_groups_ensure()
    section.refresh_from_db()
    return section


def make_material(
    section: SectionPage,
    title: str,
    *,
    model: type[MaterialPage] = NewsPage,
    body: str = "<p>Текст.</p>",
    day: date | None = None,
    publish: bool = True,
    **fields: Any,
) -> MaterialPage:
    """Create a material in a section; published through a revision (signals fire) by default."""
    from django.utils.text import slugify

    page = model(
        title=title,
        slug=fields.pop("slug", "") or slugify(title) or f"m-{MaterialPage.objects.count() + 1}",
        date=day or timezone.localdate(),
        body=body,
        live=False,
        **fields,
    )
    section.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
