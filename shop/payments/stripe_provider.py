"""Card payments through Stripe Checkout: django-payments' StripeProviderV3, with one
change: a webhook that is not signed by Stripe (forged, or sent to the wrong address) is
answered 400 and changes nothing, where the library lets the signature error through as
a server error."""

import stripe
from django.http import JsonResponse
from payments import PaymentError
from payments.stripe import StripeProviderV3


class StripeProvider(StripeProviderV3):
    def return_event_payload(self, request):
        try:
            return super().return_event_payload(request)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise PaymentError(code=400, message="Not an event signed by Stripe.") from error

    def process_data(self, payment, request):
        try:
            return super().process_data(payment, request)
        except PaymentError as error:
            return JsonResponse({"error": str(error)}, status=400)
