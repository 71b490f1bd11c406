"""The account pages' forms."""

from django import forms
from localflavor.au.au_states import STATE_CHOICES
from localflavor.au.forms import AUPostCodeField

from shop.checkout import postcodes

_STATE_NAMES = dict(STATE_CHOICES)


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account is closed for good",
        error_messages={"required": "Tick the box to close your account."},
    )


class SavedAddressForm(forms.Form):
    """An Australian delivery address whose postcode belongs to its state, as at checkout."""

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
        postcode, state = data.get("postcode"), data.get("state")
        if postcode and state and not postcodes.belongs_to(postcode, state):
            self.add_error("postcode", f"{postcode} is not a postcode in {_STATE_NAMES[state]}.")
        return data
