"""Signing up, confirming the address, signing in and out, resetting a password: each
through the shop's pages, as a customer does, with the email the queue sends."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.html import parse
from tests.shop.accounts.conftest import EMAIL, PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase"
TOO_MANY = "Too many failed login attempts. Try again later."


def link_in(message) -> str:
    """The path of the one shop link in an email's text."""
    (url,) = re.findall(r"http://testserver(/accounts/\S+)", message.body)
    return url


def test_sign_up_sends_a_confirmation_through_the_queue_and_its_link_lets_the_customer_in(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    assert message.subject.startswith("Bookshop: ")
    assert "Confirm your email" in client.get(response["Location"]).content.decode()

    # Unconfirmed, the account cannot sign in yet: it is asked to confirm again.
    with django_capture_on_commit_callbacks(execute=True):
        refused = sign_in(client, "new@example.com")
    assert refused["Location"] == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session

    confirm = link_in(message)
    page = client.get(confirm)
    assert "Please confirm that new@example.com is your email address." in page.content.decode()
    client.post(confirm)
    assert EmailAddress.objects.get(email="new@example.com").verified

    response = sign_in(client, "new@example.com")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(
        get_user_model().objects.get(email="new@example.com").pk
    )


def test_sign_up_refuses_a_weak_password_with_django_s_validators(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_sign_up_answers_alike_for_an_address_that_already_has_an_account(
    client: Client, customer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            reverse("account_signup"),
            {"email": EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        unknown = Client().post(
            reverse("account_signup"),
            {"email": "nobody@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # The account's owner is told by email instead; the account is unchanged.
    assert sorted(m.to[0] for m in mail.outbox) == ["nobody@example.com", EMAIL]
    assert get_user_model().objects.filter(email=EMAIL).count() == 1
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_sign_in_changes_the_session_key_and_sign_out_ends_the_session(
    client: Client, customer
) -> None:
    client.get(reverse("shop:basket"))
    client.session.save()
    before = client.session.session_key

    response = sign_in(client)

    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(customer.pk)
    header = client.get(reverse("shop:home")).content.decode()
    assert "Your account" in header and "Sign out" in header

    signed_in_key = client.session.session_key
    client.post(reverse("account_logout"))

    assert SESSION_KEY not in client.session
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=signed_in_key).exists()
    header = client.get(reverse("shop:home")).content.decode()
    assert "Sign in" in header and "Your account" not in header


def test_the_sign_in_page_offers_remember_me_sign_up_and_a_forgotten_password(
    client: Client,
) -> None:
    page = parse(client.get(reverse("account_login")))
    page.find("input", name="remember", type="checkbox")
    hrefs = [a.get("href") for a in page.find_all("a")]
    assert reverse("account_signup") in hrefs
    assert reverse("account_reset_password") in hrefs
    assert "Forgot your password?" in client.get(reverse("account_login")).content.decode()


def test_without_remember_me_the_session_ends_with_the_browser(client: Client, customer) -> None:
    sign_in(client)
    assert client.session.get_expire_at_browser_close()
    other = Client()
    sign_in(other, remember="on")
    assert not other.session.get_expire_at_browser_close()


def test_the_eleventh_failed_sign_in_is_refused_even_with_the_right_password(
    client: Client, customer
) -> None:
    for _ in range(10):
        response = sign_in(client, password="wrong-password")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()

    response = sign_in(client)

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_password_reset_answers_alike_for_known_and_unknown_addresses_and_its_link_works(
    client: Client, customer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": EMAIL})
        unknown = Client().post(reverse("account_reset_password"), {"email": "no@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    done = client.get(known["Location"]).content.decode()
    assert "If an account exists for that email, we have sent a link" in done

    (reset,) = [m for m in mail.outbox if m.to == [EMAIL]]
    form_page = client.get(link_in(reset), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link_in(reset)
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
    assert sign_in(Client(), password=NEW_PASSWORD).status_code == 302


def test_account_pages_refuse_a_post_without_the_csrf_token(customer) -> None:
    client = Client(enforce_csrf_checks=True)
    for name in ("account_login", "account_signup", "account_reset_password"):
        assert client.post(reverse(name), {"login": EMAIL, "password": PASSWORD}).status_code == 403
    client.force_login(customer)
    for name in ("account_logout", "account-close", "account_email", "account_change_password"):
        assert client.post(reverse(name), {"confirm": "on"}).status_code == 403
    assert get_user_model().objects.filter(pk=customer.pk).exists()
