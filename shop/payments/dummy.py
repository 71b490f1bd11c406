"""The dummy card provider for local development and tests: django-payments' own
DummyProvider with a form that offers a tester exactly three outcomes, labelled plainly.
It takes no card details, and nothing else a browser sends reaches the payment: its
callback does not take a status from the query string (the stock one does, to imitate
3-D Secure), so a forged callback cannot confirm a payment."""

from django import forms
from django.http import HttpResponseRedirect
from payments import PaymentError, PaymentStatus, RedirectNeeded
from payments.dummy import DummyProvider as LibraryDummyProvider
from payments.forms import PaymentForm

OUTCOMES = [
    (PaymentStatus.CONFIRMED, "Paid: the card is charged and the payment is confirmed"),
    (PaymentStatus.REJECTED, "Declined: the bank refuses the card"),
    (PaymentStatus.ERROR, "Error: the payment provider fails"),
]


class DummyOutcomeForm(PaymentForm):
    outcome = forms.ChoiceField(
        label="Outcome of this test payment",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        initial=PaymentStatus.CONFIRMED,
    )


class DummyProvider(LibraryDummyProvider):
    """Test payments only: never configured when Stripe's keys are set, nor in production."""

    def get_form(self, payment, data=None):
        if payment.status == PaymentStatus.WAITING:
            payment.change_status(PaymentStatus.INPUT)
        form = DummyOutcomeForm(data=data, hidden_inputs=False, provider=self, payment=payment)
        if form.is_valid():
            outcome = form.cleaned_data["outcome"]
            if outcome == PaymentStatus.CONFIRMED:
                payment.captured_amount = payment.total
                payment.save(update_fields=["captured_amount"])
            payment.change_status(outcome, message=dict(OUTCOMES)[outcome])
            if outcome == PaymentStatus.CONFIRMED:
                raise RedirectNeeded(payment.get_success_url())
            raise RedirectNeeded(payment.get_failure_url())
        return form

    def get_token_from_request(self, payment, request):
        # No webhook: a POST to its static callback is a bad request, not a server error.
        raise PaymentError("The dummy provider sends no webhooks.", code=400)

    def process_data(self, payment, request):
        if payment.status == PaymentStatus.CONFIRMED:
            return HttpResponseRedirect(payment.get_success_url())
        return HttpResponseRedirect(payment.get_failure_url())
