"""Providers for tests of what the shop does when a real provider refuses a refund or
answers a status query: the dummy provider with that one behaviour changed."""

from payments import PaymentError, PaymentStatus

from shop.payments.dummy import DummyProvider


class RefusingRefunds(DummyProvider):
    def refund(self, payment, amount=None):
        raise PaymentError("Charge has already been refunded.")


class ConfirmsWhenAsked(DummyProvider):
    """A provider that knows the customer paid on its page (as Stripe's session says)."""

    def status(self, payment):
        payment.captured_amount = payment.total
        payment.change_status(PaymentStatus.CONFIRMED)
        return payment
