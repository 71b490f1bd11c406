"""Which Australian state or territory a postcode belongs to: the one copy of Australia
Post's postcode ranges, street and PO box numbers alike.

A few postcodes straddle a border in real life (a town served from across it); the ranges
here follow Australia Post's allocation, so such a postcode belongs to the state whose range
holds it, as it does on Australia Post's own lists."""

# State code (as localflavor's STATE_CHOICES spells it) -> inclusive ranges of postcodes.
_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "ACT": ((200, 299), (2600, 2618), (2900, 2920)),
    "NSW": ((1000, 1999), (2000, 2599), (2619, 2899), (2921, 2999)),
    "NT": ((800, 999),),
    "QLD": ((4000, 4999), (9000, 9999)),
    "SA": ((5000, 5999),),
    "TAS": ((7000, 7999),),
    "VIC": ((3000, 3999), (8000, 8999)),
    "WA": ((6000, 6797), (6800, 6999)),
}


def state_of(postcode: str) -> str | None:
    """The state or territory whose range holds `postcode` (four digits), or None."""
    if len(postcode) != 4 or not postcode.isascii() or not postcode.isdigit():
        return None
    number = int(postcode)
    for state, ranges in _RANGES.items():
        if any(low <= number <= high for low, high in ranges):
            return state
    return None


def belongs_to(postcode: str, state: str) -> bool:
    return state_of(postcode) == state
