"""ISBN-10 and ISBN-13: normalising, validating and converting.

The catalogue stores every book under its 13-digit ISBN with no hyphens. People type ISBNs
with hyphens or spaces, and older stock carries ISBN-10s; `normalise_isbn` accepts all of
those and returns the canonical 13 digits, or raises `InvalidISBN` with a message written
for the person who typed it.
"""

import re

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")  # spaces and the dashes people paste
# "ISBN", "ISBN:", "ISBN-13:", "ISBN 10" as printed on books and in catalogues.
# The 10/13 only counts as a label when a space or colon follows it, so that "ISBN 1034567890"
# keeps its leading digits.
_PREFIX = re.compile(r"^\s*ISBN(?:[-\s]?1[03](?=[\s:]))?\s*:?", re.IGNORECASE)
_ISBN13 = re.compile(r"[0-9]{13}")
_ISBN10 = re.compile(r"[0-9]{9}[0-9X]")


class InvalidISBN(ValueError):
    """The text is not a valid ISBN; str(error) is a message fit to show a person."""


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn10_to_isbn13(isbn10: str) -> str:
    """Convert a valid, compact ISBN-10 to its ISBN-13 (978 prefix)."""
    first12 = "978" + isbn10[:9]
    return first12 + isbn13_check_digit(first12)


def compact(value: str) -> str:
    """Strip an "ISBN-13:" style prefix and separators, upper-case a trailing x; does not
    validate."""
    text = _PREFIX.sub("", str(value))
    return _SEPARATORS.sub("", text).upper()


def normalise_isbn(value: str) -> str:
    """Return the 13-digit ISBN for an ISBN-10 or ISBN-13 typed in any usual way."""
    if value is None or not str(value).strip():
        raise InvalidISBN("Enter an ISBN.")
    text = compact(value)
    if len(text) == 10:
        if not _ISBN10.fullmatch(text):
            raise InvalidISBN("An ISBN-10 has nine digits followed by a digit or X.")
        if isbn10_check_digit(text[:9]) != text[9]:
            raise InvalidISBN("ISBN check digit is wrong.")
        return isbn10_to_isbn13(text)
    if len(text) == 13:
        if not _ISBN13.fullmatch(text):
            raise InvalidISBN("An ISBN-13 has digits only.")
        if not text.startswith(("978", "979")):
            raise InvalidISBN("An ISBN-13 starts with 978 or 979.")
        if isbn13_check_digit(text[:12]) != text[12]:
            raise InvalidISBN("ISBN check digit is wrong.")
        return text
    raise InvalidISBN("An ISBN has 10 or 13 digits (hyphens and spaces are fine).")


def is_valid_isbn(value: str) -> bool:
    try:
        normalise_isbn(value)
    except InvalidISBN:
        return False
    return True


def looks_like_isbn(value: str) -> bool:
    """True when the text has the shape of an ISBN (10 or 13 characters once separators are
    removed, digits with an optional final X), whether or not its check digit is right.
    Search uses this to tell an ISBN look-up from a keyword."""
    text = compact(value)
    return bool(_ISBN13.fullmatch(text) or _ISBN10.fullmatch(text))
