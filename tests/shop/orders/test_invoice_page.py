"""The order's page (shop:order-detail): reached by its token alone, never cached or
indexed, a tax invoice with what the ATO asks of one once the order is paid, and where the
order stands before that."""

import dataclasses

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from shop.models import Order, OrderLine, OrderStatus
from shop.orders.invoice import invoice_for
from tests.factories import BookFactory
from tests.html import parse
from tests.shop.helpers import aud
from tests.shop.orders.conftest import DETAILS, basket_of, place

pytestmark = pytest.mark.django_db

BUYER_ABN = "51824753556"
PAID_STATUSES = [
    OrderStatus.PAID,
    OrderStatus.PICKING,
    OrderStatus.DISPATCHED,
    OrderStatus.DELIVERED,
    OrderStatus.REFUNDED,
]


def with_status(order: Order, status: str, **fields) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status, **fields)
    order.refresh_from_db()
    return order


def order_page(client, order: Order):
    return client.get(reverse("shop:order-detail", args=[order.token]))


def text_of(response) -> str:
    return parse(response).find("main").text()


@pytest.fixture
def paid_order(methods, book) -> Order:
    """Two copies of Conquered City ($39.99) and one of Midnight in the Century, by Express."""
    other = BookFactory(title="Midnight in the Century", isbn="9781681371825", rrp=aud("29.95"))
    order = place(basket_of((book, 2), (other, 1)), methods["Express"])
    return with_status(order, OrderStatus.PAID)


def test_a_paid_order_is_a_tax_invoice_with_everything_the_ato_asks(client, paid_order, settings):
    response = order_page(client, paid_order)
    assert response.status_code == 200
    page = parse(response)
    main = page.find("main")
    assert page.find("h1").text() == "Tax invoice"
    seller = main.find(css_class="invoice__seller")
    assert settings.SHOP_NAME == "Bookshop Demo Pty Ltd"
    assert seller.text() == (
        "Bookshop Demo Pty Ltd ABN 53 004 085 616 1 Demo Lane Melbourne VIC 3000 "
        "orders@bookshop.example (03) 9000 0000"
    )
    facts = {
        row.find("dt").text(): row.find("dd").text()
        for row in main.find("dl", css_class="invoice__facts").find_all("div")
    }
    placed = timezone.localtime(paid_order.created_at)
    assert facts == {
        "Order number": paid_order.number,
        "Invoice date": f"{placed.day} {placed:%B %Y}",
        "Status": "Paid",
    }
    rows = [
        [cell.text() for cell in row.iter() if cell.tag in {"th", "td"}]
        for row in main.find("tbody").find_all("tr")
    ]
    assert rows == [
        ["Conquered City (Paperback)", "9781590173664", "2", "$39.99", "$79.98"],
        ["Midnight in the Century (Paperback)", "9781681371825", "1", "$29.95", "$29.95"],
    ]
    totals = [
        [cell.text() for cell in row.iter() if cell.tag in {"th", "td"}]
        for row in main.find("tfoot").find_all("tr")
    ]
    # $79.98 + $29.95 + $14.95 Express = $124.88, of which GST is $11.35.
    assert totals == [
        ["Books", "$109.93"],
        ["Postage (Express)", "$14.95"],
        ["Total", "$124.88"],
    ]
    assert main.find(css_class="invoice__gst").text() == "Total includes GST of $11.35"
    assert "Print this page for your records." in main.text()


@pytest.mark.parametrize("status", PAID_STATUSES)
def test_every_order_paid_for_is_a_tax_invoice_with_its_status_in_words(client, paid_order, status):
    with_status(paid_order, status)
    page = parse(order_page(client, paid_order))
    assert page.find("h1").text() == "Tax invoice"
    assert page.find(css_class="invoice__status").text() == OrderStatus(status).label


def test_an_order_awaiting_payment_says_so_and_is_no_tax_invoice(client, methods, book):
    order = place(basket_of((book, 1)), methods["Standard"])
    assert order.status == OrderStatus.AWAITING_PAYMENT
    response = order_page(client, order)
    page = parse(response)
    assert page.find("h1").text() == f"Order {order.number}"
    assert "Tax invoice" not in response.content.decode()
    assert "Awaiting payment" in page.find(css_class="invoice__state").text()
    assert page.find(css_class="invoice__status").text() == "Awaiting payment"
    assert "bank transfer" not in text_of(response)
    # What was ordered is still there, for the customer to check.
    assert "Conquered City" in page.find("tbody").text()
    assert not page.find_all(css_class="invoice__print")
    pay = page.find(css_class="invoice__pay").find("a")
    assert (pay.text(), pay.get("href")) == ("Pay now", f"/orders/{order.token}/pay/")


def test_a_bank_transfer_order_says_the_transfer_is_awaited(client, methods, book):
    order = with_status(
        place(basket_of((book, 1)), methods["Standard"]),
        OrderStatus.AWAITING_PAYMENT,
        bank_transfer=True,
    )
    state = parse(order_page(client, order)).find(css_class="invoice__state").text()
    assert "Awaiting payment" in state
    assert "waiting for your payment by bank transfer" in state
    assert order.number in state
    pay = parse(order_page(client, order)).find(css_class="invoice__pay").find("a")
    assert pay.text() == "Bank transfer details"


def test_a_cancelled_order_says_so_and_is_no_tax_invoice(client, paid_order):
    with_status(paid_order, OrderStatus.CANCELLED)
    response = order_page(client, paid_order)
    page = parse(response)
    assert page.find(css_class="invoice__status").text() == "Cancelled"
    assert "This order was cancelled." in page.find(css_class="invoice__state").text()
    assert "Tax invoice" not in response.content.decode()


# --- The buyer on a tax invoice of $1,000 or more ----------------------------------------


@pytest.mark.parametrize(
    ("price", "abn", "buyer"),
    [
        # 10 copies, postage free over $80: $999.90, then exactly $1,000.00.
        ("99.99", "", None),
        ("99.99", BUYER_ABN, "Vera Reader ABN 51 824 753 556"),
        ("100.00", "", "Vera Reader"),
        ("100.00", BUYER_ABN, "Vera Reader ABN 51 824 753 556"),
    ],
)
def test_a_tax_invoice_of_1000_dollars_or_more_names_the_buyer(client, methods, price, abn, buyer):
    book = BookFactory(title="Collected Works", rrp=aud(price), stock=20)
    details = dataclasses.replace(DETAILS, buyer_abn=abn)
    order = with_status(
        place(basket_of((book, 10)), methods["Standard"], details=details), OrderStatus.PAID
    )
    assert order.total == aud("1000.00") if price == "100.00" else aud("999.90")
    page = parse(order_page(client, order))
    found = page.find_all("section", css_class="invoice__buyer")
    if buyer is None:
        assert found == []
    else:
        assert found[0].text() == f"Buyer {buyer}"


def test_an_order_awaiting_payment_names_no_buyer_whatever_its_total(client, methods):
    book = BookFactory(title="Collected Works", rrp=aud("150.00"), stock=20)
    details = dataclasses.replace(DETAILS, buyer_abn=BUYER_ABN)
    order = place(basket_of((book, 10)), methods["Standard"], details=details)
    assert not parse(order_page(client, order)).find_all(css_class="invoice__buyer")


# --- Where it goes ----------------------------------------------------------------------


def test_a_delivered_order_shows_its_address(client, paid_order):
    delivery = parse(order_page(client, paid_order)).find(css_class="invoice__delivery")
    assert delivery.text() == "Delivery to Vera Reader 12 Collins Street Melbourne VIC 3000"


def test_click_and_collect_shows_the_shops_address(client, methods, book):
    order = with_status(place(basket_of((book, 1)), methods["Click & Collect"]), OrderStatus.PAID)
    delivery = parse(order_page(client, order)).find(css_class="invoice__delivery")
    assert delivery.text() == (
        "Collection Click & Collect from the shop: 1 Demo Lane Melbourne VIC 3000 For Vera Reader"
    )
    assert "Collins Street" not in delivery.text()


def test_a_dispatched_order_shows_its_carrier_and_tracking_number(paid_order):
    """Rendered from the order as the page's view gives it, with the dispatch's details."""
    order = with_status(paid_order, OrderStatus.DISPATCHED)
    order.carrier = "Australia Post"
    order.tracking_number = "AP<123>"
    request = RequestFactory().get("/")
    html = render_to_string(
        "shop/order_detail.html", {"order": order, "invoice": invoice_for(order)}, request
    )
    tracking = parse(html).find(css_class="invoice__tracking")
    assert tracking.text() == "Sent with Australia Post, tracking number AP<123>"
    assert "AP&lt;123&gt;" in html


def test_an_order_without_dispatch_details_shows_no_tracking(client, paid_order):
    with_status(paid_order, OrderStatus.DISPATCHED)
    assert not parse(order_page(client, paid_order)).find_all(css_class="invoice__tracking")


# --- Reached by its token alone, never kept ----------------------------------------------


def test_an_unknown_token_is_not_found(client, paid_order):
    response = client.get(reverse("shop:order-detail", args=["not-an-order-token"]))
    assert response.status_code == 404
    response = client.get(reverse("shop:order-detail", args=[paid_order.token[:-1]]))
    assert response.status_code == 404


def test_the_address_is_the_token_alone_never_the_id_or_number(client, paid_order):
    url = reverse("shop:order-detail", args=[paid_order.token])
    assert url == f"/orders/{paid_order.token}/"
    assert len(paid_order.token) >= 43  # 256 random bits
    for guess in (str(paid_order.pk), paid_order.number, paid_order.checkout_token):
        assert client.get(f"/orders/{guess}/").status_code == 404


def test_each_token_shows_its_own_order_only(client, methods, book):
    mine = with_status(place(basket_of((book, 1)), methods["Standard"]), OrderStatus.PAID)
    other_book = BookFactory(title="The Case of Comrade Tulayev")
    theirs = with_status(
        place(
            basket_of((other_book, 1)),
            methods["Standard"],
            details=dataclasses.replace(DETAILS, name="Other Buyer", line1="9 Elsewhere Road"),
        ),
        OrderStatus.PAID,
    )
    content = order_page(client, mine).content.decode()
    assert mine.number in content
    assert theirs.number not in content
    assert "The Case of Comrade Tulayev" not in content
    assert "Other Buyer" not in content


def test_the_page_is_kept_by_no_cache_and_indexed_by_no_search_engine(client, paid_order):
    response = order_page(client, paid_order)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert parse(response).find("meta", name="robots").get("content") == "noindex"


def test_the_page_is_built_afresh_each_time(client, paid_order):
    assert parse(order_page(client, paid_order)).find(css_class="invoice__status").text() == "Paid"
    with_status(paid_order, OrderStatus.DISPATCHED)
    page = parse(order_page(client, paid_order))
    assert page.find(css_class="invoice__status").text() == "Dispatched"


def test_the_page_only_answers_reads(client, paid_order):
    url = reverse("shop:order-detail", args=[paid_order.token])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_a_title_with_markup_is_shown_as_text(client, paid_order):
    OrderLine.objects.filter(order=paid_order, isbn="9781590173664").update(
        title='<script>alert("x")</script> & <b>Bold</b>'
    )
    response = order_page(client, paid_order)
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "<b>Bold</b>" not in content
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;"
    assert escaped in content
    row = parse(response).find("tbody").find("tr")
    assert row.find("th").text() == '<script>alert("x")</script> & <b>Bold</b> (Paperback)'


def test_the_print_button_is_hidden_until_its_script_shows_it(client, paid_order):
    page = parse(order_page(client, paid_order))
    button = page.find(css_class="invoice__print").find("button")
    assert button.get("type") == "button"
    assert "hidden" in button.attrs
    assert page.find("script", src="/static/shop/js/print.js").get("defer") is not None


def test_the_page_reads_a_fixed_number_of_queries(client, paid_order, django_assert_num_queries):
    # The order, its lines, and the header's session and basket (none for a new visitor).
    with django_assert_num_queries(2):
        order_page(client, paid_order)
