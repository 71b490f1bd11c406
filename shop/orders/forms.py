"""Staff's forms for an order's actions in admin (shop.admin): the dispatch details, a
cancellation's reason and a refund's amount. They check what staff typed; the lifecycle
services (shop.orders.lifecycle) check the order itself, under its lock."""

from decimal import Decimal

from django import forms
from djmoney.money import Money

from shop import pricing
from shop.orders.lifecycle import FIELD_LENGTH


class DispatchForm(forms.Form):
    """Both needed for a parcel; neither for Click & Collect, which is then ready to
    collect (the lifecycle service decides, knowing the order)."""

    carrier = forms.CharField(
        max_length=FIELD_LENGTH,
        required=False,
        help_text="Who carries the parcel, such as Australia Post. "
        "Leave both blank for a Click & Collect order ready at the shop.",
    )
    tracking_number = forms.CharField(
        max_length=FIELD_LENGTH, required=False, label="Tracking number"
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        required=False,
        help_text='Kept in the order\'s history, such as "Customer asked".',
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (AUD)",
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    note = forms.CharField(max_length=200, required=False, help_text="Kept in the history.")

    def __init__(self, *args, most: Money, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.most = most
        field = self.fields["amount"]
        field.widget.attrs["max"] = str(most.amount)
        field.help_text = f"At most {pricing.format_aud(most)}, what is left to refund."

    def clean_amount(self) -> Money:
        amount = self.cleaned_data["amount"]
        if amount > self.most.amount:
            raise forms.ValidationError(
                f"At most {pricing.format_aud(self.most)} is left to refund on this order."
            )
        return pricing.aud(amount)
