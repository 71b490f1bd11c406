"""The checkout's pages read a fixed number of queries, however many books the basket
holds: the session, the basket's lines with their books (no authors: the checkout names
none), and the delivery methods the step needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BookFactory
from tests.shop.checkout.conftest import ADDRESS, add, to_review
from tests.shop.helpers import aud


def queries(client, url: str) -> int:
    client.get(url)  # the session's first write (the checkout token) happens once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("books", [1, 4])
def test_each_step_reads_a_fixed_number_of_queries(shopper, books) -> None:
    for _ in range(books - 1):
        add(shopper, BookFactory(rrp=aud("20.00"), stock=5))
    to_review(shopper, ADDRESS)
    assert queries(shopper, "/checkout/") == 2  # the session, the lines with their books
    # ... and the methods offered, read once for the default and the list with their prices
    assert queries(shopper, "/checkout/delivery/") == 3
    assert queries(shopper, "/checkout/review/") == 3  # ... and the chosen method
