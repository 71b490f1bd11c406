"""The account pages' forms."""

from django import forms
from localflavor.au.au_states import STATE_CHOICES
from localflavor.au.forms import AUPostCodeField

from shop.checkout.forms import AddressChecks


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account is closed for good",
        error_messages={"required": "Tick the box to close your account."},
    )


class SavedAddressForm(AddressChecks, forms.Form):
    """An Australian delivery address, checked as at checkout (phone, postcode in state)."""

    name = forms.CharField(label="Name", max_length=200)
    line1 = forms.CharField(label="Address line 1", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    suburb = forms.CharField(label="Suburb", max_length=100)
    state = forms.ChoiceField(label="State", choices=[("", "Choose…"), *STATE_CHOICES])
    postcode = AUPostCodeField(label="Postcode")
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    is_default = forms.BooleanField(label="Use this address at checkout", required=False)

    def clean(self) -> dict:
        data = super().clean()
        self.check_postcode(data)
        return data
