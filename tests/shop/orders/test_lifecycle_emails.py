"""The customer hears of each change to their order they care about, by email once the
change commits: paid (the tax invoice), dispatched (with tracking), cancelled, refunded;
and of nothing when a change is refused."""

import pytest
from django.contrib.auth.models import User
from django.core import mail

from shop.models import OrderStatus
from shop.orders import lifecycle
from shop.orders.lifecycle import TransitionRefused
from tests.shop.helpers import aud
from tests.shop.orders.conftest import FakeRefund, at_status


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("packer", is_staff=True)


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_paid_sends_the_tax_invoice(order, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_mark_paid(order=order)
    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert order.number in message.subject
    assert "TAX INVOICE" in message.body


def test_dispatch_sends_the_tracking_number(
    order, staff, django_capture_on_commit_callbacks
) -> None:
    at_status(order, OrderStatus.PICKING)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_dispatch(
            order=order, carrier="Australia Post", tracking_number="33AB1234", by=staff
        )
    [message] = mail.outbox
    assert "33AB1234" in message.body


def test_cancel_and_refund_each_tell_the_customer(
    order, staff, django_capture_on_commit_callbacks
) -> None:
    at_status(order, OrderStatus.DELIVERED)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_refund(order=order, amount=aud("10.00"), by=staff, refund=FakeRefund())
    [refunded] = mail.outbox
    assert "$10.00" in refunded.body

    mail.outbox.clear()
    at_status(order, OrderStatus.AWAITING_PAYMENT)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.order_cancel(order=order, by=None, reason="Not paid within 30 minutes")
    [cancelled] = mail.outbox
    assert order.number in cancelled.subject


def test_a_refused_change_sends_nothing(order, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(TransitionRefused):
            lifecycle.order_dispatch(order=order, carrier="AP", tracking_number="1", by=staff)
        with pytest.raises(TransitionRefused):
            lifecycle.order_refund(
                order=order, amount=aud("5.00"), by=staff, refund=FakeRefund(fails="Declined")
            )
    assert mail.outbox == []
