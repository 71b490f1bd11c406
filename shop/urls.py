"""Root URLconf: the storefront under the `shop` namespace, staff admin under /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, register_converter

from shop import views
from shop.sitemaps import SITEMAPS


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
        path("books/", views.book_list, name="book-list"),
        path("books/<slug:slug>-<isbn13:isbn>/", views.book_detail, name="book-detail"),
        path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
        path("isbn/<str:isbn>/", views.isbn_lookup, name="isbn-lookup"),
        path("basket/", views.basket_detail, name="basket"),
        path("basket/add/", views.basket_add, name="basket-add"),
        path("basket/lines/<int:line_id>/", views.basket_update, name="basket-update"),
        path("basket/lines/<int:line_id>/remove/", views.basket_remove, name="basket-remove"),
    ],
    "shop",
)

admin.site.site_header = "Bookshop staff"
admin.site.site_title = "Bookshop staff"
admin.site.index_title = "Catalogue and shop"

urlpatterns = [
    path("", include(shop_patterns)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Local development only: production serves media from its web server or storage.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
