"""Housekeeping jobs, run on the schedule in settings.JOBS_SCHEDULE (see jobs.schedule):
expired sessions and visitors' baskets nobody has touched for 30 days are removed."""

import datetime

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from jobs import task
from shop.models import Basket

ABANDONED_AFTER = datetime.timedelta(days=30)


def sessions_clear_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the database sessions that have expired; return how many. (What Django's
    `clearsessions` does for the database session engines, counted.)"""
    deleted, _ = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted


def baskets_remove_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Delete visitors' baskets (no account) whose basket and lines were all last changed
    more than 30 days ago; return how many. Customers' baskets are kept."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    abandoned = (
        Basket.objects.filter(user__isnull=True, updated_at__lt=cutoff)
        .annotate(last_line_change=Max("lines__updated_at"))
        .filter(Q(last_line_change__isnull=True) | Q(last_line_change__lt=cutoff))
    )
    with transaction.atomic():
        ids = list(abandoned.values_list("pk", flat=True))
        deleted, _ = Basket.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0


@task()
def clear_expired_sessions() -> int:
    return sessions_clear_expired()


@task()
def remove_abandoned_baskets() -> int:
    return baskets_remove_abandoned()
