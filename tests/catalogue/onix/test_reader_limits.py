"""The reader refuses an overlong text node or attribute quickly, naming product and field."""

import io
import time

import pytest

from catalogue.onix import OnixReader, OnixRefused, check_onix, import_onix
from catalogue.onix.reader import MAX_FIELD_BYTES
from tests.catalogue.onix.onix_fixtures import message, product

HUGE = 40 << 20  # 40 MB


def feed_with(collateral: str, *, ref: str = "rec-2") -> bytes:
    return message(product(ref="rec-1"), product(ref=ref, collateral=collateral))


def huge_text() -> bytes:
    data = feed_with(
        "<CollateralDetail><TextContent><TextType>03</TextType><Text>@</Text>"
        "</TextContent></CollateralDetail>"
    )
    return data.replace(b"<Text>@</Text>", b"<Text>" + b"a" * HUGE + b"</Text>")


def huge_attribute() -> bytes:
    data = feed_with(
        "<CollateralDetail><TextContent><TextType>03</TextType>"
        '<Text textformat="@">x</Text></TextContent></CollateralDetail>'
    )
    return data.replace(b'textformat="@"', b'textformat="' + b"a" * HUGE + b'"')


@pytest.mark.parametrize(
    ("make", "field"),
    [(huge_text, "the text of <Text>"), (huge_attribute, "an attribute of <Text>")],
)
@pytest.mark.parametrize("read", [check_onix, lambda stream: list(OnixReader(stream))])
def test_a_tens_of_megabytes_field_is_refused_quickly_naming_product_and_field(make, field, read):
    data = make()
    started = time.monotonic()

    with pytest.raises(OnixRefused) as refused:
        read(io.BytesIO(data))

    assert time.monotonic() - started < 2
    message_text = str(refused.value)
    assert message_text.startswith("Product 2 (record rec-2): " + field)
    assert "longer than 1 MB" in message_text


def test_cdata_with_angle_brackets_is_refused_as_the_product_is_read():
    data = feed_with(
        "<CollateralDetail><TextContent><TextType>03</TextType><Text>@</Text>"
        "</TextContent></CollateralDetail>"
    )
    data = data.replace(b"@", b"<![CDATA[" + b"a<" * (MAX_FIELD_BYTES // 2 + 10) + b"]]>")

    with pytest.raises(OnixRefused, match=r"Product 2 \(record rec-2\): the text of <Text>"):
        list(OnixReader(io.BytesIO(data)))


@pytest.mark.django_db
def test_an_import_of_a_feed_with_a_huge_field_imports_nothing():
    with pytest.raises(OnixRefused):
        import_onix(io.BytesIO(huge_text()))

    from catalogue.models import Book

    assert not Book.objects.exists()


def test_a_field_just_under_the_limit_is_read():
    text = "b" * (MAX_FIELD_BYTES - 1000)
    data = feed_with(
        "<CollateralDetail><TextContent><TextType>03</TextType>"
        f"<Text>{text}</Text></TextContent></CollateralDetail>"
    )

    check_onix(io.BytesIO(data))
    assert len(list(OnixReader(io.BytesIO(data)))) == 2
