"""Country codes: ISO 3166-1 alpha-2 codes checked, and the right code found from a name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pycountry

_TWO_CAPITALS = re.compile(r"^[A-Z]{2}$")


def is_country_code(text: str) -> bool:
    """Whether a text is an assigned ISO 3166-1 alpha-2 code, written in capitals."""
    return bool(_TWO_CAPITALS.match(text)) and _countries().get(alpha_2=text) is not None


def country_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with a `country` value and a hint naming the right code; None if right."""
    if is_country_code(text):
        return None
    if _TWO_CAPITALS.match(text):
        problem = f"`{text}` is not an ISO 3166 country code"
    elif is_country_code(text.upper()):
        problem = f"`{text}` is a country code in small letters"
    else:
        problem = f"`{text}` is not a two-letter country code"
    found = suggest_country(text)
    hint = (f"write `{found.alpha_2}` ({shown_name(found)})" if found
            else "write the country's two-letter ISO 3166-1 code")
    return problem, hint


def suggest_country(text: str) -> pycountry.db.Country | None:
    """The one country a text names: a code in any case, a name, or an unambiguous near match."""
    try:
        return _countries().lookup(text)
    except LookupError:
        pass
    try:
        found = _countries().search_fuzzy(text)
    except LookupError:
        return None
    by_initials = [c for c in found if text.upper() in _initials(c)]
    if len(by_initials) == 1:
        return by_initials[0]
    return found[0] if len(found) == 1 and len(text) > 2 else None


def shown_name(country: pycountry.db.Country) -> str:
    """The name a reader knows a country by (`South Korea`, not `Korea, Republic of`)."""
    return getattr(country, "common_name", None) or country.name


def _initials(country: pycountry.db.Country) -> set[str]:
    """The initials of a country's names: `UK` for the United Kingdom, `UAE`."""
    names = (getattr(country, field, None) for field in ("name", "official_name", "common_name"))
    return {"".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper())
            for name in names if name}


def _countries() -> pycountry.ExistingCountries:
    """ISO 3166 countries, loaded by the first build that reads a `country`."""
    import pycountry
    return pycountry.countries
