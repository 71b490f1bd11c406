"""Storefront views. Each is thin: parse the request, read through catalogue QuerySet
methods that fetch everything a page shows in a fixed number of queries, render."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalogue.isbn import InvalidISBN, looks_like_isbn, normalise_isbn
from catalogue.models import Author, Book, Contribution, Imprint, Subject
from shop import listing
from shop.forms import BookSearchForm
from shop.structured_data import book_json_ld

BOOKS_PER_PAGE = 24
SHELVES_ON_HOME = 3
BOOKS_PER_SHELF = 6
ALSO_BY_COUNT = 6


def paginate(request: HttpRequest, items, per_page: int = BOOKS_PER_PAGE):
    """The requested page; a missing, malformed or out-of-range page number gives the
    first or last page rather than an error."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    return page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    shelves = []
    subjects = (
        Subject.objects.annotate(visible_books=Count("books", filter=Q(books__is_visible=True)))
        .filter(visible_books__gt=0)
        .order_by("-visible_books", "name")[:SHELVES_ON_HOME]
    )
    for subject in subjects:
        books = (
            Book.objects.published()
            .for_listing()
            .filter(subjects=subject)
            .order_by("-published", "title")[:BOOKS_PER_SHELF]
        )
        shelves.append((subject, books))
    context = {
        "new_releases": Book.objects.published().for_listing().order_by("-published", "title")[:12],
        "coming_soon": Book.objects.forthcoming().for_listing().order_by("published", "title")[:6],
        "shelves": shelves,
    }
    return render(request, "shop/home.html", context)


@require_GET
def book_list(request: HttpRequest) -> HttpResponse:
    form = BookSearchForm(request.GET)
    criteria = form.criteria()
    query = criteria.get("q", "")
    if query and looks_like_isbn(query):
        # A search that is an ISBN goes straight to the book when the shop has it.
        try:
            book = Book.objects.visible().filter(isbn=normalise_isbn(query)).first()
        except InvalidISBN:
            book = None
        if book is not None:
            return redirect(book)

    subjects = list(Subject.objects.all())
    imprints = list(Imprint.objects.all())
    books = listing.filter_books(Book.objects.for_listing(), criteria, subjects, imprints)
    page = paginate(request, books)
    context = {
        "form": form,
        "criteria": criteria,
        "query": query,
        "page": page,
        "subjects": subjects,
        "imprints": imprints,
        "active_filters": listing.active_filters(request.GET, criteria, subjects, imprints),
        "page_query": listing.query_without(request.GET, "page"),
        "isbn_searched": bool(query) and looks_like_isbn(query),
    }
    return render(request, "shop/book_list.html", context)


@require_GET
def book_detail(request: HttpRequest, slug: str, isbn: str) -> HttpResponse:
    book = get_object_or_404(Book.objects.for_detail(), isbn=isbn)
    if slug != book.slug:
        return redirect(book, permanent=True)
    also_by = []
    for author in book.authors:
        others = (
            Book.objects.for_listing()
            .by_author(author, role=Contribution.Role.AUTHOR)
            .exclude(pk=book.pk)
            .order_by("-published", "title")[:ALSO_BY_COUNT]
        )
        also_by.append((author, others))
    context = {
        "book": book,
        "also_by": also_by,
        "json_ld": book_json_ld(book, request),
    }
    return render(request, "shop/book_detail.html", context)


@require_GET
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    contributions = Contribution.objects.for_author_page(author)
    page = paginate(request, contributions)
    context = {"author": author, "page": page}
    return render(request, "shop/author_detail.html", context)


@require_GET
def isbn_lookup(request: HttpRequest, isbn: str) -> HttpResponse:
    try:
        canonical = normalise_isbn(isbn)
    except InvalidISBN as error:
        raise Http404(f"{isbn} is not an ISBN: {error}") from error
    book = get_object_or_404(Book.objects.visible(), isbn=canonical)
    return redirect(book)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /basket/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
