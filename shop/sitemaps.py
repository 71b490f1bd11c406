"""sitemap.xml: every visible book and every author with a visible book."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from catalogue.models import Author, Book, Contribution


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["shop:home", "shop:book-list"]

    def location(self, item):
        return reverse(item)


class BookSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Book.objects.visible().only("slug", "isbn", "updated_at").order_by("pk")

    def lastmod(self, book):
        return book.updated_at


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        visible_work = Contribution.objects.filter(author=OuterRef("pk"), book__is_visible=True)
        return Author.objects.filter(Exists(visible_work)).only("slug").order_by("pk")


SITEMAPS = {"pages": StaticSitemap, "books": BookSitemap, "authors": AuthorSitemap}
