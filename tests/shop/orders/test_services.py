"""order_place: the order copies what was sold and charged, takes stock for books in stock
(none for pre-orders), empties the basket, refuses with every change when what the
customer was shown no longer holds, and places one order however often a checkout is sent."""

import dataclasses

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Book
from catalogue.version import catalogue_version
from shop.basket.rules import PRE_ORDER_LINE_LIMIT
from shop.models import BasketLine, Order, OrderLine, OrderStatus
from shop.orders import services
from shop.orders.services import OrderRefused
from tests.factories import BookFactory
from tests.shop.helpers import aud, days_from_today
from tests.shop.orders.conftest import DETAILS, basket_of, place, shown_total

pytestmark = pytest.mark.django_db


def test_place_order_copies_the_sale_takes_stock_and_empties_the_basket(book, methods) -> None:
    other = BookFactory(title="Midnight in the Century", rrp=aud("29.99"), stock=3)
    basket = basket_of((book, 2), (other, 1))

    order = place(basket, methods["Standard"])

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    # 2 x 39.99 + 29.99 = 109.97: above $80, so Standard is free; GST 109.97 / 11 = 9.9972..
    assert (order.subtotal, order.postage, order.total, order.gst) == (
        aud("109.97"), aud("0.00"), aud("109.97"), aud("10.00"),
    )  # fmt: skip
    assert (order.delivery_method_name, order.delivery_method_price) == ("Standard", aud("8.95"))
    assert (order.email, order.delivery_name, order.delivery_state, order.delivery_postcode) == (
        "reader@example.com", "Vera Reader", "VIC", "3000",
    )  # fmt: skip
    lines = [
        (line.title, line.isbn, line.format, line.unit_price, line.quantity, line.line_total)
        for line in order.lines.all()
    ]
    assert lines == [
        ("Conquered City", "9781590173664", book.format, aud("39.99"), 2, aud("79.98")),
        ("Midnight in the Century", other.isbn, other.format, aud("29.99"), 1, aud("29.99")),
    ]
    assert Book.objects.get(pk=book.pk).stock == 10
    assert Book.objects.get(pk=other.pk).stock == 2
    assert not BasketLine.objects.filter(basket=basket).exists()
    assert len(order.number) == 9 and order.number[4] == "-"
    assert len(order.token) >= 43


def test_postage_is_charged_below_the_threshold_and_gst_includes_it(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Standard"])
    # 39.99 + 8.95 = 48.94; GST 4.4490.. = 4.45 on the whole sale.
    assert (order.subtotal, order.postage, order.total, order.gst) == (
        aud("39.99"), aud("8.95"), aud("48.94"), aud("4.45"),
    )  # fmt: skip


def test_the_order_keeps_what_was_sold_when_the_book_changes_later(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Express"])
    Book.objects.filter(pk=book.pk).update(title="Renamed", rrp=aud("99.00"))
    line = OrderLine.objects.get(order=order)
    assert (line.title, line.unit_price) == ("Conquered City", aud("39.99"))


def test_click_and_collect_keeps_no_address(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Click & Collect"])
    assert order.click_and_collect
    assert (order.delivery_line1, order.delivery_suburb, order.delivery_postcode) == ("", "", "")
    assert (order.delivery_name, order.postage) == ("Vera Reader", aud("0.00"))


def test_a_pre_order_takes_no_stock(methods) -> None:
    forthcoming = BookFactory(rrp=aud("32.99"), stock=0, published=days_from_today(30))
    order = place(basket_of((forthcoming, 3)), methods["Express"])
    line = order.lines.get()
    assert (line.quantity, line.took_stock) == (3, False)
    assert Book.objects.get(pk=forthcoming.pk).stock == 0


def test_a_pre_order_is_capped_as_in_the_basket(methods) -> None:
    forthcoming = BookFactory(title="Soon", rrp=aud("32.99"), published=days_from_today(30))
    basket = basket_of((forthcoming, 1))
    BasketLine.objects.filter(basket=basket).update(quantity=PRE_ORDER_LINE_LIMIT + 1)
    with pytest.raises(OrderRefused) as refused:
        place(basket, methods["Express"])
    assert refused.value.changes == [
        f"You can pre-order up to {PRE_ORDER_LINE_LIMIT} copies of Soon."
    ]


def test_place_order_refuses_a_changed_price_and_a_sold_out_book_listing_both(methods) -> None:
    dearer = BookFactory(title="Dearer", rrp=aud("20.00"), stock=5)
    gone = BookFactory(title="Gone", rrp=aud("10.00"), stock=5)
    fewer = BookFactory(title="Fewer", rrp=aud("10.00"), stock=5)
    basket = basket_of((dearer, 1), (gone, 1), (fewer, 4))
    shown = shown_total(basket, methods["Express"])
    Book.objects.filter(pk=dearer.pk).update(rrp=aud("25.00"))
    Book.objects.filter(pk=gone.pk).update(stock=0)
    Book.objects.filter(pk=fewer.pk).update(stock=2)

    with pytest.raises(OrderRefused) as refused:
        place(basket, methods["Express"], expected_total=shown)

    assert refused.value.changes == [
        "The price of Dearer has changed from $20.00 to $25.00.",
        "Sorry, Gone is out of stock.",
        "We have 2 copies of Fewer in stock.",
    ]
    assert Order.objects.count() == 0
    assert BasketLine.objects.filter(basket=basket).count() == 3
    assert list(Book.objects.order_by("pk").values_list("stock", flat=True)) == [5, 0, 2]


def test_place_order_refuses_a_total_other_than_the_one_shown(book, methods) -> None:
    with pytest.raises(OrderRefused) as refused:
        place(basket_of((book, 1)), methods["Standard"], expected_total=aud("39.99"))
    assert str(refused.value) == "Your order now comes to $48.94, not $39.99."
    assert Order.objects.count() == 0
    assert Book.objects.get(pk=book.pk).stock == 12


def test_place_order_refuses_a_delivery_method_no_longer_offered(book, methods) -> None:
    express = methods["Express"]
    basket = basket_of((book, 1))
    shown = shown_total(basket, express)
    type(express).objects.filter(pk=express.pk).update(active=False)
    with pytest.raises(OrderRefused, match="no longer offered"):
        place(basket, express, expected_total=shown)
    assert Order.objects.count() == 0


def test_place_order_refuses_an_empty_basket(methods) -> None:
    with pytest.raises(OrderRefused, match=r"Your basket is empty\."):
        place(basket_of(), methods["Standard"], expected_total=aud("8.95"))


def test_the_same_checkout_sent_twice_places_one_order(book, methods) -> None:
    basket = basket_of((book, 2))
    first = place(basket, methods["Standard"], token="checkout-1")
    # The basket is empty now, so only the token can find the first order again.
    again = place(basket, methods["Standard"], token="checkout-1", expected_total=aud("88.93"))
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert Book.objects.get(pk=book.pk).stock == 10


def test_placing_an_order_bumps_the_catalogue_version(
    book, methods, django_capture_on_commit_callbacks
) -> None:
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        place(basket_of((book, 1)), methods["Standard"])
    assert catalogue_version() > before


def test_the_database_refuses_a_line_of_no_copies(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Standard"])
    line = order.lines.get()
    with pytest.raises(IntegrityError):
        OrderLine.objects.filter(pk=line.pk).update(quantity=0)


def test_the_database_refuses_a_negative_total(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Standard"])
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=order.pk).update(total=aud("-1.00"))


def test_the_database_refuses_a_repeated_order_number(book, methods) -> None:
    first = place(basket_of((book, 1)), methods["Standard"])
    second = place(basket_of((book, 1)), methods["Standard"])
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=second.pk).update(number=first.number)


def test_a_signed_in_customer_s_order_is_theirs(book, methods, django_user_model) -> None:
    customer = django_user_model.objects.create_user("vera", "reader@example.com", "pw")
    order = place(basket_of((book, 1)), methods["Standard"], user=customer)
    assert list(customer.orders.all()) == [order]
    assert order.phone == DETAILS.phone


def test_the_database_refuses_an_order_sent_nowhere(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Standard"])
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=order.pk).update(delivery_postcode="")


def test_the_database_refuses_an_order_without_an_email(book, methods) -> None:
    order = place(basket_of((book, 1)), methods["Click & Collect"])
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=order.pk).update(email="")


def test_placing_an_order_takes_one_more_query_per_book_in_stock_only(book, methods) -> None:
    def queries_to_place(*pairs) -> int:
        basket = basket_of(*pairs)
        with CaptureQueriesContext(connection) as queries:
            place(basket, methods["Standard"])
        return len(queries)

    one = queries_to_place((book, 1))
    in_stock = [BookFactory(rrp=aud("10.00"), stock=5) for _ in range(3)]
    forthcoming = [BookFactory(rrp=aud("10.00"), published=days_from_today(9)) for _ in range(3)]
    # Each further book in stock adds its stock update; pre-orders add nothing: the lines
    # are written in one statement.
    assert queries_to_place((book, 1), *((b, 1) for b in in_stock)) == one + 3
    assert queries_to_place((book, 1), *((b, 1) for b in forthcoming)) == one


def test_stock_taken_under_the_lock_never_goes_below_zero(book, methods, monkeypatch) -> None:
    # Were the re-check ever to let too many copies through, the guarded F() update (and
    # the stock constraint behind it) refuses, and nothing of the order is written.
    basket = basket_of((book, 3))
    Book.objects.filter(pk=book.pk).update(stock=2)
    monkeypatch.setattr(services, "purchase_limit", lambda book: 99)
    with pytest.raises(OrderRefused, match="out of stock"):
        place(basket, methods["Standard"])
    assert (Order.objects.count(), OrderLine.objects.count()) == (0, 0)
    assert Book.objects.get(pk=book.pk).stock == 2
    assert BasketLine.objects.filter(basket=basket).count() == 1


def test_a_clash_of_order_numbers_is_tried_again(book, methods, monkeypatch) -> None:
    first = place(basket_of((book, 1)), methods["Standard"])
    numbers = iter([first.number, "TEST-0002"])
    monkeypatch.setattr(services, "new_order_number", lambda: next(numbers))
    second = place(basket_of((book, 1)), methods["Standard"])
    assert second.number == "TEST-0002"
    assert Order.objects.count() == 2


def test_a_business_buyers_abn_is_copied_onto_the_order(book, methods) -> None:
    order = place(
        basket_of((book, 1)),
        methods["Standard"],
        details=dataclasses.replace(DETAILS, buyer_abn="53004085616"),
    )
    assert order.buyer_abn == "53004085616"
