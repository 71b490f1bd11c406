"""shop.housekeeping: expired sessions and visitors' baskets untouched for 30 days go."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from shop import housekeeping
from shop.models import Basket, BasketLine
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db

DAYS = datetime.timedelta(days=1)


def basket(*, age_days: float, user=None, line_age_days: float | None = None) -> Basket:
    made = Basket.objects.create(user=user)
    Basket.objects.filter(pk=made.pk).update(updated_at=timezone.now() - age_days * DAYS)
    if line_age_days is not None:
        line = BasketLine.objects.create(basket=made, book=BookFactory(), quantity=1, unit_price=10)
        BasketLine.objects.filter(pk=line.pk).update(
            updated_at=timezone.now() - line_age_days * DAYS
        )
    return made


def test_visitors_baskets_untouched_for_30_days_are_removed_with_their_lines():
    old = basket(age_days=31, line_age_days=31)
    recent = basket(age_days=29)
    old_but_line_changed = basket(age_days=40, line_age_days=2)
    customers = basket(age_days=90, user=User.objects.create_user("reader"))

    assert housekeeping.baskets_remove_abandoned() == 1

    remaining = set(Basket.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_but_line_changed.pk, customers.pk}
    assert not BasketLine.objects.filter(basket_id=old.pk).exists()


def test_expired_sessions_are_removed_and_live_ones_kept():
    live = SessionStore()
    live["basket_id"] = 1
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - DAYS)

    assert housekeeping.sessions_clear_expired() == 1

    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_the_housekeeping_jobs_run_from_the_queue():
    basket(age_days=31)

    assert housekeeping.remove_abandoned_baskets.enqueue().return_value == 1
    assert housekeeping.clear_expired_sessions.enqueue().return_value == 0


def test_the_shops_schedule_names_the_housekeeping_jobs(settings):
    from django.utils.module_loading import import_string

    for path in settings.JOBS_SCHEDULE:
        assert import_string(path).enqueue  # each entry is a real task
    assert "shop.housekeeping.remove_abandoned_baskets" in settings.JOBS_SCHEDULE
    assert "shop.housekeeping.clear_expired_sessions" in settings.JOBS_SCHEDULE
