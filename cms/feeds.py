"""RSS and Atom feeds of an AnnouncementIndexPage."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cms import seo

FEED_SIZE = 20


class AnnouncementRssFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index_page.translated_title

    # Absolute links on the Wagtail site's host: Django would prefix relative ones with the
    # django.contrib.sites record's domain (example.com unless someone edits it).
    def link(self):
        return self.index_page.get_full_url(self.request)

    def feed_url(self):
        return seo.absolute(self.request, self.request.path)

    def description(self):
        return self.index_page.translated_search_description or self.index_page.translated_title

    def items(self):
        return self.index_page.announcements()[:FEED_SIZE]

    def item_title(self, item):
        return item.translated_title

    def item_description(self, item):
        return item.translated_intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(8, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category.translated_name] if item.category else []


class AnnouncementAtomFeed(AnnouncementRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
