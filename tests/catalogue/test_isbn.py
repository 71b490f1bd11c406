"""catalogue.isbn: normalising, validating and recognising ISBNs. No database."""

import re

import pytest

from catalogue.isbn import InvalidISBN, is_valid_isbn, looks_like_isbn, normalise_isbn

CHECK_DIGIT_WRONG = "ISBN check digit is wrong."
WRONG_LENGTH = "An ISBN has 10 or 13 digits (hyphens and spaces are fine)."


# A reference written differently from catalogue.isbn, so expected values do not come from the
# code under test: an ISBN-10 is valid when the sum of its digits weighted 10..1 is a multiple
# of 11; an ISBN-13 when the sum of its digits weighted 1,3,1,3,... is a multiple of 10.
def reference_isbn10_is_valid(isbn10: str) -> bool:
    values = [10 if ch == "X" else int(ch) for ch in isbn10]
    return sum(w * v for w, v in zip(range(10, 0, -1), values, strict=True)) % 11 == 0


def reference_isbn13_is_valid(isbn13: str) -> bool:
    weights = [1, 3] * 6 + [1]
    return sum(w * int(ch) for w, ch in zip(weights, isbn13, strict=True)) % 10 == 0


def reference_isbn10_to_13(isbn10: str) -> str:
    assert reference_isbn10_is_valid(isbn10)
    stem = "978" + isbn10[:9]
    for last in "0123456789":
        if reference_isbn13_is_valid(stem + last):
            return stem + last
    raise AssertionError("no check digit fits")  # unreachable: one digit always fits


def test_reference_implementation_agrees_with_published_pairs():
    # Published examples (the Wikipedia ISBN article and the Conquered City page).
    assert reference_isbn10_to_13("0306406152") == "9780306406157"
    assert reference_isbn10_to_13("080442957X") == "9780804429573"
    assert reference_isbn13_is_valid("9781590173664")
    assert not reference_isbn13_is_valid("9781590173665")
    assert not reference_isbn10_is_valid("0306406153")
    assert reference_isbn10_to_13("0140449132") == "9780140449136"
    assert not reference_isbn10_is_valid("0140449136")


def test_valid_isbn13_is_returned_unchanged():
    assert normalise_isbn("9781590173664") == "9781590173664"


@pytest.mark.parametrize(
    "typed",
    [
        "978-1-59017-366-4",
        "978 1 59017 366 4",
        "978\u20131\u201359017\u2013366\u20134",  # en dashes
        "978\u20141\u201459017\u2014366\u20144",  # em dashes
        "978\u20101\u201059017\u2010366\u20104",  # Unicode hyphens
        "  9781590173664\n",
        "ISBN 9781590173664",
        "ISBN: 9781590173664",
        "ISBN:978-1-59017-366-4",
        "isbn 978-1-59017-366-4",
    ],
)
def test_separators_and_isbn_prefix_are_stripped_to_13_digits(typed):
    assert normalise_isbn(typed) == "9781590173664"


@pytest.mark.parametrize(
    ("isbn10", "published_isbn13"),
    [
        ("0306406152", "9780306406157"),
        ("0-306-40615-2", "9780306406157"),
        ("0-14-044913-2", "9780140449136"),
        ("ISBN 0 14 044913 2", "9780140449136"),
        ("080442957X", "9780804429573"),
        ("0-8044-2957-X", "9780804429573"),
        ("080442957x", "9780804429573"),
    ],
)
def test_isbn10_is_converted_to_its_isbn13(isbn10, published_isbn13):
    compact10 = re.sub(r"^ISBN|[\s-]", "", isbn10).upper()
    assert reference_isbn10_to_13(compact10) == published_isbn13
    assert normalise_isbn(isbn10) == published_isbn13


@pytest.mark.parametrize(
    "isbn10",
    ["0306406152", "0140449132", "080442957X", "0571084826", "0099540827", "1590173643"],
)
def test_isbn10_conversion_matches_the_reference_implementation(isbn10):
    assert reference_isbn10_is_valid(isbn10)
    assert normalise_isbn(isbn10) == reference_isbn10_to_13(isbn10)


@pytest.mark.parametrize(
    "wrong",
    [
        "9781590173665",
        "978-1-59017-366-0",
        "9780306406158",
        "0306406153",
        # The ISBN-10 check digit is not the ISBN-13's: 0-14-044913-2 is 978-0-14-044913-6.
        "0-14-044913-6",
        "0-306-40615-X",
        "0804429571",
        "080442957 1",
    ],
)
def test_wrong_check_digit_is_rejected_with_a_message(wrong):
    with pytest.raises(InvalidISBN) as excinfo:
        normalise_isbn(wrong)
    assert str(excinfo.value) == CHECK_DIGIT_WRONG


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ("hello", WRONG_LENGTH),
        ("", "Enter an ISBN."),
        ("   ", "Enter an ISBN."),
        (None, "Enter an ISBN."),
        ("ISBN", WRONG_LENGTH),
        ("978159017366", WRONG_LENGTH),  # 12 digits
        ("97815901736640", WRONG_LENGTH),  # 14 digits
        ("97815901A3664", "An ISBN-13 has digits only."),
        ("978-1-59O17-366-4", "An ISBN-13 has digits only."),  # letter O for zero
        ("03064A6152", "An ISBN-10 has nine digits followed by a digit or X."),
        ("X306406152", "An ISBN-10 has nine digits followed by a digit or X."),
        ("9771234567898", "An ISBN-13 starts with 978 or 979."),
    ],
)
def test_junk_is_rejected_with_a_message_for_the_person_who_typed_it(junk, message):
    with pytest.raises(InvalidISBN) as excinfo:
        normalise_isbn(junk)
    assert str(excinfo.value) == message


def test_977_prefix_is_refused_even_with_a_correct_check_digit():
    # 977 is the ISSN (periodicals) prefix: the check digit fits, the prefix does not.
    assert reference_isbn13_is_valid("9771234567898")
    assert not is_valid_isbn("9771234567898")


def test_979_prefix_is_accepted():
    isbn = "9791032305690"
    assert reference_isbn13_is_valid(isbn)
    assert normalise_isbn(isbn) == isbn


def test_invalid_isbn_is_a_value_error():
    assert issubclass(InvalidISBN, ValueError)


@pytest.mark.parametrize(
    "typed",
    [
        "9781590173664",
        "ISBN: 978-1-59017-366-4",
        "0-306-40615-2",
        "080442957x",
    ],
)
def test_is_valid_isbn_is_true_for_valid_isbns(typed):
    assert is_valid_isbn(typed) is True


@pytest.mark.parametrize(
    "typed",
    ["9781590173665", "0306406153", "hello", "", None, "97815901736640", "9771234567898"],
)
def test_is_valid_isbn_is_false_for_invalid_input(typed):
    assert is_valid_isbn(typed) is False


@pytest.mark.parametrize(
    "typed",
    [
        "9781590173664",
        "9781590173665",  # wrong check digit, right shape
        "978-1-59017-366-5",
        "0306406153",
        "080442957x",
        " 0 306 40615 2 ",
    ],
)
def test_looks_like_isbn_is_true_for_isbn_shapes_whatever_the_check_digit(typed):
    assert looks_like_isbn(typed) is True


@pytest.mark.parametrize(
    "typed",
    [
        "hello",
        "Victor Serge",
        "conquered city",
        "",
        "978159017366",  # 12 digits
        "97815901736640",  # 14 digits
        "X306406152",  # X only allowed last
        "97815901736X4",
        "2024",
    ],
)
def test_looks_like_isbn_is_false_for_words_and_other_numbers(typed):
    assert looks_like_isbn(typed) is False


# Unicode has other decimal digits (fullwidth from Japanese and Chinese input methods,
# Arabic-Indic) and digit-like characters (superscript one) for which str.isdigit() is True.
# The stored ISBN must be 13 ASCII digits (the URL converter and every other system expect
# [0-9]), and nothing a person types may escape as anything but InvalidISBN.
def fullwidth(digits: str) -> str:
    return "".join(chr(0xFF10 + int(d)) for d in digits)


def arabic_indic(digits: str) -> str:
    return "".join(chr(0x0660 + int(d)) for d in digits)


SUPERSCRIPT_ONE = "\u00b9"


@pytest.mark.parametrize(
    "typed",
    [
        "978" + fullwidth("159017366") + "4",  # right check digit, typed in ASCII
        fullwidth("030640615") + "2",  # an ISBN-10 the same way
        "978" + arabic_indic("159017366") + "4",
        fullwidth("9781590173664"),
        SUPERSCRIPT_ONE + "306406152",  # isdigit() is True, int() fails
        "97815901736" + SUPERSCRIPT_ONE + "4",
    ],
)
def test_non_ascii_digits_are_either_refused_or_normalised_to_ascii(typed):
    try:
        result = normalise_isbn(typed)
    except InvalidISBN:
        return
    assert re.fullmatch(r"[0-9]{13}", result), f"would store {result!r} as the ISBN"


@pytest.mark.parametrize(
    "typed",
    [SUPERSCRIPT_ONE + "306406152", "97815901736" + SUPERSCRIPT_ONE + "4"],
)
def test_is_valid_isbn_is_false_rather_than_raising_for_digit_like_characters(typed):
    assert is_valid_isbn(typed) is False
