"""Scheduled jobs for orders (settings.JOBS_SCHEDULE, see jobs.schedule): every five
minutes, orders not paid within 30 minutes are released (cancelled, their stock put back)."""

from jobs import task
from shop.orders.lifecycle import orders_release_unpaid


@task()
def release_unpaid_orders() -> int:
    return orders_release_unpaid()
