"""The payments' jobs: refunding a confirmed payment its order did not need, once the
confirmation has committed (with the provider's data saved), retried when the provider
fails."""

from jobs import task
from jobs.retry import MAX_ATTEMPTS, retry_later
from shop.payments.models import Payment
from shop.payments.services import RefundFailed, payment_refund_unneeded


@task()
def refund_unneeded_payment(*, payment_id: int, attempt: int = 1) -> None:
    """The job: refund the payment in full; on the provider's refusal try again later, up
    to MAX_ATTEMPTS (each failure is in the task results, with the provider's message)."""
    try:
        payment_refund_unneeded(payment=Payment.objects.get(pk=payment_id))
    except RefundFailed:
        retry_later(
            refund_unneeded_payment,
            attempt=attempt,
            max_attempts=MAX_ATTEMPTS,
            kwargs={"payment_id": payment_id},
        )
        raise
