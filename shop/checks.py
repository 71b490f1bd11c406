"""System checks of the shop's own settings: the ABN printed on its tax invoices."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from localflavor.au.validators import AUBusinessNumberFieldValidator


@register()
def shop_abn_check(app_configs=None, **kwargs) -> list[Error]:
    """SHOP_ABN must be an ABN whose check digits add up (spaces allowed)."""
    digits = settings.SHOP_ABN.replace(" ", "")
    try:
        AUBusinessNumberFieldValidator()(digits)
    except ValidationError:
        return [
            Error(
                f"SHOP_ABN {settings.SHOP_ABN!r} is not a valid ABN.",
                hint="Give the shop's 11-digit Australian Business Number, as on the ABN "
                "Lookup (abr.business.gov.au).",
                id="shop.E001",
            )
        ]
    return []
