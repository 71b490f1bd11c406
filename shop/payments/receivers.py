"""The one hook into django-payments: its status_changed signal, sent whenever a provider
changes a payment's status, hands confirmed payments to payment_settle."""

from shop.payments.services import payment_settle


def on_payment_status_changed(sender, instance, **kwargs) -> None:
    payment_settle(payment=instance)
