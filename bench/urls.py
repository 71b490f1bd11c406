"""The shop's URLs plus /bench/ceiling/: the fastest page Django can serve here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from bookshop.urls import urlpatterns as shop_urlpatterns


@require_safe
def ceiling(request: HttpRequest) -> HttpResponse:
    """A static page the size of a listing page, rendered through the same template engine,
    context processors and middleware as the shop's pages, with no queries and no cache."""
    return render(request, "ceiling.html")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    *shop_urlpatterns,
]
