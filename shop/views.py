"""Storefront views: thin, each reads through one catalogue QuerySet method."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from catalogue.models import Author, Book


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    books = Book.objects.for_listing().order_by("-published", "title")[:24]
    return render(request, "shop/home.html", {"books": books})


@require_GET
def book_detail(request: HttpRequest, slug: str, isbn: str) -> HttpResponse:
    book = get_object_or_404(Book.objects.for_detail(), isbn=isbn)
    if slug != book.slug:
        return redirect(book, permanent=True)
    return render(request, "shop/book_detail.html", {"book": book})


@require_GET
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    books = Book.objects.for_listing().by_author(author).order_by("-published", "title")
    return render(request, "shop/author_detail.html", {"author": author, "books": books})
