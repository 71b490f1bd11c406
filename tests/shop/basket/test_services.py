"""The basket services (shop.basket): limits, price snapshots, reconciling a basket with the
catalogue, merging at sign-in, and the database constraints behind them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone
from djmoney.money import Money

from catalogue.models import Book
from shop.basket import rules as basket_rules
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.basket.selectors import BasketKey
from shop.models import Basket, BasketLine
from tests.factories import AuthorFactory, BookFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def aud(amount: str) -> Money:
    return Money(Decimal(amount), "AUD")


def future(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def contents(basket: Basket) -> list[tuple[int, int, Money]]:
    """(book id, quantity, unit price) of each line, straight from the database."""
    return [
        (line.book_id, line.quantity, line.unit_price)
        for line in BasketLine.objects.filter(basket=basket).order_by("book_id")
    ]


def request_for(user=None, basket: Basket | None = None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    if basket is not None:
        request.session[basket_session.SESSION_KEY] = basket.pk
    return request


@pytest.fixture
def basket() -> Basket:
    return Basket.objects.create()


@pytest.fixture
def book() -> Book:
    """In stock, three copies, $39.99."""
    book = BookFactory(title="Conquered City", rrp=aud("39.99"), stock=3)
    ContributionFactory(book=book, author=AuthorFactory(name="Victor Serge"))
    return book


@pytest.fixture
def pre_order() -> Book:
    return BookFactory(title="Forthcoming", published=future(), stock=0, rrp=aud("32.99"))


@pytest.fixture
def customer():
    return get_user_model().objects.create_user("reader", password="a-long-passphrase")


# --- The purchase limit ----------------------------------------------------------------


def test_purchase_limit_is_the_stock_on_hand_for_an_in_stock_book() -> None:
    assert basket_rules.purchase_limit(BookFactory(stock=7)) == 7


def test_purchase_limit_is_ten_a_line_for_a_pre_order_whatever_the_stock() -> None:
    assert basket_rules.purchase_limit(BookFactory(published=future(), stock=0)) == 10
    assert basket_rules.purchase_limit(BookFactory(published=future(), stock=50)) == 10


@pytest.mark.parametrize(
    "fields",
    [
        {"stock": 0},
        {"rrp": None, "stock": 5},
        {"is_visible": False, "stock": 5},
        {"is_visible": False, "published": future(), "stock": 0},
    ],
    ids=["out-of-stock", "not-for-sale", "hidden", "hidden-pre-order"],
)
def test_purchase_limit_is_zero_for_a_book_that_cannot_be_bought(fields: dict) -> None:
    assert basket_rules.purchase_limit(BookFactory(**fields)) == 0


# --- Adding ----------------------------------------------------------------------------


def test_add_creates_a_line_at_the_current_price(basket: Basket, book: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    assert contents(basket) == [(book.pk, 2, aud("39.99"))]
    assert line.quantity == 2
    assert line.unit_price == aud("39.99")


def test_add_again_adds_to_the_same_line(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    assert contents(basket) == [(book.pk, 3, aud("39.99"))]
    assert line.quantity == 3


def test_adding_to_a_line_reads_basket_book_and_line_once_and_returns_it_whole(
    basket: Basket, book: Book, django_assert_num_queries
) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    # Savepoint; lock the basket; the book; the line; update the line and the basket;
    # release. Nothing is read again afterwards, by this or by whoever shows the line.
    with django_assert_num_queries(7):
        line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
        assert (line.quantity, line.book.title) == (3, book.title)

    line.refresh_from_db()
    assert line.quantity == 3


def test_add_accepts_exactly_the_stock_on_hand(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=3)

    assert contents(basket) == [(book.pk, 3, aud("39.99"))]


def test_add_rejects_quantity_above_stock(basket: Basket, book: Book) -> None:
    with pytest.raises(
        basket_rules.BasketError, match=r"We have 3 copies of Conquered City in stock"
    ):
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=4)

    assert contents(basket) == []


def test_add_rejects_quantity_that_with_the_basket_would_pass_the_stock(
    basket: Basket, book: Book
) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    with pytest.raises(basket_rules.BasketError, match="your basket already has 2"):
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    assert contents(basket) == [(book.pk, 2, aud("39.99"))]


def test_add_allows_up_to_ten_of_a_pre_order_and_no_more(basket: Basket, pre_order: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=pre_order.pk, quantity=10)

    with pytest.raises(basket_rules.BasketError, match="pre-order up to 10 copies"):
        basket_services.basket_add(basket=basket, book_id=pre_order.pk, quantity=1)

    assert contents(basket) == [(pre_order.pk, 10, aud("32.99"))]


def test_add_rejects_eleven_of_a_pre_order_at_once(basket: Basket, pre_order: Book) -> None:
    with pytest.raises(basket_rules.BasketError, match="pre-order up to 10 copies"):
        basket_services.basket_add(basket=basket, book_id=pre_order.pk, quantity=11)

    assert contents(basket) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stock": 0}, "Sorry, Unbuyable is out of stock."),
        ({"rrp": None}, "Sorry, Unbuyable is not for sale."),
        ({"rrp": None, "published": future()}, "Sorry, Unbuyable is not for sale."),
        ({"is_visible": False}, "Sorry, that book is not in our catalogue."),
        ({"is_visible": False, "published": future()}, "Sorry, that book is not in our catalogue."),
    ],
    ids=["out-of-stock", "not-for-sale", "not-for-sale-pre-order", "hidden", "hidden-pre-order"],
)
def test_add_rejects_a_book_that_cannot_be_bought(
    basket: Basket, fields: dict, message: str
) -> None:
    book = BookFactory(title="Unbuyable", **fields)

    with pytest.raises(basket_rules.BasketError) as error:
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    assert str(error.value) == message
    assert contents(basket) == []


def test_add_rejects_an_unknown_book(basket: Basket) -> None:
    with pytest.raises(basket_rules.BasketError, match="not in our catalogue"):
        basket_services.basket_add(basket=basket, book_id=999_999, quantity=1)

    assert contents(basket) == []


@pytest.mark.parametrize("quantity", [0, -1, -100])
def test_add_rejects_less_than_one_copy(basket: Basket, book: Book, quantity: int) -> None:
    with pytest.raises(basket_rules.BasketError, match="at least one copy"):
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=quantity)

    assert contents(basket) == []


# --- Changing and removing ---------------------------------------------------------------


def test_set_quantity_changes_the_line(basket: Basket, book: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    changed = basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=3)

    assert changed.quantity == 3
    assert contents(basket) == [(book.pk, 3, aud("39.99"))]


def test_set_quantity_rejects_quantity_above_stock(basket: Basket, book: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    with pytest.raises(basket_rules.BasketError, match="We have 3 copies"):
        basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=4)

    assert contents(basket) == [(book.pk, 1, aud("39.99"))]


def test_set_quantity_rejects_more_than_ten_of_a_pre_order(basket: Basket, pre_order: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=pre_order.pk, quantity=1)

    basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=10)
    with pytest.raises(basket_rules.BasketError, match="pre-order up to 10"):
        basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=11)

    assert contents(basket) == [(pre_order.pk, 10, aud("32.99"))]


@pytest.mark.parametrize("quantity", [0, -3])
def test_set_quantity_rejects_less_than_one_copy(basket: Basket, book: Book, quantity: int) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    with pytest.raises(basket_rules.BasketError, match="at least one copy"):
        basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=quantity)

    assert contents(basket) == [(book.pk, 2, aud("39.99"))]


def test_set_quantity_of_a_book_no_longer_for_sale_is_refused(basket: Basket, book: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)
    Book.objects.filter(pk=book.pk).update(stock=0)

    with pytest.raises(basket_rules.BasketError, match="out of stock"):
        basket_services.basket_set_quantity(basket=basket, line_id=line.pk, quantity=2)

    assert contents(basket) == [(book.pk, 1, aud("39.99"))]


def test_set_quantity_cannot_change_a_line_of_another_basket(basket: Basket, book: Book) -> None:
    other = Basket.objects.create()
    their_line = basket_services.basket_add(basket=other, book_id=book.pk, quantity=1)

    with pytest.raises(basket_rules.BasketError, match="no longer in your basket"):
        basket_services.basket_set_quantity(basket=basket, line_id=their_line.pk, quantity=3)

    assert contents(other) == [(book.pk, 1, aud("39.99"))]
    assert contents(basket) == []


def test_remove_deletes_the_line_and_names_its_book(basket: Basket, book: Book) -> None:
    line = basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    removed = basket_services.basket_remove(basket=basket, line_id=line.pk)

    assert removed == book
    assert contents(basket) == []


def test_remove_leaves_a_line_of_another_basket_alone(basket: Basket, book: Book) -> None:
    other = Basket.objects.create()
    their_line = basket_services.basket_add(basket=other, book_id=book.pk, quantity=1)

    assert basket_services.basket_remove(basket=basket, line_id=their_line.pk) is None
    assert contents(other) == [(book.pk, 1, aud("39.99"))]


# --- Prices and reconciling with the catalogue -----------------------------------------


def test_line_keeps_the_unit_price_it_was_added_at(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)
    Book.objects.filter(pk=book.pk).update(rrp=aud("44.99"))

    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    assert contents(basket) == [(book.pk, 2, aud("39.99"))]


def test_summary_charges_a_changed_price_and_says_so_once(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    Book.objects.filter(pk=book.pk).update(rrp=aud("44.99"))

    first = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert first.notices == ["The price of Conquered City has changed from $39.99 to $44.99."]
    assert first.lines[0].unit_price == aud("44.99")
    assert first.total == aud("89.98")
    assert contents(basket) == [(book.pk, 2, aud("44.99"))]

    second = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert second.notices == []
    assert second.total == aud("89.98")


def test_summary_tells_of_a_price_that_went_down(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)
    Book.objects.filter(pk=book.pk).update(rrp=aud("19.99"))

    summary = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert summary.notices == ["The price of Conquered City has changed from $39.99 to $19.99."]
    assert summary.total == aud("19.99")


@pytest.mark.parametrize(
    "change",
    [{"is_visible": False}, {"stock": 0}, {"rrp": None}],
    ids=["hidden", "out-of-stock", "not-for-sale"],
)
def test_summary_drops_a_book_that_can_no_longer_be_bought_with_a_notice(
    basket: Basket, book: Book, change: dict
) -> None:
    keep = BookFactory(title="Still Here", stock=5)
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    basket_services.basket_add(basket=basket, book_id=keep.pk, quantity=1)
    Book.objects.filter(pk=book.pk).update(**change)

    summary = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert summary.notices == ["Conquered City is no longer available and has left your basket."]
    assert [line.book.title for line in summary.lines] == ["Still Here"]
    assert summary.item_count == 1
    assert contents(basket) == [(keep.pk, 1, aud("29.99"))]
    assert basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk)).notices == []


def test_summary_lowers_a_quantity_above_the_lowered_stock_with_a_notice(
    basket: Basket, book: Book
) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=3)
    Book.objects.filter(pk=book.pk).update(stock=1)

    summary = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert summary.notices == [
        "We have 1 copy of Conquered City in stock. We have changed your basket to 1."
    ]
    assert summary.item_count == 1
    assert contents(basket) == [(book.pk, 1, aud("39.99"))]
    assert basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk)).notices == []


def test_summary_counts_copies_and_totals_with_gst(basket: Basket, book: Book) -> None:
    other = BookFactory(rrp=aud("0.06"), stock=5)
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=3)
    basket_services.basket_add(basket=basket, book_id=other.pk, quantity=1)

    summary = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=basket.pk))

    assert [line.line_total for line in summary.lines] == [aud("119.97"), aud("0.06")]
    assert summary.item_count == 4
    assert summary.total == aud("120.03")
    assert summary.gst == aud("10.91")  # 120.03 / 11 = 10.9118...
    assert isinstance(summary.total.amount, Decimal)
    assert isinstance(summary.gst.amount, Decimal)


def test_summary_of_no_basket_is_empty() -> None:
    summary = basket_services.basket_bring_up_to_date(key=None)

    assert summary.lines == []
    assert summary.item_count == 0
    assert summary.total == aud("0.00")
    assert summary.gst == aud("0.00")


# --- Finding the basket and counting it ----------------------------------------------


def test_a_visitor_without_a_basket_has_none_and_a_count_of_zero(
    django_assert_num_queries,
) -> None:
    request = request_for()

    with django_assert_num_queries(0):
        assert basket_session.basket_get(request=request) is None
        assert basket_session.header_item_count(request) == 0


def test_a_visitors_basket_is_found_through_the_session(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    request = request_for(basket=basket)

    assert basket_session.basket_get(request=request) == basket
    assert basket_session.header_item_count(request) == 2


def test_a_visitor_cannot_reach_a_customers_basket_through_the_session(customer) -> None:
    theirs = Basket.objects.create(user=customer)

    assert basket_session.basket_get(request=request_for(basket=theirs)) is None


def test_a_customers_basket_is_found_by_their_account_on_any_device(customer, book) -> None:
    theirs = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=theirs, book_id=book.pk, quantity=2)
    request = request_for(user=customer)  # a new device: nothing in the session

    assert basket_session.header_item_count(request) == 2
    assert basket_session.basket_get(request=request) == theirs
    assert request.session[basket_session.SESSION_KEY] == theirs.pk


def test_basket_add_without_a_basket_makes_a_visitors_basket(book: Book) -> None:
    line = basket_services.basket_add(basket=None, book_id=book.pk, quantity=1)

    assert Basket.objects.get().pk == line.basket_id
    assert Basket.objects.get().user is None


def test_basket_add_without_a_basket_gives_a_customer_their_own(book: Book, customer) -> None:
    line = basket_services.basket_add(basket=None, owner=customer, book_id=book.pk, quantity=1)

    assert Basket.objects.get(user=customer).pk == line.basket_id


def test_a_refused_basket_add_leaves_no_basket_behind(customer) -> None:
    unsellable = BookFactory(rrp=None)
    for owner in (None, customer):
        with pytest.raises(basket_rules.BasketError):
            basket_services.basket_add(basket=None, owner=owner, book_id=unsellable.pk, quantity=1)

    assert not Basket.objects.exists()


def test_item_count_is_one_query(basket: Basket, book: Book, django_assert_num_queries) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    basket_services.basket_add(basket=basket, book_id=BookFactory().pk, quantity=3)
    request = request_for(basket=basket)

    with django_assert_num_queries(1):
        assert basket_session.header_item_count(request) == 5


# --- Signing in ------------------------------------------------------------------------


def test_merge_adds_quantities_up_within_the_purchase_limit(book: Book, customer) -> None:
    visitor = Basket.objects.create()
    own = Basket.objects.create(user=customer)
    other = BookFactory(title="Other", stock=10)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=2)
    basket_services.basket_add(basket=visitor, book_id=book.pk, quantity=2)
    basket_services.basket_add(basket=visitor, book_id=other.pk, quantity=4)

    moved = basket_services.basket_merge(source=visitor, target=own)

    # 2 + 2 of a book with 3 in stock is capped at 3; 4 of the other come across.
    assert contents(own) == [(book.pk, 3, aud("39.99")), (other.pk, 4, aud("29.99"))]
    assert moved == 5
    assert not Basket.objects.filter(pk=visitor.pk).exists()


def test_merge_keeps_the_price_the_visitor_added_at(book: Book, customer) -> None:
    visitor = Basket.objects.create()
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=visitor, book_id=book.pk, quantity=1)
    Book.objects.filter(pk=book.pk).update(rrp=aud("44.99"))

    basket_services.basket_merge(source=visitor, target=own)

    assert contents(own) == [(book.pk, 1, aud("39.99"))]
    notices = basket_services.basket_bring_up_to_date(key=BasketKey(basket_id=own.pk)).notices
    assert notices == ["The price of Conquered City has changed from $39.99 to $44.99."]


def test_merge_of_a_basket_into_itself_changes_nothing(basket: Basket, book: Book) -> None:
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)

    assert basket_services.basket_merge(source=basket, target=basket) == 0
    assert contents(basket) == [(book.pk, 2, aud("39.99"))]


def test_adopt_gives_the_visitor_basket_to_a_customer_who_had_none(book: Book, customer) -> None:
    visitor = Basket.objects.create()
    basket_services.basket_add(basket=visitor, book_id=book.pk, quantity=2)
    request = request_for(basket=visitor)

    moved = basket_session.basket_adopt(request=request, user=customer)

    assert moved == 2
    visitor.refresh_from_db()
    assert visitor.user == customer
    assert request.session[basket_session.SESSION_KEY] == visitor.pk


def test_adopt_merges_into_the_customers_basket_and_points_the_session_at_it(
    book: Book, customer
) -> None:
    visitor = Basket.objects.create()
    own = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=visitor, book_id=book.pk, quantity=1)
    basket_services.basket_add(basket=own, book_id=book.pk, quantity=1)
    request = request_for(basket=visitor)

    assert basket_session.basket_adopt(request=request, user=customer) == 1
    assert request.session[basket_session.SESSION_KEY] == own.pk
    assert contents(own) == [(book.pk, 2, aud("39.99"))]


# --- The database's backstop -----------------------------------------------------------


def test_database_refuses_a_line_of_zero_copies(basket: Basket, book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(basket=basket, book=book, quantity=0, unit_price=book.rrp)


def test_database_refuses_two_lines_for_one_book_in_a_basket(basket: Basket, book: Book) -> None:
    BasketLine.objects.create(basket=basket, book=book, quantity=1, unit_price=book.rrp)

    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(basket=basket, book=book, quantity=1, unit_price=book.rrp)


def test_database_refuses_a_negative_unit_price(basket: Basket, book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(basket=basket, book=book, quantity=1, unit_price=aud("-1.00"))


def test_a_refused_first_addition_leaves_no_empty_basket(client) -> None:
    hidden = BookFactory(is_visible=False)

    response = client.post("/basket/add/", {"book": hidden.pk, "quantity": "1"})

    assert response.status_code == 302
    assert not Basket.objects.exists()
    assert basket_session.SESSION_KEY not in client.session


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_pricing_refuses_amounts_that_are_not_numbers(amount) -> None:
    from shop import pricing

    with pytest.raises(ValueError, match="Not an amount of money"):
        pricing.aud(amount)
    with pytest.raises(ValueError, match="Not an amount of money"):
        pricing.format_aud(amount)
