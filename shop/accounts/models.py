"""A customer's saved delivery addresses (at most one the default, by a constraint)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from localflavor.au.models import AUPostCodeField, AUStateField


class SavedAddress(models.Model):
    """An address a customer keeps for checkout; the default one fills the checkout's
    details step."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_addresses"
    )
    name = models.CharField(max_length=200)
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    suburb = models.CharField(max_length=100)
    state = AUStateField()
    postcode = AUPostCodeField()
    phone = models.CharField(max_length=30, blank=True)
    is_default = models.BooleanField("default address", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "shop"
        ordering = ["-is_default", "created_at", "id"]
        verbose_name_plural = "saved addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="savedaddress_one_default_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.line1}, {self.suburb} {self.state} {self.postcode}"
