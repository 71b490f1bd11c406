"""The checkout's first two steps: details and delivery method. Each step refuses what it
cannot use with a message beside the field, keeps what it accepted for the next step, and
sends a customer without a basket, or without the earlier step, back to where they belong."""

from decimal import Decimal

from catalogue.models import Book
from shop.models import DeliveryMethod
from tests.html import parse
from tests.shop.checkout.conftest import (
    ADDRESS,
    CHECKOUT_URL,
    COLLECT,
    DELIVERY_URL,
    REVIEW_URL,
    add,
)
from tests.shop.helpers import aud


def field_error(response, name: str) -> str:
    page = parse(response)
    label = page.find("label", **{"for": f"id_{name}"})
    return label.find("span", css_class="field__error").text()


def method_labels(response) -> list[str]:
    page = parse(response)
    return [label.text() for label in page.find_all("label", css_class="check")]


def test_the_basket_page_has_a_checkout_button(shopper) -> None:
    page = parse(shopper.get("/basket/"))
    assert page.find("a", css_class="basket__checkout").get("href") == CHECKOUT_URL


def test_an_empty_basket_cannot_check_out(client, methods) -> None:
    for url in (CHECKOUT_URL, DELIVERY_URL, REVIEW_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/basket/"


def test_details_are_kept_and_lead_to_the_delivery_step(shopper) -> None:
    response = shopper.post(CHECKOUT_URL, ADDRESS)
    assert response.status_code == 302
    assert response["Location"] == DELIVERY_URL

    again = parse(shopper.get(CHECKOUT_URL))
    assert again.find("input", name="email").get("value") == "reader@example.com"
    assert again.find("input", name="suburb").get("value") == "Carlton"


def test_a_postcode_from_another_state_is_refused_beside_the_postcode(shopper) -> None:
    response = shopper.post(CHECKOUT_URL, {**ADDRESS, "postcode": "2000"})
    assert response.status_code == 200
    assert field_error(response, "postcode") == "2000 is not a postcode in Victoria."
    assert parse(response).find("div", css_class="form-errors").text()


def test_bad_input_is_refused_with_messages_never_a_500(shopper) -> None:
    response = shopper.post(
        CHECKOUT_URL,
        {**ADDRESS, "name": "x" * 5000, "postcode": "30\x0053", "email": "not an email"},
    )
    assert response.status_code == 200
    assert field_error(response, "name")
    assert field_error(response, "postcode")
    assert field_error(response, "email")
    assert shopper.get(DELIVERY_URL)["Location"] == CHECKOUT_URL


def test_a_signed_in_customers_details_are_filled_in(client, book, methods, django_user_model):
    customer = django_user_model.objects.create_user(
        "vera", "vera@example.com", "pw", first_name="Vera", last_name="Reader"
    )
    client.force_login(customer)
    add(client, book)
    page = parse(client.get(CHECKOUT_URL))
    assert page.find("input", name="email").get("value") == "vera@example.com"
    assert page.find("input", name="name").get("value") == "Vera Reader"


def test_delivery_needs_the_details_first(shopper) -> None:
    response = shopper.get(DELIVERY_URL)
    assert response["Location"] == CHECKOUT_URL


def test_delivery_offers_postal_methods_priced_for_this_basket(shopper, methods) -> None:
    shopper.post(CHECKOUT_URL, ADDRESS)
    labels = method_labels(shopper.get(DELIVERY_URL))
    assert labels == [
        "Standard — $8.95 (5 business days after dispatch)",
        "Express — $14.95 (2 business days after dispatch)",
    ]


def test_postage_is_free_above_the_threshold(shopper, book, methods) -> None:
    add(shopper, book, 2)  # three copies: $119.97
    shopper.post(CHECKOUT_URL, ADDRESS)
    assert method_labels(shopper.get(DELIVERY_URL))[0].startswith("Standard — Free")


def test_click_and_collect_offers_only_collection(shopper, methods) -> None:
    shopper.post(CHECKOUT_URL, COLLECT)
    assert method_labels(shopper.get(DELIVERY_URL)) == [
        "Click & Collect — Free (Collect from the shop)"
    ]


def test_a_method_that_does_not_fit_is_refused(shopper, methods) -> None:
    shopper.post(CHECKOUT_URL, ADDRESS)
    collect = methods["Click & Collect"].pk
    for tampered in (collect, 999999, "x", ""):
        response = shopper.post(DELIVERY_URL, {"method": tampered})
        assert response.status_code == 200
        assert parse(response).find("span", css_class="field__error").text()


def test_an_inactive_method_is_not_offered(shopper, methods) -> None:
    DeliveryMethod.objects.filter(name="Express").update(active=False)
    shopper.post(CHECKOUT_URL, ADDRESS)
    labels = method_labels(shopper.get(DELIVERY_URL))
    assert [label.split(" — ")[0] for label in labels] == ["Standard"]
    response = shopper.post(DELIVERY_URL, {"method": methods["Express"].pk})
    assert response.status_code == 200


def test_no_method_for_the_choice_says_so(shopper, methods) -> None:
    DeliveryMethod.objects.filter(is_click_and_collect=True).update(active=False)
    shopper.post(CHECKOUT_URL, COLLECT)
    page = parse(shopper.get(DELIVERY_URL))
    assert "cannot offer Click & Collect" in page.find("div", css_class="notices").text()


def test_a_basket_of_pre_orders_says_when_it_ships(client, methods) -> None:
    import datetime

    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=100)
    pre_order = Book.objects.create(
        title="Notebooks", slug="notebooks", isbn="9781681373010", rrp=Decimal("29.99"),
        rrp_currency="AUD", published=later, stock=0,
    )  # fmt: skip
    add(client, pre_order)
    client.post(CHECKOUT_URL, ADDRESS)
    note = parse(client.get(DELIVERY_URL)).find("p", css_class="checkout__note").text()
    assert note == (
        f"This is a pre-order: we dispatch it when it is published on {later.day} {later:%B %Y}."
    )


def test_the_methods_price_shown_is_the_servers(shopper, methods) -> None:
    DeliveryMethod.objects.filter(name="Standard").update(price=aud("9.50").amount)
    shopper.post(CHECKOUT_URL, ADDRESS)
    assert method_labels(shopper.get(DELIVERY_URL))[0].startswith("Standard — $9.50")


def test_the_first_method_is_chosen_until_the_customer_chooses(shopper, methods) -> None:
    shopper.post(CHECKOUT_URL, ADDRESS)
    checked = [
        i.get("value") for i in parse(shopper.get(DELIVERY_URL)).find_all("input", type="radio")
        if i.get("checked") is not None
    ]  # fmt: skip
    assert checked == [str(methods["Standard"].pk)]
    shopper.post(DELIVERY_URL, {"method": methods["Express"].pk})
    checked = [
        i.get("value") for i in parse(shopper.get(DELIVERY_URL)).find_all("input", type="radio")
        if i.get("checked") is not None
    ]  # fmt: skip
    assert checked == [str(methods["Express"].pk)]
