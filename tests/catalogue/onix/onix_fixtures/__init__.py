"""ONIX test fixtures: the XML files in this folder, and `message`/`product` for writing a
small ONIX 3.0 message inline, where a test changes one part of an otherwise ordinary
product.

`product()` gives a complete, valid product in reference tags (title, one author, a
paperback, an imprint, a publication date, an Australian RRP); pass a block's XML to
replace it. `message()` wraps products in <ONIXMessage> with the ONIX namespace.
"""

from pathlib import Path

from tests.factories import make_isbn

FIXTURES = Path(__file__).resolve().parent
ONIX_NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"

DESCRIPTIVE = """<DescriptiveDetail>
  <ProductComposition>00</ProductComposition>
  <ProductForm>BC</ProductForm>
  <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
    <TitleText>{title}</TitleText></TitleElement></TitleDetail>
  <Contributor><SequenceNumber>1</SequenceNumber><ContributorRole>A01</ContributorRole>
    <NamesBeforeKey>Ada</NamesBeforeKey><KeyNames>Lovelace</KeyNames></Contributor>
  <Extent><ExtentType>00</ExtentType><ExtentValue>224</ExtentValue>
    <ExtentUnit>03</ExtentUnit></Extent>
</DescriptiveDetail>"""

COLLATERAL = """<CollateralDetail>
  <TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>
    <Text textformat="05"><p>An ordinary book.</p></Text></TextContent>
</CollateralDetail>"""

PUBLISHING = """<PublishingDetail>
  <Imprint><ImprintName>Fixture Press</ImprintName></Imprint>
  <Publisher><PublishingRole>01</PublishingRole>
    <PublisherName>Fixture Publishing</PublisherName></Publisher>
  <PublishingDate><PublishingDateRole>01</PublishingDateRole>
    <Date dateformat="00">20200115</Date></PublishingDate>
</PublishingDetail>"""

SUPPLY = """<ProductSupply>
  <Market><Territory><CountriesIncluded>AU</CountriesIncluded></Territory></Market>
  <SupplyDetail>
    <Supplier><SupplierRole>01</SupplierRole>
      <SupplierName>Fixture Distribution</SupplierName></Supplier>
    <ProductAvailability>21</ProductAvailability>
    <Price><PriceType>02</PriceType><PriceAmount>29.99</PriceAmount>
      <CurrencyCode>AUD</CurrencyCode></Price>
  </SupplyDetail>
</ProductSupply>"""


def isbn(n: int) -> str:
    """A valid ISBN-13 for fixture number n."""
    return make_isbn(900_000 + n)


def product(
    *,
    ref: str = "fixture-1",
    notification: str = "03",
    isbn13: str | None = None,
    identifiers: str | None = None,
    title: str = "An Ordinary Book",
    descriptive: str | None = None,
    collateral: str | None = None,
    publishing: str | None = None,
    supply: str | None = None,
) -> str:
    """One <Product>. A block given as "" is left out."""
    if identifiers is None:
        identifiers = (
            "<ProductIdentifier><ProductIDType>15</ProductIDType>"
            f"<IDValue>{isbn13 or isbn(1)}</IDValue></ProductIdentifier>"
        )
    blocks = [
        DESCRIPTIVE.format(title=title) if descriptive is None else descriptive,
        COLLATERAL if collateral is None else collateral,
        PUBLISHING if publishing is None else publishing,
        SUPPLY if supply is None else supply,
    ]
    return (
        f"<Product><RecordReference>{ref}</RecordReference>"
        f"<NotificationType>{notification}</NotificationType>{identifiers}"
        + "\n".join(blocks)
        + "</Product>\n"
    )


def message(*products: str, header: str = "", namespace: str = ONIX_NAMESPACE) -> bytes:
    """An ONIX 3.0 message (UTF-8 bytes) holding `products`."""
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ONIXMessage{xmlns} release="3.0">\n'
        f"<Header><Sender><SenderName>Fixtures</SenderName></Sender>"
        f"<SentDateTime>20250101</SentDateTime>{header}</Header>\n"
        + "".join(products)
        + "</ONIXMessage>\n"
    ).encode()


# bad_record_in_middle.xml: three good products around three bad ones, and the problems
# (record reference, field, reason) an import reports for the bad ones, in feed order.
BAD_RECORD_TITLES = ["First Good Book", "Second Good Book", "Third Good Book"]
BAD_RECORD_PROBLEMS = [
    ("fixture.bad-check-digit", "ProductIdentifier", "9781920000012: ISBN check digit is wrong."),
    (
        "fixture.bad-date",
        "PublishingDate",
        "'20201345' is not a real date (month must be in 1..12)",
    ),
    (
        "fixture.no-isbn",
        "ProductIdentifier",
        "no ISBN-13 (ProductIDType 15, or 03 starting 978/979)",
    ),
]


def fixture(name: str) -> Path:
    return FIXTURES / name
