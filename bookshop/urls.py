"""Root URLconf: the storefront (shop.urls) under the `shop` namespace, the information
pages staff write (shop.pages: /delivery/, /returns/, /privacy/, /contact/), customer
accounts (django-allauth under /accounts/, the shop's account pages under /account/), the
sitemap and robots.txt, and staff admin under /admin/, whose sign-in is allauth's."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.flatpages.views import flatpage
from django.urls import include, path
from django.views.decorators.http import require_safe

from shop import views
from shop.pages import INFO_PAGES
from shop.sitemaps import sitemap_xml

admin.site.site_header = "Bookshop staff"
admin.site.site_title = "Bookshop staff"
admin.site.index_title = "Catalogue and shop"
# Staff sign in through the shop's sign-in page, with its rate limit on failed attempts;
# a signed-in customer who is not staff is refused admin (403), never shown its login.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("shop.urls")),
    # Each at its own path, not flatpages' fallback middleware (which runs on every 404).
    *(
        path(page.url.lstrip("/"), require_safe(flatpage), {"url": page.url}, name=page.name)
        for page in INFO_PAGES
    ),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shop.accounts.urls")),
    path("admin/", admin.site.urls),
    # django-payments' callbacks: the provider's return and webhooks (Stripe's goes to
    # payments/process/stripe/), each checked with the provider.
    path("payments/", include("payments.urls")),
]

if settings.DEBUG:
    # Local development only: production serves media from its web server or storage.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
