"""`send_email`: the one way the shop sends an email. It is sent by a job, enqueued when the
current transaction commits (at once outside one), so a rolled-back order never emails and
no request waits for the mail server. Failed sends are retried (jobs.retry)."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from jobs import task
from jobs.retry import MAX_ATTEMPTS, retry_later


def send_email(*, to: list[str], subject: str, body: str, html: str = "") -> None:
    """Send a plain-text email (with an HTML alternative when `html` is given) to `to`,
    through the queue, once the current transaction commits."""
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError("send_email needs at least one recipient")
    kwargs = {"to": recipients, "subject": subject, "body": body, "html": html}
    transaction.on_commit(lambda: deliver_email.enqueue(**kwargs))


@task()
def deliver_email(*, to: list[str], subject: str, body: str, html: str = "", attempt: int = 1):
    """The job: hand the message to EMAIL_BACKEND; on failure retry, up to MAX_ATTEMPTS."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        retry_later(
            deliver_email,
            attempt=attempt,
            max_attempts=MAX_ATTEMPTS,
            kwargs={"to": to, "subject": subject, "body": body, "html": html},
        )
        raise
    return len(to)
