"""The book listing's rules: which books match the customer's criteria, in what order, and
the links that remove one criterion at a time. All state lives in the URL."""

from django.db.models import F
from django.http import QueryDict

from catalogue.availability import Availability
from catalogue.models import BookFormat, BookQuerySet, Imprint, Subject
from shop.forms import BookSearchForm, Sort
from shop.page_cache import page_query

ORDERINGS = {
    Sort.NEWEST: [F("published").desc(nulls_last=True), "title", "id"],
    Sort.TITLE: ["title", "id"],
    Sort.PRICE_LOW: [F("rrp").asc(nulls_last=True), "title", "id"],
    Sort.PRICE_HIGH: [F("rrp").desc(nulls_last=True), "title", "id"],
    Sort.RELEVANCE: ["-relevance", F("published").desc(nulls_last=True), "title", "id"],
}


def _by_slug(items, slug):
    return next((item for item in items if item.slug == slug), None)


def filter_books(
    books: BookQuerySet, criteria: dict, subjects: list[Subject], imprints: list[Imprint]
) -> BookQuerySet:
    if "q" in criteria:
        books = books.search(criteria["q"])
    if "format" in criteria:
        books = books.filter(format__in=criteria["format"])
    if "subject" in criteria:
        subject = _by_slug(subjects, criteria["subject"])
        books = books.filter(subjects=subject) if subject else books.none()
    if "imprint" in criteria:
        imprint = _by_slug(imprints, criteria["imprint"])
        books = books.filter(imprint=imprint) if imprint else books.none()
    if "min_price" in criteria:
        books = books.filter(rrp__gte=criteria["min_price"])
    if "max_price" in criteria:
        books = books.filter(rrp__lte=criteria["max_price"])
    if "availability" in criteria:
        books = books.with_availability(Availability(criteria["availability"]))
    sort = (
        criteria["sort"] if "q" in criteria or criteria["sort"] != Sort.RELEVANCE else Sort.NEWEST
    )
    return books.order_by(*ORDERINGS[sort])


def canonical_query(params: QueryDict, form) -> str:
    """The query string of the listing's canonical URL: only the listing's own parameters
    that parsed (no tracking tags, no junk), without the page number."""
    kept = QueryDict(mutable=True)
    for name in form.fields:
        if name in form.errors:
            continue
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def query_without(params: QueryDict, *names: str, value: str | None = None) -> str:
    """The query string without the named parameters (or without one value of one)."""
    remaining = params.copy()
    for name in names:
        if value is None:
            remaining.pop(name, None)
        else:
            remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    remaining.pop("page", None)
    return remaining.urlencode()


def active_filters(
    params: QueryDict, criteria: dict, subjects: list[Subject], imprints: list[Imprint]
) -> list[tuple[str, str]]:
    """(label, query string without it) for each filter in force, for "remove" links."""
    found = []
    for value in criteria.get("format", []):
        label = BookFormat(value).label
        found.append((label, query_without(params, "format", value=value)))
    if "subject" in criteria:
        subject = _by_slug(subjects, criteria["subject"])
        label = subject.name if subject else criteria["subject"]
        found.append((f"Subject: {label}", query_without(params, "subject")))
    if "imprint" in criteria:
        imprint = _by_slug(imprints, criteria["imprint"])
        label = imprint.name if imprint else criteria["imprint"]
        found.append((f"Imprint: {label}", query_without(params, "imprint")))
    if "min_price" in criteria:
        found.append((f"From ${criteria['min_price']}", query_without(params, "min_price")))
    if "max_price" in criteria:
        found.append((f"Up to ${criteria['max_price']}", query_without(params, "max_price")))
    if "availability" in criteria:
        label = Availability(criteria["availability"]).label
        found.append((label, query_without(params, "availability")))
    return found


def cache_query(request) -> str | None:
    """The query string the listing page is rendered and cached for: the listing's own
    parameters, normalised (search words single-spaced, formats once each in the shop's
    order, prices as plain numbers the right way round, the default order left out), then
    the page number other than 1. None when a parameter did not parse: that page, with
    its message, is rendered for this request alone."""
    if not any(name in request.GET for name in BookSearchForm.base_fields):
        return page_query(request)  # every book: no form to read
    form = BookSearchForm(request.GET)
    criteria = form.criteria()
    if form.errors:
        return None
    kept = QueryDict(mutable=True)
    if "q" in criteria:
        kept["q"] = criteria["q"]
    if "format" in criteria:
        chosen = set(criteria["format"])
        kept.setlist("format", [value for value in BookFormat.values if value in chosen])
    for name in ("subject", "imprint"):
        if name in criteria:
            kept[name] = criteria[name]
    for name in ("min_price", "max_price"):
        if name in criteria:
            kept[name] = format(criteria[name].normalize(), "f")
    if "availability" in criteria:
        kept["availability"] = criteria["availability"]
    default_sort = Sort.RELEVANCE if "q" in criteria else Sort.NEWEST
    if criteria["sort"] != default_sort:
        kept["sort"] = criteria["sort"]
    page = page_query(request)
    return "&".join(part for part in (kept.urlencode(), page) if part)
