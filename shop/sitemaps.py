"""sitemap.xml: every visible book and every author with a visible book, at the address
the request came to."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

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


@require_safe
def sitemap_xml(request: HttpRequest) -> TemplateResponse:
    """Django's sitemap view asks the sites framework for the domain, which would be the
    Site row's (there for the information pages, see shop.pages) rather than the host the
    shop is served at; this one lists each page under the request's own host, as
    robots.txt and every page's canonical link do. Otherwise it answers as Django's does
    (`?p=` pages every section at once; a page one of them lacks is a 404)."""
    site = RequestSite(request)
    urls = []
    for section in SITEMAPS.values():
        try:
            urls.extend(
                section().get_urls(page=request.GET.get("p", 1), site=site, protocol=request.scheme)
            )
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404("No such page of the sitemap") from error
    response = TemplateResponse(
        request, "sitemap.xml", {"urlset": urls}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
