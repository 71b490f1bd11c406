"""Staff move an order on from its admin page: only the buttons that fit its status are
shown; each POSTs (with its CSRF token) to a view that needs "Can change order", calls the
lifecycle service and comes back to the order's page with a message; a refusal is an error
message, never a server error; forms with mistakes come back to correct, nothing written."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from shop import admin as shop_admin
from shop.models import Order, OrderEvent, OrderStatus
from shop.payments.services import payment_refund
from tests.html import form_data, parse
from tests.shop.helpers import aud
from tests.shop.orders.conftest import FakeRefund, at_status

pytestmark = pytest.mark.django_db

S = OrderStatus
PASSWORD = "pw-for-tests"


def staff_with(*codenames: str, username: str = "packer") -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="shop", codename__in=codenames)
    )
    return user


@pytest.fixture
def packer(db) -> User:
    return staff_with("view_order", "change_order")


@pytest.fixture
def packer_client(client, packer) -> Client:
    client.force_login(packer)
    return client


@pytest.fixture
def refund(monkeypatch) -> FakeRefund:
    """The payment provider's refund, connected in admin."""
    fake = FakeRefund()
    monkeypatch.setattr(shop_admin, "REFUND", fake)
    return fake


def change_url(order: Order) -> str:
    return reverse("admin:shop_order_change", args=[order.pk])


def action_url(order: Order, slug: str) -> str:
    return reverse(f"admin:shop_order_{slug.replace('-', '_')}", args=[order.pk])


def buttons(response) -> list[str]:
    section = parse(response).find_all(css_class="order-actions")
    if not section:
        return []
    return [button.get("value") for button in section[0].find_all("input", type="submit")]


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def status_of(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


@pytest.mark.parametrize(
    ("status", "bank_transfer", "expected"),
    [
        (S.AWAITING_PAYMENT, False, ["Cancel order"]),
        (S.AWAITING_PAYMENT, True, ["Mark paid", "Cancel order"]),
        (S.PAID, False, ["Start picking", "Cancel order", "Refund"]),
        (S.PICKING, False, ["Dispatch", "Cancel order", "Refund"]),
        (S.DISPATCHED, False, ["Mark delivered", "Refund"]),
        (S.DELIVERED, False, ["Refund"]),
        (S.CANCELLED, False, []),
        (S.REFUNDED, False, []),
    ],
)
def test_only_the_actions_that_fit_the_status_are_shown(
    packer_client, order, status, bank_transfer, expected
) -> None:
    at_status(order, status, bank_transfer=bank_transfer)
    response = packer_client.get(change_url(order))
    assert response.status_code == 200
    assert buttons(response) == expected


def test_the_order_page_has_no_save_buttons(packer_client, order) -> None:
    page = packer_client.get(change_url(order)).content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page


def test_staff_walk_an_order_from_bank_transfer_to_delivered(packer_client, order) -> None:
    at_status(order, S.AWAITING_PAYMENT, bank_transfer=True)
    steps = [
        ("mark-paid", {}, S.PAID, f"Order {order.number} is marked paid."),
        ("start-picking", {}, S.PICKING, f"Order {order.number} is being picked."),
        (
            "dispatch",
            {"dispatch-carrier": "Australia Post", "dispatch-tracking_number": "33AB1234"},
            S.DISPATCHED,
            f"Order {order.number} is dispatched with Australia Post 33AB1234.",
        ),
        ("mark-delivered", {}, S.DELIVERED, f"Order {order.number} is marked delivered."),
    ]
    for slug, data, status, message in steps:
        response = packer_client.post(action_url(order, slug), data, follow=True)
        assert response.redirect_chain == [(change_url(order), 302)]
        assert messages_of(response) == [("success", message)]
        assert status_of(order) == status
    assert list(OrderEvent.objects.values_list("by__username", "to_status", "note")) == [
        ("packer", S.PAID, "Bank transfer received"),
        ("packer", S.PICKING, ""),
        ("packer", S.DISPATCHED, "Australia Post 33AB1234"),
        ("packer", S.DELIVERED, ""),
    ]
    page = parse(packer_client.get(change_url(order)))
    history = page.find("div", id="events-group").text()
    assert "Australia Post 33AB1234" in history and "packer" in history


def test_a_card_order_is_not_marked_paid_by_hand(packer_client, order) -> None:
    response = packer_client.post(action_url(order, "mark-paid"), follow=True)
    assert messages_of(response) == [
        ("error", f"Order {order.number} is paid online: the payment provider marks it paid.")
    ]
    assert status_of(order) == S.AWAITING_PAYMENT


def test_a_refused_move_is_an_error_message_not_a_server_error(packer_client, order) -> None:
    at_status(order, S.DISPATCHED)
    response = packer_client.post(action_url(order, "cancel"), {"cancel-reason": ""}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [
        ("error", f"Order {order.number} is dispatched: it can no longer be cancelled.")
    ]
    assert status_of(order) == S.DISPATCHED


def test_dispatch_refuses_too_long_details_beside_the_field(packer_client, order) -> None:
    at_status(order, S.PICKING)
    data = {"dispatch-carrier": "A" * 61, "dispatch-tracking_number": "33AB1234"}
    response = packer_client.post(action_url(order, "dispatch"), data)
    assert response.status_code == 400
    assert "Ensure this value has at most 60 characters (it has 61)." in (
        parse(response).find(css_class="errorlist").text()
    )
    assert status_of(order) == S.PICKING
    assert not OrderEvent.objects.exists()


@pytest.mark.parametrize(
    "data", [{"dispatch-carrier": "Australia Post"}, {"dispatch-tracking_number": "33AB1234"}]
)
def test_a_parcel_needs_a_carrier_and_a_tracking_number(packer_client, order, data) -> None:
    at_status(order, S.PICKING)
    response = packer_client.post(action_url(order, "dispatch"), data, follow=True)
    assert messages_of(response) == [
        ("error", "Give the carrier and the tracking number to dispatch an order.")
    ]
    assert status_of(order) == S.PICKING
    assert not OrderEvent.objects.exists()


def test_a_click_and_collect_order_is_made_ready_to_collect(packer_client, order) -> None:
    at_status(order, S.PICKING, click_and_collect=True)
    response = packer_client.post(action_url(order, "dispatch"), {}, follow=True)
    assert messages_of(response) == [("success", f"Order {order.number} is ready to collect.")]
    assert status_of(order) == S.DISPATCHED
    assert OrderEvent.objects.get().note == "Ready to collect"


def test_staff_cancel_an_unpaid_order_with_a_reason(packer_client, order, book) -> None:
    response = packer_client.post(
        action_url(order, "cancel"), {"cancel-reason": "Customer rang"}, follow=True
    )
    assert messages_of(response) == [("success", f"Order {order.number} is cancelled.")]
    assert status_of(order) == S.CANCELLED
    assert OrderEvent.objects.get().note == "Customer rang"
    book.refresh_from_db()
    assert book.stock == 12


def test_a_paid_order_the_provider_cannot_refund_is_not_cancelled(packer_client, order, book):
    # Marked paid, but no card payment was ever taken: the provider has nothing to refund.
    at_status(order, S.PAID)
    assert shop_admin.REFUND is payment_refund
    response = packer_client.post(action_url(order, "cancel"), {"cancel-reason": ""}, follow=True)
    assert messages_of(response) == [
        ("error", f"Order {order.number} has no card payment to refund.")
    ]
    assert status_of(order) == S.PAID
    book.refresh_from_db()
    assert book.stock == 10


def test_a_paid_bank_transfer_order_is_cancelled_and_staff_told_to_send_the_money_back(
    packer_client, order, book
) -> None:
    at_status(order, S.PAID, bank_transfer=True)
    response = packer_client.post(action_url(order, "cancel"), {"cancel-reason": ""}, follow=True)
    assert messages_of(response) == [
        (
            "success",
            f"Order {order.number} is cancelled and $88.93 refunded. It was paid by bank "
            "transfer: transfer $88.93 back to the customer from the shop's account.",
        )
    ]
    assert status_of(order) == S.CANCELLED
    book.refresh_from_db()
    assert book.stock == 12


def test_with_the_provider_a_paid_order_is_cancelled_and_refunded(
    packer_client, order, refund
) -> None:
    at_status(order, S.PAID)
    response = packer_client.post(action_url(order, "cancel"), {"cancel-reason": ""}, follow=True)
    assert messages_of(response) == [
        ("success", f"Order {order.number} is cancelled and $88.93 refunded.")
    ]
    assert refund.calls == [(order.number, aud("88.93"))]


def test_the_refund_form_shows_the_most_that_can_be_refunded(packer_client, order) -> None:
    at_status(order, S.DELIVERED, refunded=aud("8.93"))
    page = parse(packer_client.get(change_url(order)))
    amount = page.find("input", name="refund-amount")
    assert amount.get("max") == "80.00"
    assert "At most $80.00" in page.find(css_class="order-actions").text()


def test_staff_refund_part_of_an_order(packer_client, order, refund) -> None:
    at_status(order, S.DELIVERED)
    response = packer_client.post(
        action_url(order, "refund"),
        {"refund-amount": "12.50", "refund-note": "Damaged cover"},
        follow=True,
    )
    assert messages_of(response) == [("success", f"$12.50 of order {order.number} is refunded.")]
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.refunded) == (S.DELIVERED, aud("12.50"))
    assert refund.calls == [(order.number, aud("12.50"))]
    assert "$12.50 refunded" in parse(response).find(css_class="field-payment").text()


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("88.94", "At most $88.93 is left to refund on this order."),
        ("0", "Ensure this value is greater than or equal to 0.01."),
        ("ten", "Enter a number."),
        ("1.234", "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_a_refund_beyond_the_most_or_not_an_amount_is_refused(
    packer_client, order, refund, amount, error
) -> None:
    at_status(order, S.DELIVERED)
    response = packer_client.post(action_url(order, "refund"), {"refund-amount": amount})
    assert response.status_code == 400
    assert error in parse(response).find(css_class="errorlist").text()
    assert refund.calls == []
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


def test_a_refund_the_provider_refuses_is_an_error_message(packer_client, order, monkeypatch):
    monkeypatch.setattr(shop_admin, "REFUND", FakeRefund(fails="The card has expired."))
    at_status(order, S.DELIVERED)
    response = packer_client.post(action_url(order, "refund"), {"refund-amount": "5"}, follow=True)
    assert messages_of(response) == [("error", "The card has expired.")]
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


def test_without_a_card_payment_nothing_is_refunded(packer_client, order) -> None:
    at_status(order, S.DELIVERED)
    response = packer_client.post(action_url(order, "refund"), {"refund-amount": "5"}, follow=True)
    assert messages_of(response) == [
        ("error", f"Order {order.number} has no card payment to refund.")
    ]
    assert Order.objects.get(pk=order.pk).refunded == aud("0.00")


# --- Who may act --------------------------------------------------------------------


def test_staff_who_may_only_view_orders_see_no_actions_and_are_refused(client, order) -> None:
    client.force_login(staff_with("view_order", username="reader"))
    response = client.get(change_url(order))
    assert response.status_code == 200
    assert buttons(response) == []
    assert "Conquered City" in response.content.decode()  # the lines show
    for slug in ("cancel", "mark-paid", "start-picking"):
        assert client.post(action_url(order, slug), {"cancel-reason": "x"}).status_code == 403
    assert status_of(order) == S.AWAITING_PAYMENT
    assert not OrderEvent.objects.exists()


def test_visitors_are_sent_to_log_in(client, order) -> None:
    response = client.post(action_url(order, "cancel"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert status_of(order) == S.AWAITING_PAYMENT


def test_an_action_is_a_post(packer_client, order) -> None:
    assert packer_client.get(action_url(order, "cancel")).status_code == 405
    assert status_of(order) == S.AWAITING_PAYMENT


def test_an_unknown_order_is_not_found(packer_client, order) -> None:
    url = reverse("admin:shop_order_cancel", args=[order.pk + 100])
    assert packer_client.post(url).status_code == 404
    assert packer_client.post("/admin/shop/order/not-a-number/cancel/").status_code == 404
    slip = reverse("admin:shop_order_packing_slip", args=[order.pk + 100])
    assert packer_client.get(slip).status_code == 404


def test_an_action_needs_its_csrf_token(packer, order) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(packer)
    url = action_url(order, "cancel")

    assert browser.post(url, {"cancel-reason": "Forged"}).status_code == 403
    assert status_of(order) == S.AWAITING_PAYMENT

    page = parse(browser.get(change_url(order)))
    form = next(f for f in page.find_all("form") if f.get("action") == url)
    data = {**form_data(form), "cancel-reason": "Customer rang"}
    assert "csrfmiddlewaretoken" in data
    assert browser.post(url, data).status_code == 302
    assert status_of(order) == S.CANCELLED
