"""The account pages' forms."""

from django import forms


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account is closed for good",
        error_messages={"required": "Tick the box to close your account."},
    )
