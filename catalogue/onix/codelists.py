"""ONIX code lists the shop reads: reference and short tag names, contributor roles,
price types, availability and audience codes, and the top-level BISAC, Thema and BIC
headings a main subject is named by. Data only."""

from __future__ import annotations

from decimal import Decimal

from catalogue.models import Contribution

# --- Tag names ------------------------------------------------------------------------

# Every element the reader looks at, by reference name. A short-tag file uses the name in
# lower case for composites (<productidentifier>) and a code for data elements (<b221>).
_REFERENCE_WORDS = (
    "ONIXMessage Header Product RecordReference NotificationType ProductIdentifier "
    "ProductIDType IDValue DescriptiveDetail CollateralDetail PublishingDetail "
    "ProductSupply ProductForm Collection TitleDetail TitleType TitleElement "
    "TitleElementLevel TitleText TitlePrefix TitleWithoutPrefix Subtitle Contributor "
    "SequenceNumber ContributorRole PersonName PersonNameInverted NamesBeforeKey "
    "PrefixToKey KeyNames SuffixToKey CorporateName BiographicalNote Extent ExtentType "
    "ExtentValue ExtentUnit Subject MainSubject SubjectSchemeIdentifier SubjectCode "
    "SubjectHeadingText TextContent TextType ContentAudience Text TextAuthor "
    "TextSourceCorporate SourceTitle Imprint ImprintName Publisher PublishingRole "
    "PublisherName PublishingDate PublishingDateRole Date DateFormat Market Territory "
    "CountriesIncluded RegionsIncluded CountriesExcluded RegionsExcluded SupplyDetail "
    "ProductAvailability Stock OnHand UnpricedItemType Price PriceType PriceQualifier "
    "PriceAmount CurrencyCode PriceDate PriceDateRole DefaultCurrencyCode DefaultPriceType"
)
REFERENCE_NAMES = tuple(_REFERENCE_WORDS.split())

SHORT_TAGS = {
    "ONIXmessage": "ONIXMessage",
    "a001": "RecordReference",
    "a002": "NotificationType",
    "b221": "ProductIDType",
    "b244": "IDValue",
    "b012": "ProductForm",
    "b202": "TitleType",
    "x409": "TitleElementLevel",
    "b203": "TitleText",
    "b030": "TitlePrefix",
    "b031": "TitleWithoutPrefix",
    "b029": "Subtitle",
    "b034": "SequenceNumber",
    "b035": "ContributorRole",
    "b036": "PersonName",
    "b037": "PersonNameInverted",
    "b039": "NamesBeforeKey",
    "b247": "PrefixToKey",
    "b040": "KeyNames",
    "b248": "SuffixToKey",
    "b047": "CorporateName",
    "b044": "BiographicalNote",
    "b218": "ExtentType",
    "b219": "ExtentValue",
    "b220": "ExtentUnit",
    "x425": "MainSubject",
    "b067": "SubjectSchemeIdentifier",
    "b069": "SubjectCode",
    "b070": "SubjectHeadingText",
    "x426": "TextType",
    "x427": "ContentAudience",
    "d104": "Text",
    "d107": "TextAuthor",
    "b374": "TextSourceCorporate",
    "x428": "SourceTitle",
    "b079": "ImprintName",
    "b291": "PublishingRole",
    "b081": "PublisherName",
    "x448": "PublishingDateRole",
    "b306": "Date",
    "j260": "DateFormat",
    "x449": "CountriesIncluded",
    "x450": "RegionsIncluded",
    "x451": "CountriesExcluded",
    "x452": "RegionsExcluded",
    "j396": "ProductAvailability",
    "j350": "OnHand",
    "j192": "UnpricedItemType",
    "x462": "PriceType",
    "j261": "PriceQualifier",
    "j151": "PriceAmount",
    "j152": "CurrencyCode",
    "x476": "PriceDateRole",
    "m186": "DefaultCurrencyCode",
    "x310": "DefaultPriceType",
}


ROLES = {
    "A01": Contribution.Role.AUTHOR,
    "B06": Contribution.Role.TRANSLATOR,
    "A24": Contribution.Role.INTRODUCTION,
    "A23": Contribution.Role.FOREWORD,
    "B01": Contribution.Role.EDITOR,
    "A12": Contribution.Role.ILLUSTRATOR,
}

INCLUDING_TAX_PRICE_TYPES = ("02", "04", "42", "34", "22", "24")
EXCLUDING_TAX_PRICE_TYPES = ("01", "03", "41", "33", "21", "23")
PRICE_TYPE_ORDER = INCLUDING_TAX_PRICE_TYPES + EXCLUDING_TAX_PRICE_TYPES
CONSUMER_QUALIFIERS = ("", "00", "05")
GST_RATE = Decimal("0.10")
CENT = Decimal("0.01")
MAX_RRP = Decimal("99999999.99")  # Book.rrp: 10 digits, 2 after the point

EXTENT_TYPE_ORDER = ("00", "11", "05", "07", "08", "10")
PAGES_UNIT = "03"
UNAVAILABLE = {"01"} | {str(code) for code in range(30, 53)}
CUSTOMER_AUDIENCES = {"00", "03"}

# Top-level headings for main subjects sent only as a code.
BISAC_HEADINGS = {
    "ANT": "Antiques & Collectibles", "ARC": "Architecture", "ART": "Art", "BIB": "Bibles",
    "BIO": "Biography", "BUS": "Business & Economics", "CGN": "Comics & Graphic Novels",
    "CKB": "Cooking", "COM": "Computing", "CRA": "Crafts & Hobbies", "DES": "Design",
    "DRA": "Drama", "EDU": "Education", "FAM": "Family & Relationships", "FIC": "Fiction",
    "FOR": "Languages", "GAM": "Games & Activities", "GAR": "Gardening",
    "HEA": "Health & Fitness", "HIS": "History", "HOM": "House & Home", "HUM": "Humour",
    "JUV": "Children's Fiction", "JNF": "Children's Nonfiction", "LAN": "Language",
    "LAW": "Law", "LCO": "Literary Collections", "LIT": "Literary Criticism",
    "MAT": "Mathematics", "MED": "Medicine", "MUS": "Music", "NAT": "Nature",
    "OCC": "Mind, Body & Spirit", "PER": "Performing Arts", "PET": "Pets",
    "PHI": "Philosophy", "PHO": "Photography", "POE": "Poetry", "POL": "Politics",
    "PSY": "Psychology", "REF": "Reference", "REL": "Religion", "SCI": "Science",
    "SEL": "Self-Help", "SOC": "Social Science", "SPO": "Sport", "STU": "Study Aids",
    "TEC": "Technology & Engineering", "TRA": "Transport", "TRV": "Travel",
    "TRU": "True Crime", "YAF": "Young Adult Fiction", "YAN": "Young Adult Nonfiction",
}  # fmt: skip
THEMA_HEADINGS = {
    "A": "The Arts", "C": "Language", "D": "Literature", "DC": "Poetry", "DN": "Biography",
    "F": "Fiction", "G": "Reference", "J": "Society & Social Sciences",
    "K": "Business & Economics", "L": "Law", "M": "Medicine", "N": "History",
    "P": "Science", "Q": "Philosophy & Religion", "R": "Earth Sciences & Environment",
    "S": "Sport", "T": "Technology & Engineering", "U": "Computing",
    "V": "Health & Personal Development", "W": "Lifestyle & Leisure",
    "X": "Comics & Graphic Novels", "Y": "Children's & Young Adult",
}  # fmt: skip
BIC_HEADINGS = {
    "A": "The Arts", "B": "Biography", "C": "Language", "D": "Literature", "DC": "Poetry",
    "F": "Fiction", "G": "Reference", "H": "Humanities", "HB": "History",
    "HP": "Philosophy", "HR": "Religion", "J": "Society & Social Sciences",
    "JP": "Politics", "K": "Business & Economics", "L": "Law", "M": "Medicine",
    "P": "Science", "R": "Earth Sciences & Environment", "T": "Technology & Engineering",
    "U": "Computing", "V": "Health & Personal Development", "W": "Lifestyle & Leisure",
    "Y": "Children's & Young Adult",
}  # fmt: skip
