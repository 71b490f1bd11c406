"""Root URLconf: the storefront (shop.urls) under the `shop` namespace, sign-in, the
sitemap and robots.txt, and staff admin under /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from shop import views
from shop.sitemaps import SITEMAPS

admin.site.site_header = "Bookshop staff"
admin.site.site_title = "Bookshop staff"
admin.site.index_title = "Catalogue and shop"

urlpatterns = [
    path("", include("shop.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # django-payments' callbacks: the provider's return and webhooks (Stripe's goes to
    # payments/process/stripe/), each checked with the provider.
    path("payments/", include("payments.urls")),
]

if settings.DEBUG:
    # Local development only: production serves media from its web server or storage.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
