"""jobs.email.send_email: sent by a job once the transaction commits, retried on failure."""

import pytest
from django.core import mail
from django.db import transaction

from jobs import email

pytestmark = pytest.mark.django_db


def test_an_email_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email.send_email(to=["reader@example.com"], subject="Your order", body="Thank you.")
        assert mail.outbox == []  # not before the commit

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.com"]
    assert mail.outbox[0].subject == "Your order"


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_in_a_rolled_back_transaction_never_goes():
    with pytest.raises(RuntimeError), transaction.atomic():
        email.send_email(to=["reader@example.com"], subject="Your order", body="Thank you.")
        raise RuntimeError("the order failed")

    assert mail.outbox == []


def test_an_html_alternative_goes_with_the_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email.send_email(to=["a@example.com"], subject="S", body="Plain", html="<p>Rich</p>")

    assert mail.outbox[0].alternatives[0][0] == "<p>Rich</p>"


def test_an_email_needs_a_recipient():
    with pytest.raises(ValueError, match="recipient"):
        email.send_email(to=[""], subject="S", body="B")


def test_a_failing_send_is_retried_a_bounded_number_of_times(monkeypatch):
    attempts = []

    def refuse(self, fail_silently=False):
        attempts.append(1)
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    result = email.deliver_email.enqueue(to=["a@example.com"], subject="S", body="B")

    assert len(attempts) == 3
    assert result.status == "FAILED"
    assert "mail server down" in result.errors[0].traceback
