"""Building small ONIX products and mapping them, for the mapping tests."""

import datetime
import io

import pytest

from catalogue.book_data import BookData, ProductSkipped
from catalogue.onix import (
    OnixReader,
    map_product,
)
from tests.catalogue.onix.onix_fixtures import (
    message,
    product,
)

TODAY = datetime.date(2025, 6, 1)


def mapped(*products: str, header: str = "") -> list[BookData]:
    records = OnixReader(io.BytesIO(message(*products, header=header)))
    return [map_product(record, today=TODAY) for record in records]


def one(**kwargs) -> BookData:
    [book] = mapped(product(**kwargs))
    return book


def problems(**kwargs) -> list[tuple[str, str, str]]:
    with pytest.raises(ProductSkipped) as skipped:
        one(**kwargs)
    return [(p.record, p.field, p.reason) for p in skipped.value.problems]


def descriptive(inner: str, form: str = "BC") -> str:
    return f"<DescriptiveDetail><ProductForm>{form}</ProductForm>{inner}</DescriptiveDetail>"


TITLE = (
    "<TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01"
    "</TitleElementLevel><TitleText>T</TitleText></TitleElement></TitleDetail>"
)


def contributor(role: str, names: str, sequence: str = "") -> str:
    seq = f"<SequenceNumber>{sequence}</SequenceNumber>" if sequence else ""
    return f"<Contributor>{seq}<ContributorRole>{role}</ContributorRole>{names}</Contributor>"


def texts(*contents: str) -> str:
    return "<CollateralDetail>" + "".join(contents) + "</CollateralDetail>"


def text_content(text_type: str, text: str, *, fmt: str = "05", audience: str = "00", extra=""):
    attribute = f' textformat="{fmt}"' if fmt else ""
    audience_xml = f"<ContentAudience>{audience}</ContentAudience>" if audience else ""
    return (
        f"<TextContent><TextType>{text_type}</TextType>{audience_xml}"
        f"<Text{attribute}>{text}</Text>{extra}</TextContent>"
    )


def supply(*details: str, market: str = "AU") -> str:
    market_xml = (
        f"<Market><Territory><CountriesIncluded>{market}</CountriesIncluded></Territory></Market>"
        if market
        else ""
    )
    return f"<ProductSupply>{market_xml}{''.join(details)}</ProductSupply>"


def supply_detail(availability: str = "21", *, on_hand: str = "", prices: str = "") -> str:
    stock = f"<Stock><OnHand>{on_hand}</OnHand></Stock>" if on_hand else ""
    return (
        f"<SupplyDetail><ProductAvailability>{availability}</ProductAvailability>{stock}"
        f"{prices}</SupplyDetail>"
    )


def aud(amount: str = "29.99", price_type: str = "02") -> str:
    return (
        f"<Price><PriceType>{price_type}</PriceType><PriceAmount>{amount}</PriceAmount>"
        "<CurrencyCode>AUD</CurrencyCode></Price>"
    )
