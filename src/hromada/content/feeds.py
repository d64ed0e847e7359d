"""RSS 2.0 and Atom feeds of a section's newest materials (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from hromada.content.models import MaterialPage, SectionPage
from hromada.content.selectors import MaterialFilter, kind_of_content_type, section_materials

FEED_ITEMS = 30


class SectionRssFeed(Feed):  # type: ignore[type-arg]
    """The newest materials of a section as RSS 2.0."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SectionPage:
        section: SectionPage = kwargs["section"]
        return section

    def title(self, obj: SectionPage) -> str:
        return str(obj.title)

    def link(self, obj: SectionPage) -> str:
        return str(obj.get_url(self.request))

    def description(self, obj: SectionPage) -> str:
        return _("Нові матеріали розділу «%(title)s»") % {"title": obj.title}

    def items(self, obj: SectionPage) -> list[MaterialPage]:
        self.kinds = kind_of_content_type()
        return list(
            section_materials(obj, MaterialFilter())
            .select_related("unit")
            .prefetch_related("tagged_items__tag")[:FEED_ITEMS]
        )

    def item_title(self, item: MaterialPage) -> str:
        return str(item.title)

    def item_description(self, item: MaterialPage) -> str:
        # Plain text: feed readers get no markup of ours (the generator escapes it).
        return str(item.summary)

    def item_link(self, item: MaterialPage) -> str:
        return str(item.get_url(self.request))

    def item_guid(self, item: MaterialPage) -> str:
        return f"{item.get_url(self.request)}#{item.pk}"

    def item_pubdate(self, item: MaterialPage) -> datetime:
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_updateddate(self, item: MaterialPage) -> datetime:
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item: MaterialPage) -> list[str]:
        return [t.tag.name for t in item.tagged_items.all()]

    def item_author_name(self, item: MaterialPage) -> str:
        return item.unit.short_name or item.unit.name if item.unit else ""


class SectionAtomFeed(SectionRssFeed):
    """The newest materials of a section as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj: SectionPage) -> str:
        return self.description(obj)
