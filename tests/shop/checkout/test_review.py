"""The review and "Place order": the page shows every amount as it will be charged, placing
charges exactly that and hands the order to payment, and anything that changed since the
customer looked is told to them, with nothing placed, until they confirm again."""

import threading

import pytest
from django.test import Client

from shop.checkout import session as checkout_session
from shop.models import BasketLine, DeliveryMethod, Order
from tests.html import parse
from tests.shop.basket.helpers import messages_in
from tests.shop.checkout.conftest import COLLECT, REVIEW_URL, add, to_review
from tests.shop.helpers import aud


def review_form(client: Client) -> dict[str, str]:
    page = parse(client.get(REVIEW_URL))
    form = page.find("form", action=REVIEW_URL)
    return {
        field.get("name"): field.get("value")
        for field in form.find_all("input")
        if field.get("type") == "hidden" and field.get("name") != "csrfmiddlewaretoken"
    }


def amounts(client: Client) -> dict[str, str]:
    page = parse(client.get(REVIEW_URL))
    rows = page.find("table", css_class="order-lines").find("tfoot").find_all("tr")
    return {row.find("th").text(): row.find("td").text() for row in rows}


def pay_url(order: Order) -> str:
    return f"/orders/{order.token}/pay/"


def test_review_needs_a_delivery_method(shopper) -> None:
    shopper.post("/checkout/", COLLECT)
    assert shopper.get(REVIEW_URL)["Location"] == "/checkout/delivery/"


def test_review_shows_lines_postage_total_and_gst(shopper) -> None:
    to_review(shopper)
    page = parse(shopper.get(REVIEW_URL))
    line = page.find("table", css_class="order-lines").find("tbody").find("tr")
    assert [cell.text() for cell in line.find_all("td")][1:] == ["1", "$39.99"]
    assert line.find("span", css_class="order-lines__unit").text() == "$39.99"
    assert "ISBN 9781590173664" in line.text()
    assert amounts(shopper) == {"Books": "$39.99", "Standard": "$8.95", "Total": "$48.94"}
    # GST is a whole-sale eleventh, postage included: 48.94 / 11 = 4.449 -> $4.45.
    assert page.find("p", css_class="order-lines__gst").text() == "Includes GST of $4.45"
    assert review_form(shopper)["total"] == "48.94"


def test_placing_the_order_charges_what_was_shown_and_goes_to_payment(shopper, book) -> None:
    to_review(shopper)
    response = shopper.post(REVIEW_URL, review_form(shopper))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pay_url(order)
    assert order.total == aud("48.94")
    assert order.gst == aud("4.45")
    assert order.delivery_suburb == "Carlton"
    assert [(line.title, line.quantity) for line in order.lines.all()] == [("Conquered City", 1)]
    assert not BasketLine.objects.exists()
    book.refresh_from_db()
    assert book.stock == 11


def test_the_same_checkout_sent_twice_places_one_order(shopper) -> None:
    to_review(shopper)
    form = review_form(shopper)
    first = shopper.post(REVIEW_URL, form)
    again = shopper.post(REVIEW_URL, form)  # a reload, a double click, an old tab

    assert Order.objects.count() == 1
    assert first["Location"] == again["Location"] == pay_url(Order.objects.get())


def test_the_next_checkout_is_a_new_order(shopper, book) -> None:
    to_review(shopper)
    shopper.post(REVIEW_URL, review_form(shopper))
    add(shopper, book)
    to_review(shopper)
    shopper.post(REVIEW_URL, review_form(shopper))
    assert Order.objects.count() == 2


def test_a_price_change_since_the_review_is_told_and_nothing_is_placed(shopper, book) -> None:
    to_review(shopper)
    form = review_form(shopper)
    book.rrp = aud("44.99")
    book.save()

    response = shopper.post(REVIEW_URL, form)

    assert response.status_code == 200
    assert not Order.objects.exists()
    notices = parse(response).find("div", css_class="notices").text()
    assert "has not been placed" in notices
    assert "$44.99" in notices
    # The page now shows the new amounts, and confirming them places the order.
    assert amounts(shopper)["Total"] == "$53.94"
    response = shopper.post(REVIEW_URL, review_form(shopper))
    assert Order.objects.get().total == aud("53.94")


def test_a_tampered_total_is_refused_never_charged(shopper) -> None:
    to_review(shopper)
    form = review_form(shopper)
    for total in ("0.01", "-5", "abc", "1e9", ""):
        response = shopper.post(REVIEW_URL, {**form, "total": total})
        assert response.status_code in (200, 302)
        assert not Order.objects.exists()


def test_a_forged_checkout_token_places_nothing(shopper) -> None:
    to_review(shopper)
    form = review_form(shopper)
    response = shopper.post(REVIEW_URL, {**form, "checkout": "someone-elses-checkout"})
    assert response["Location"] == REVIEW_URL
    assert not Order.objects.exists()


def test_a_method_withdrawn_before_placing_is_refused(shopper) -> None:
    to_review(shopper)
    form = review_form(shopper)
    DeliveryMethod.objects.filter(name="Standard").update(active=False)
    response = shopper.post(REVIEW_URL, form)
    assert not Order.objects.exists()
    assert response.status_code == 302
    assert response["Location"] == "/checkout/delivery/"


def test_the_last_copy_bought_elsewhere_is_told(shopper, book) -> None:
    to_review(shopper)
    form = review_form(shopper)
    book.stock = 0
    book.save()
    response = shopper.post(REVIEW_URL, form, follow=True)
    assert not Order.objects.exists()
    assert response.redirect_chain == [("/basket/", 302)]  # the basket is empty now
    assert messages_in(response) == ["Sorry, Conquered City is out of stock."]


def test_click_and_collect_places_an_order_without_an_address(shopper) -> None:
    to_review(shopper, COLLECT, method="Click & Collect")
    assert amounts(shopper) == {"Books": "$39.99", "Click & Collect": "Free", "Total": "$39.99"}
    shopper.post(REVIEW_URL, review_form(shopper))
    order = Order.objects.get()
    assert order.click_and_collect and order.delivery_line1 == ""
    assert order.total == aud("39.99")


def test_a_signed_in_customers_order_is_theirs(client, book, methods, django_user_model):
    customer = django_user_model.objects.create_user("vera", "vera@example.com", "pw")
    client.force_login(customer)
    add(client, book)
    to_review(client)
    client.post(REVIEW_URL, review_form(client))
    assert Order.objects.get().user == customer


def test_place_order_needs_the_csrf_token(book, methods) -> None:
    client = Client(enforce_csrf_checks=True)
    page = parse(client.get(f"/books/{book.slug}-{book.isbn}/"))
    token = page.find("input", name="csrfmiddlewaretoken").get("value")
    client.post("/basket/add/", {"book": book.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    response = client.post(REVIEW_URL, {"checkout": "x", "total": "1.00"})
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_place_one_order(book, methods) -> None:
    client = Client()
    add(client, book)
    to_review(client)
    form = review_form(client)
    session_cookie = client.cookies
    results: list[int] = []

    def submit() -> None:
        other = Client()
        other.cookies = session_cookie
        results.append(other.post(REVIEW_URL, form).status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Order.objects.count() == 1
    assert results == [302, 302]


def test_the_session_forgets_nothing_it_needs_after_an_order(shopper) -> None:
    to_review(shopper)
    token = review_form(shopper)["checkout"]
    shopper.post(REVIEW_URL, review_form(shopper))
    session = shopper.session
    assert checkout_session.TOKEN_KEY not in session
    assert session[checkout_session.PLACED_KEY] == {token: Order.objects.get().token}
