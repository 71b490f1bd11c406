"""Baskets. Only shop.basket writes them; shop.pricing does their arithmetic."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from djmoney.models.fields import MoneyField
from djmoney.money import Money

from catalogue.models import Book
from shop import pricing


class Basket(models.Model):
    """A customer's basket. A visitor's basket is found through their session (which holds
    its id); a signed-in customer's belongs to their account, at most one each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="basket",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Basket {self.pk} of {self.user or 'a visitor'}"


class BasketLine(models.Model):
    """One book in a basket. `unit_price` is the price when it was added (or when the
    customer was last told of a change)."""

    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = MoneyField(
        max_digits=10,
        decimal_places=2,
        default_currency="AUD",
        currency_choices=[("AUD", "Australian dollar")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "book"], name="basketline_one_per_book"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="basketline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="basketline_unit_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.book}"

    @property
    def line_total(self) -> Money:
        return pricing.line_total(self.unit_price, self.quantity)
