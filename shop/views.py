"""Storefront views. Each is thin: parse the request, read through catalogue QuerySet
methods that fetch everything a page shows in a fixed number of queries, render."""

import hashlib

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from catalogue.isbn import InvalidISBN, looks_like_isbn, normalise_isbn
from catalogue.models import Author, Book, Contribution, Imprint, Subject
from catalogue.version import catalogue_version
from shop import holes, listing
from shop.basket import rules as basket_rules
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.forms import AddToBasketForm, BookSearchForm, LineQuantityForm, first_error
from shop.page_cache import cache_get_or_set, cached_page, page_query
from shop.pagination import BalancedPaginator
from shop.structured_data import book_json_ld

BOOKS_PER_PAGE = 24
SHELVES_ON_HOME = 3
BOOKS_PER_SHELF = 6
ALSO_BY_COUNT = 6


def paginate(request: HttpRequest, items, *, count: int | None = None):
    """The requested page; a missing, malformed or out-of-range page number gives the
    first or last page rather than an error."""
    paginator = BalancedPaginator(items, BOOKS_PER_PAGE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    return page


@require_safe
@cached_page()
def home(request: HttpRequest) -> HttpResponse:
    shelves = []
    # Which subjects are fullest is kept for hours; their names are read fresh, so a
    # renamed subject shows at once.
    ids = _fullest_subject_ids()
    subjects = sorted(Subject.objects.filter(pk__in=ids), key=lambda s: ids.index(s.pk))
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


def _fullest_subject_ids() -> list[int]:
    """The subjects with the most books already out, for the home page's shelves. Counting
    every subject link is the costliest query the home page has, and which subjects are
    fullest changes slowly, so the answer is kept for a few hours."""

    def fullest() -> list[int]:
        # Shelves hold books already out, so count only those.
        out_now = Q(books__is_visible=True, books__published__lte=timezone.localdate())
        return list(
            Subject.objects.annotate(books_out=Count("books", filter=out_now))
            .filter(books_out__gt=0)
            .order_by("-books_out", "name")
            .values_list("pk", flat=True)[:SHELVES_ON_HOME]
        )

    return cache_get_or_set(f"home-shelves:{timezone.localdate()}", fullest, 6 * 60 * 60)


@require_safe
@cached_page(listing.cache_query)
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
    canonical_query = listing.canonical_query(request.GET, form)
    # Every page of one listing has the same count: count once per catalogue version.
    count_key = (
        f"listing-count:{catalogue_version()}:{timezone.localdate()}:"
        + hashlib.sha256(canonical_query.encode()).hexdigest()
    )
    page = paginate(request, books, count=cache_get_or_set(count_key, books.count, 60 * 60))
    context = {
        "form": form,
        "criteria": criteria,
        "query": query,
        "page": page,
        "subjects": subjects,
        "imprints": imprints,
        "active_filters": listing.active_filters(request.GET, criteria, subjects, imprints),
        "page_query": listing.query_without(request.GET, "page"),
        "canonical_query": canonical_query,
        "isbn_searched": bool(query) and looks_like_isbn(query),
    }
    return render(request, "shop/book_list.html", context)


@require_safe
@cached_page()
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


@require_safe
@cached_page(page_query)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    contributions = Contribution.objects.for_author_page(author)
    page = paginate(request, contributions)
    context = {"author": author, "page": page}
    return render(request, "shop/author_detail.html", context)


@require_safe
def isbn_lookup(request: HttpRequest, isbn: str) -> HttpResponse:
    try:
        canonical = normalise_isbn(isbn)
    except InvalidISBN as error:
        raise Http404(f"{isbn} is not an ISBN: {error}") from error
    book = get_object_or_404(Book.objects.visible(), isbn=canonical)
    return redirect(book)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /basket/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- Basket --------------------------------------------------------------------------


def _back(request: HttpRequest) -> str:
    """Where a basket form returns to: its `next` field when that is a page of this shop,
    otherwise the basket."""
    target = request.POST.get("next", "")
    # Only a path of this shop: a bare word would be read by redirect() as a URL name.
    is_path = target.startswith("/") and not target.startswith(("//", "/\\"))
    if (
        is_path
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("shop:basket")


@require_safe
def basket_detail(request: HttpRequest) -> HttpResponse:
    """The basket, brought up to date: a line that needs correcting is corrected, and the
    page says what changed. Each visitor's page is built afresh (never page-cached)."""
    summary = basket_services.basket_bring_up_to_date(key=basket_session.basket_key(request))
    holes.basket_count_known(request, summary.item_count)
    return render(request, "shop/basket.html", {"summary": summary})


@require_POST
def basket_add(request: HttpRequest) -> HttpResponse:
    form = AddToBasketForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(_back(request))
    quantity = form.cleaned_data["quantity"]
    try:
        line = basket_services.basket_add(
            basket=basket_session.basket_get(request=request),
            owner=basket_session.basket_owner(request),
            book_id=form.cleaned_data["book"],
            quantity=quantity,
        )
    except basket_rules.BasketError as error:
        messages.error(request, str(error))
    else:
        basket_session.basket_remember(request, line.basket_id)
        copies = "a copy" if quantity == 1 else f"{quantity} copies"
        messages.success(request, f"Added {copies} of {line.book.title} to your basket.")
    return redirect(_back(request))


@require_POST
def basket_update(request: HttpRequest, line_id: int) -> HttpResponse:
    form = LineQuantityForm(request.POST)
    basket = basket_session.basket_get(request=request)
    if basket is None:
        messages.error(request, "That book is no longer in your basket.")
    elif not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            line = basket_services.basket_set_quantity(
                basket=basket, line_id=line_id, quantity=form.cleaned_data["quantity"]
            )
        except basket_rules.BasketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Your basket now has {line.quantity} of {line.book.title}.")
    return redirect("shop:basket")


@require_POST
def basket_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    basket = basket_session.basket_get(request=request)
    book = basket_services.basket_remove(basket=basket, line_id=line_id) if basket else None
    if book is None:
        messages.info(request, "That book was not in your basket.")
    else:
        messages.success(request, f"Removed {book.title} from your basket.")
    return redirect("shop:basket")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an old tab, blocked cookies)."""
    return render(request, "403_csrf.html", status=403)
