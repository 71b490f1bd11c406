"""Reads for the "Your account" page: a customer's orders."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from shop.models import Order


def verified_emails(*, user: AbstractBaseUser) -> list[str]:
    """The addresses this customer has confirmed (allauth's EmailAddress rows)."""
    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


def customer_orders(*, user: AbstractBaseUser) -> QuerySet[Order]:
    """The orders placed while signed in, and guest orders placed with an address this
    customer has confirmed (an unconfirmed address shows nothing): newest first, in one
    query."""
    emails = verified_emails(user=user)
    condition = Q(user=user)
    for email in emails:
        condition |= Q(user__isnull=True, email__iexact=email)
    return Order.objects.filter(condition).order_by("-created_at", "-id")
