"""The postcode ranges: each state's first and last postcodes, the gaps between them, and
strings that are not postcodes."""

import pytest

from shop.checkout import postcodes


@pytest.mark.parametrize(
    ("postcode", "state"),
    [
        ("2000", "NSW"),  # Sydney
        ("1001", "NSW"),  # a Sydney PO box
        ("2599", "NSW"),
        ("2619", "NSW"),  # Jerrabomberra, beside the ACT
        ("2921", "NSW"),
        ("2600", "ACT"),  # Canberra
        ("2618", "ACT"),
        ("2900", "ACT"),  # Tuggeranong
        ("2920", "ACT"),
        ("0200", "ACT"),  # the Australian National University
        ("3000", "VIC"),  # Melbourne
        ("8001", "VIC"),  # a Melbourne PO box
        ("4000", "QLD"),  # Brisbane
        ("9726", "QLD"),  # Gold Coast PO boxes
        ("5000", "SA"),  # Adelaide
        ("6000", "WA"),  # Perth
        ("6797", "WA"),
        ("6800", "WA"),
        ("7000", "TAS"),  # Hobart
        ("0800", "NT"),  # Darwin
        ("0872", "NT"),  # Alice Springs' outback
    ],
)
def test_a_postcode_belongs_to_its_state(postcode: str, state: str) -> None:
    assert postcodes.state_of(postcode) == state
    assert postcodes.belongs_to(postcode, state)
    others = {"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"} - {state}
    assert not any(postcodes.belongs_to(postcode, other) for other in others)


@pytest.mark.parametrize(
    "postcode", ["0100", "6798", "6799", "200", "20000", "２０００", "20a0", "", " 2000", "٢٠٠٠"]
)
def test_a_postcode_outside_every_range_or_not_four_digits_belongs_nowhere(postcode: str) -> None:
    assert postcodes.state_of(postcode) is None
