"""Staff admin for orders and delivery methods: the orders list (number, date, customer,
total, status, payment), its search (number, email, name, a line's ISBN) and filters
(status, date, delivery method), an order's page with its lines and history read-only,
and no adding or deleting orders by hand."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from shop.models import DeliveryMethod, Order, OrderStatus
from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import aud
from tests.shop.orders.conftest import at_status, basket_of, place

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:shop_order_changelist")


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("staff", "staff@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def orders(book, methods) -> tuple[Order, Order]:
    other = BookFactory(title="Midnight in the Century", isbn="9781590179017", rrp=aud("29.99"))
    first = place(basket_of((book, 1), (other, 1)), methods["Standard"])
    second = place(basket_of((other, 2)), methods["Express"])
    Order.objects.filter(pk=second.pk).update(
        email="someone@example.org", delivery_name="Nadia Else", status=OrderStatus.PAID
    )
    return first, Order.objects.get(pk=second.pk)


def numbers_listed(response) -> set[str]:
    return {order.number for order in response.context["cl"].result_list}


COLUMNS = ["number", "created_at", "customer", "total_shown", "status", "payment"]


def rows(response) -> dict[str, list[str]]:
    """Each listed order's columns after its number, by order number."""
    page = parse(response)
    numbers = [cell.text() for cell in page.find_all(css_class="field-number")]
    columns = [[cell.text() for cell in page.find_all(css_class=f"field-{c}")] for c in COLUMNS]
    return {number: [column[i] for column in columns[1:]] for i, number in enumerate(numbers)}


def test_the_orders_list_shows_number_date_customer_total_status_and_payment(
    staff_client, orders
) -> None:
    first, second = orders
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    listed = rows(response)
    assert listed[first.number][1:] == [
        "Vera Reader, reader@example.com",
        "$78.93",
        "Awaiting payment",
        "Awaiting",
    ]
    # Express on $59.98 of books
    assert listed[second.number][1:] == [
        "Nadia Else, someone@example.org",
        "$74.93",
        "Paid",
        "Paid",
    ]


@pytest.mark.parametrize(
    ("status", "fields", "shown"),
    [
        (OrderStatus.AWAITING_PAYMENT, {"bank_transfer": True}, "Bank transfer"),
        (OrderStatus.CANCELLED, {}, "Not paid"),
        (OrderStatus.CANCELLED, {"refunded": aud("78.93")}, "Refunded"),
        (OrderStatus.DISPATCHED, {"refunded": aud("5.00")}, "Paid, $5.00 refunded"),
        (OrderStatus.REFUNDED, {"refunded": aud("78.93")}, "Refunded"),
    ],
)
def test_the_list_says_how_each_order_stands_on_payment(
    staff_client, orders, status, fields, shown
) -> None:
    first, _ = orders
    at_status(first, status, **fields)
    assert rows(staff_client.get(CHANGELIST))[first.number][-1] == shown


def test_staff_filter_orders_by_date(staff_client, orders) -> None:
    first, second = orders
    last_week = timezone.now() - datetime.timedelta(days=8)
    Order.objects.filter(pk=second.pk).update(created_at=last_week)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = staff_client.get(CHANGELIST, {"created_at__gte": str(midnight)})
    assert numbers_listed(today) == {first.number}
    local = timezone.localtime(last_week)
    that_day = {
        "created_at__year": local.year,
        "created_at__month": local.month,
        "created_at__day": local.day,
    }
    assert numbers_listed(staff_client.get(CHANGELIST, that_day)) == {second.number}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("number", {0}),
        ("someone@example.org", {1}),
        ("Nadia", {1}),
        ("9781590173664", {0}),  # Conquered City: only the first order
        ("9781590179017", {0, 1}),  # in both, each listed once
    ],
)
def test_staff_find_orders_by_number_email_name_or_isbn(
    staff_client, orders, search, expected
) -> None:
    term = orders[0].number if search == "number" else search
    response = staff_client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    listed = [order.number for order in response.context["cl"].result_list]
    assert sorted(listed) == sorted(orders[i].number for i in expected)


def test_staff_filter_orders_by_status_and_delivery_method(staff_client, orders, methods) -> None:
    first, second = orders
    assert numbers_listed(staff_client.get(CHANGELIST, {"status__exact": "paid"})) == {
        second.number
    }
    standard = methods["Standard"].pk
    response = staff_client.get(CHANGELIST, {"delivery_method__id__exact": standard})
    assert numbers_listed(response) == {first.number}


def test_an_order_s_page_shows_its_lines_and_changes_nothing(staff_client, orders) -> None:
    first, _ = orders
    url = reverse("admin:shop_order_change", args=[first.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Conquered City" in page and "9781590173664" in page
    assert 'name="lines-0-quantity"' not in page  # lines are read-only
    assert 'name="email"' not in page
    staff_client.post(url, {"email": "forged@example.com"})
    assert Order.objects.get(pk=first.pk).email == "reader@example.com"


def test_staff_cannot_add_or_delete_orders_by_hand(staff_client, orders) -> None:
    assert staff_client.get(reverse("admin:shop_order_add")).status_code == 403
    delete = reverse("admin:shop_order_delete", args=[orders[0].pk])
    assert staff_client.get(delete).status_code == 403


def test_staff_add_a_delivery_method(staff_client) -> None:
    response = staff_client.post(
        reverse("admin:shop_deliverymethod_add"),
        {
            "name": "Courier",
            "price_0": "25.00",
            "price_1": "AUD",
            "free_above_0": "",
            "free_above_1": "AUD",
            "estimated_days": "1",
            "active": "on",
            "position": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    courier = DeliveryMethod.objects.get(name="Courier")
    assert (courier.price, courier.free_above) == (aud("25.00"), None)
