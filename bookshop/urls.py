"""Root URLconf: the storefront (shop.urls) under the `shop` namespace, the information
pages staff write (shop.pages: /delivery/, /returns/, /privacy/, /contact/), sign-in, the
sitemap and robots.txt, and staff admin under /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.flatpages.views import flatpage
from django.urls import include, path
from django.views.decorators.http import require_safe

from shop import views
from shop.pages import INFO_PAGES
from shop.sitemaps import sitemap_xml

admin.site.site_header = "Bookshop staff"
admin.site.site_title = "Bookshop staff"
admin.site.index_title = "Catalogue and shop"

urlpatterns = [
    path("", include("shop.urls")),
    # Each at its own path, not flatpages' fallback middleware (which runs on every 404).
    *(
        path(page.url.lstrip("/"), require_safe(flatpage), {"url": page.url}, name=page.name)
        for page in INFO_PAGES
    ),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
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
