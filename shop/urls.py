"""Root URLconf: the storefront under the `shop` namespace, staff admin under /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter

from shop import views


class ISBN13Converter:
    regex = r"97[89][0-9]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ISBN13Converter, "isbn13")

shop_patterns = (
    [
        path("", views.home, name="home"),
        path("books/<slug:slug>-<isbn13:isbn>/", views.book_detail, name="book-detail"),
        path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
    ],
    "shop",
)

admin.site.site_header = "Bookshop staff"
admin.site.site_title = "Bookshop staff"
admin.site.index_title = "Catalogue and shop"

urlpatterns = [
    path("", include(shop_patterns)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Local development only: production serves media from its web server or storage.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
