"""Wagtail admin wiring: banners as snippets, audit of banner changes, section groups."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hromada.content.models import Banner, SectionPage
from hromada.content.services import banner_change_record, section_groups_ensure


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    menu_label = _("Банери")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "placement", "section", "start", "end", "order"]
    list_filter = ["placement"]
    ordering = ["order", "pk"]


register_snippet(BannerViewSet)


@hooks.register("after_create_snippet")
def banner_created(request: HttpRequest, instance: Any) -> None:
    if isinstance(instance, Banner):
        banner_change_record(banner=instance, actor=request.user, action="created")


@hooks.register("after_edit_snippet")
def banner_edited(request: HttpRequest, instance: Any) -> None:
    if isinstance(instance, Banner):
        banner_change_record(banner=instance, actor=request.user, action="changed")


@hooks.register("after_delete_snippet")
def banners_deleted(request: HttpRequest, instances: list[Any]) -> None:
    for instance in instances:
        if isinstance(instance, Banner):
            banner_change_record(banner=instance, actor=request.user, action="deleted")


@hooks.register("after_create_page")
def section_created(request: HttpRequest, page: Page) -> None:
    # A new section gets its editors' group at once (membership follows roles).
    if isinstance(page.specific, SectionPage):
        section_groups_ensure()
