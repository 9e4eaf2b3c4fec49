#!/usr/bin/env python3
"""Synthetic diplomatic statements in the seed text format, for benchmarks.

    python benchmarks/generate.py --count 10000 --seed 7 --out /tmp/corpus

writes ``--count`` files ``{yyyy-mm-dd}-{slug}-{n}.txt`` and a ``manifest.json`` into ``--out``.
The output depends only on ``--count``, ``--seed`` and the authority file (``data/authorities``):
the same arguments give byte-identical files. All randomness comes from one ``random.Random(seed)``.

What the statements draw from the authority file, so that they link when built:

- speakers: the Secretary of State of the chosen date from ``tenures.csv`` (Clinton, Kerry,
  Tillerson, Pompeo, Blinken, Rubio), the Deputy Secretary, and the Department spokespeople of
  that date (their dates, which ``tenures.csv`` does not list, are approximate and used only here);
- countries (name, "the" where English needs it, demonyms), people, organisations, regions and
  dateline places from ``countries.csv``, ``entities.csv``, ``regions.csv`` and ``places.csv``.

Each statement is one of: Press Statement, Media Note, Readout ("The below is attributable to
Spokesperson X:"), Remarks (with transcript labels, sometimes without a byline), Joint Statement,
or a statement without a kind line; its date is written "January 23, 2019", "Jan. 23, 2019" or
"23 January 2019" (a few give it only in a "Published …" footer). Bodies have 2–6 paragraphs of
filler built from templates, recognition sentences (recognizes / does not recognize / continue to
recognize / no longer recognizes / "is an integral part of" / a sovereign, independent Kosovo),
distractors ("We recognize the importance of …", "internationally recognized borders"), and site
noise (italic footers, "# # #", "Published …", "Tags: …", trailing double spaces, CRLF, a BOM).

The manifest records, per file, what the generator meant: kind, ISO date, place, speaker, office
and recognition acts — a sanity check for the extractor, not a gold standard.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GENERATOR_VERSION", "Pools", "generate", "load_pools", "main"]

GENERATOR_VERSION = 2
ROOT = Path(__file__).resolve().parent.parent
AUTHORITIES = ROOT / "data" / "authorities"
FIRST_DAY = dt.date(2009, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

#: Department spokespeople and their (approximate) dates; tenures.csv does not list them.
SPOKESPEOPLE: tuple[tuple[str, str, str, str], ...] = (
    ("victoria-nuland", "Department Spokesperson", "2011-05-16", "2013-04-30"),
    ("jen-psaki", "Department Spokesperson", "2013-05-01", "2015-03-31"),
    ("john-kirby", "Department Spokesperson", "2015-05-11", "2017-01-20"),
    ("heather-nauert", "Department Spokesperson", "2017-04-24", "2019-02-28"),
    ("morgan-ortagus", "Department Spokesperson", "2019-04-01", "2020-11-30"),
    ("ned-price", "Department Spokesperson", "2021-01-20", "2023-03-31"),
    ("matthew-miller", "Department Spokesperson", "2023-05-01", "2025-01-20"),
    ("tammy-bruce", "Department Spokesperson", "2025-01-24", "2025-08-31"),
    ("robert-palladino", "Deputy Spokesperson", "2018-01-02", "2019-08-31"),
)
#: offices of the State Department whose holders issue statements (tenures.csv ids → header line)
STATE_OFFICES = {
    "united-states-secretary-of-state": "Secretary of State",
    "united-states-deputy-secretary-of-state": "Deputy Secretary of State",
}
#: countries statements are most often about (ISO → weight); every other sovereign state weighs 0.5
FOCUS = {"VE": 10, "UA": 7, "RU": 6, "CN": 5, "LY": 5, "MM": 5, "IQ": 5, "AF": 5, "SY": 4, "IR": 4,
         "BY": 4, "CO": 4, "BO": 3, "KP": 3, "YE": 3, "GY": 2, "TN": 2, "JP": 2, "GB": 2, "IE": 2,
         "MX": 2, "BR": 2, "GE": 2, "MD": 2, "SO": 2, "CY": 1, "AZ": 1, "SA": 2, "DE": 2, "FR": 2}
#: neighbours and partners, for second countries that make sense together
PARTNERS = {"VE": ["CO", "BR", "GY", "PE", "EC"], "UA": ["PL", "MD", "RO", "DE", "FR"],
            "RU": ["UA", "GE", "BY", "MD"], "CN": ["JP", "KR", "PH", "VN", "AU"], "LY": ["TN", "EG", "IT", "DZ"],
            "MM": ["BD", "TH", "IN"], "IQ": ["JO", "SY", "IR", "KW"], "AF": ["PK", "QA", "UZ", "TJ"],
            "SY": ["TR", "JO", "LB", "IQ"], "IR": ["IQ", "OM", "QA", "SA"], "BY": ["LT", "PL", "UA", "LV"],
            "CO": ["VE", "EC", "PE", "PA"], "BO": ["PE", "BR", "AR", "CL"], "KP": ["KR", "JP", "CN"],
            "YE": ["SA", "OM", "AE"]}
#: organisations used in filler text (entities.csv ids; a missing id is skipped)
FILLER_ORGS = ("united-nations", "un-security-council", "united-nations-general-assembly", "european-union",
               "nato", "organization-of-american-states", "global-initiative-to-combat-nuclear-terrorism")
FILLER_AGENCIES = ("united-states-agency-for-international-development", "us-department-of-the-treasury",
                   "us-department-of-defense")
#: legislatures a statement may "continue to recognize": id → (ISO, first day such a sentence fits)
LEGISLATURES = {"national-assembly-of-venezuela": ("VE", "2019-01-05"),
                "council-of-representatives-of-iraq": ("IQ", "2009-01-01"),
                "assembly-of-the-union-myanmar": ("MM", "2021-02-01")}
#: people recognized in some capacity: id → (capacity, first day, last day) when such a sentence fits
RECOGNIZED = {"juan-guaido": ("interim President", "2019-01-23", "2022-12-30"),
              "jeanine-anez": ("interim President", "2019-11-12", "2020-11-08"),
              "ashraf-ghani": ("President", "2014-09-29", "2021-08-15"),
              "win-myint": ("President", "2018-03-30", "2025-12-31"),
              "aung-san-suu-kyi": ("State Counsellor", "2016-04-06", "2025-12-31"),
              "fayez-al-sarraj": ("Prime Minister", "2016-03-30", "2021-03-15"),
              "volodymyr-zelenskyy": ("President", "2019-05-20", "2025-12-31"),
              "juan-manuel-santos": ("President", "2010-08-07", "2018-08-07")}
#: people whose rule statements call illegitimate: id → (first day, last day)
REGIMES = {"nicolas-maduro": ("2019-01-10", "2025-12-31"), "alexander-lukashenko": ("2020-08-09", "2025-12-31"),
           "bashar-al-assad": ("2011-08-18", "2024-12-08"), "min-aung-hlaing": ("2021-02-01", "2025-12-31")}
#: bodies whose reported decisions not to recognize someone a statement welcomes: id → first day
REPORTING_BODIES = {"lima-group": "2019-01-04", "organization-of-american-states": "2019-01-10",
                    "european-union": "2019-01-10"}
#: regions a statement may call "an integral part of" their state: ISO → first day
PART_OF_COUNTRIES = {"UA": "2014-03-01", "GE": "2009-01-01", "MD": "2009-01-01", "AZ": "2009-01-01",
                     "CY": "2009-01-01", "SO": "2009-01-01"}
NOT_IN_FILLER = {"akie-abe", "teresa-heinz-kerry", "tricia-schmitt", "douglas-pitkin", "stlnews"}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")

TOPICS = ("regional security", "humanitarian assistance", "economic cooperation", "counterterrorism cooperation",
          "energy security", "maritime security", "global health security", "the climate crisis",
          "human rights", "democratic governance", "trade and investment", "refugee protection",
          "nuclear nonproliferation", "food security", "anti-corruption efforts", "cybersecurity",
          "educational exchanges", "disaster relief", "the rule of law", "religious freedom",
          "media freedom", "migration management", "critical minerals", "civil aviation safety",
          "landmine clearance", "wildlife trafficking", "pandemic preparedness", "judicial reform")
GOALS = ("build a more prosperous future", "restore democratic institutions", "rebuild their communities",
         "recover from the recent floods", "hold free and fair elections", "strengthen their institutions",
         "overcome the economic crisis", "protect the most vulnerable", "secure a lasting peace")
ACTIONS = ("exercise restraint", "respect human rights and fundamental freedoms", "release all political prisoners",
           "allow unhindered humanitarian access", "return to the negotiating table", "end the violence",
           "protect civilians", "hold those responsible to account", "uphold their commitments",
           "engage in good faith", "lift the restrictions on civil society", "refrain from provocative actions")
EVENTS = ("the United Nations General Assembly", "the G20 Summit", "the NATO Ministerial", "the OAS General Assembly",
          "the Munich Security Conference", "the Summit of the Americas", "the Ministerial to Advance Religious Freedom",
          "the Global Coalition meeting", "the Our Ocean Conference", "the Conference on Disarmament")
QUALITIES = ("leadership", "generosity", "commitment", "partnership", "resolve", "cooperation", "hospitality")
ADJ = ("deeply concerned by", "troubled by", "encouraged by", "alarmed by", "closely following")
DEVELOPMENTS = ("the recent reports of violence", "the latest developments", "the outcome of the talks",
                "the detention of journalists", "the announcement", "the escalation of hostilities",
                "the worsening humanitarian situation", "the progress made")
PROGRAMS = ("a new exchange program", "additional humanitarian assistance", "an expanded partnership",
            "a strategic dialogue", "a joint working group", "new sanctions designations", "a grant program",
            "a technical assistance initiative")
AMOUNTS = ("$5 million", "$12.5 million", "$20 million", "$36 million", "$48 million", "$75 million",
           "$110 million", "more than $200 million")
FOOTERS = (
    ("*This page is maintained by the Bureau of Global Public Affairs. Links to external websites are "
    "provided for convenience and do not constitute an endorsement.*"),
    "*Content on this page is produced for the public record and may be reproduced without permission.*",
    "*Synthetic statement generated for the Communiqué benchmarks.*",
    "*Follow the Office of the Spokesperson on social media for the latest updates.*",
)

FILLER = (
    "The United States remains committed to supporting the {dem_people} as they {goal}.",
    "We call on all parties to {action} and to {action2}.",
    "{Org} plays a vital role in {topic}, and we will continue to work closely with its members.",
    "We commend {the_c} for its {quality} in advancing {topic}.",
    "The United States is {adj} {development} in {the_c}.",
    "Our partnership with {the_c} is grounded in shared interests in {topic} and {topic2}.",
    "Since {year}, the United States has provided {amount} to support {topic} in {the_c}.",
    "We will continue to consult closely with {the_c2} and other partners in the region.",
    "This assistance will help communities in {the_c} address urgent needs in {topic}.",
    "We look forward to welcoming a delegation from {the_c} to Washington later this year.",
    "The United States and {the_c} will launch {program} focused on {topic}.",
    "We urge the authorities in {the_c} to {action}.",
    "{Person} and U.S. officials discussed {topic} on the margins of {event}.",
    "The United States stands with the {dem_people} in their pursuit of {topic}.",
    "We thank {the_c2} for its {quality} in hosting the talks.",
    "These efforts complement the work of {org} on {topic}.",
    "The United States will announce further steps on {topic} in the coming weeks.",
    "We encourage all members of {org} to support {topic} in {the_c}.",
    "{Agency} will provide technical support for {topic} in {the_c}.",
    "Today's announcement builds on years of cooperation between our two countries on {topic}.",
    "The Department of State will continue to monitor the situation closely.",
    "We are grateful to the staff of our embassy in {city} for their dedication.",
    "The United States reiterates its support for {topic} and {topic2} across the region.",
    "Further details will be announced as they become available.",
    "We remain ready to work with {the_c} and {the_c2} to {goal2}.",
    "{Dem} and American experts will meet in {city} to review progress on {topic}.",
    "The United States welcomes the steps taken by {the_c} to improve {topic}.",
    "We note with concern {development} along the border between {the_c} and {the_c2}.",
    "Our support reflects the enduring friendship between the American and {dem} people.",
)
DISTRACTORS = (
    ("We recognize the importance of {topic} for the people of {the_c}.", 0),
    ("We call on all countries to respect the internationally recognized borders of {the_c}.", 0),
    (("The United States respects the sovereignty and territorial integrity of {the_c} within its "
     "internationally recognized borders."), 0),
    ("We recognize the importance of close coordination with {the_c2} on {topic}.", 0),
    ("We have long recognized {the_c2}'s generosity toward those who have fled the crisis.", 0),
    ("The United States recognizes the contributions of {dem} civil society to {topic}.", 0),
)


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    demonyms: tuple[str, ...]
    contested: bool

    def the(self, capital: bool = False) -> str:
        """The name as a sentence uses it ("the Netherlands", "Venezuela")."""
        if _needs_article(self.name):
            return ("The " if capital else "the ") + self.name
        return self.name

    @property
    def dem(self) -> str | None:
        return self.demonyms[0] if self.demonyms else None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    country: str | None
    surname: str | None  #: a one-word alias the authority file lists ("Maduro")
    upper: str | None  #: a transcript label the authority file lists ("SECRETARY POMPEO")
    title_form: str | None  #: "Secretary Pompeo"


@dataclass
class Pools:
    """Everything the generator draws from, read once from the authority file."""

    countries: dict[str, Country]
    weighted: list[str]  #: ISO codes, for choosing a main country
    weights: list[float]
    people: dict[str, Person]
    foreign: list[Person]  #: people of other governments and of international posts
    orgs: list[str]  #: names of international organisations for filler
    agencies: list[str]  #: names of U.S. agencies for filler
    org_by_id: dict[str, str]  #: how a text names an organisation
    org_names: dict[str, str]  #: its preferred label in the authority file
    places: list[str]  #: dateline places other than Washington
    regions: list[tuple[str, str]]  #: (region name, ISO of its state)
    tenures: list[tuple[str, str, dt.date, dt.date]]  #: (person id, office header line, start, end)
    near: dict[str, tuple[list[Person], list[Person]]] = field(default_factory=dict)  #: cache of person_of


def _needs_article(name: str) -> bool:
    return (name.startswith("United ") or "Republic" in name or name.endswith("Islands")
            or name in {"Netherlands", "Philippines", "Bahamas", "Gambia", "Maldives", "Comoros"})


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (cell or "").split(";") if a.strip())


def _rows(name: str, directory: Path) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def load_pools(directory: Path = AUTHORITIES) -> Pools:
    """Read the authority file into the generator's pools (sorted, so the order never varies)."""
    countries: dict[str, Country] = {}
    for r in _rows("countries.csv", directory):
        if r["sovereign"].lower() != "yes":
            continue
        countries[r["iso2"]] = Country(r["iso2"], r["name"], _split(r["demonyms"]), r["statehood"] == "contested")
    weighted = sorted(c for c in countries if c != "US" and not countries[c].contested and c != "VA")
    weights = [float(FOCUS.get(c, 0.5)) for c in weighted]
    people: dict[str, Person] = {}
    orgs: dict[str, str] = {}
    org_names: dict[str, str] = {}
    for r in _rows("entities.csv", directory):
        aliases = _split(r["aliases"])
        if r["type"] == "person":
            one_word = [a for a in aliases if " " not in a and len(a) > 3 and not a.isupper() and a[0].isupper()]
            upper = [a for a in aliases if a.isupper() and a.startswith("SECRETARY ")]
            titled = [a for a in aliases if a.startswith(("Secretary ", "Deputy Secretary ")) and not a.isupper()]
            people[r["id"]] = Person(r["id"], r["name"], r["country"] or None, one_word[0] if one_word else None,
                                     upper[0] if upper else None, titled[0] if titled else None)
        elif r["type"] == "organization":
            plain = [a for a in aliases if "(" not in a]
            if "(" not in r["name"]:
                orgs[r["id"]] = r["name"]
            elif plain:  # "Assembly of the Union (Myanmar)" is written "Assembly of the Union of Myanmar"
                orgs[r["id"]] = max(plain, key=len)
            org_names[r["id"]] = r["name"]
    foreign = [p for p in people.values() if p.id not in NOT_IN_FILLER and p.country != "US"
               and (p.country is None or p.country in countries)]
    places = sorted({r["name"] for r in _rows("places.csv", directory)
                     if r["country"] != "US" and r["name"] not in {c.name for c in countries.values()}
                     and r["country"] in countries})
    regions = [(r["name"], r["country"]) for r in _rows("regions.csv", directory) if r["country"] in PART_OF_COUNTRIES]
    tenures: list[tuple[str, str, dt.date, dt.date]] = []
    for r in _rows("tenures.csv", directory):
        if r["office"] in STATE_OFFICES and r["person"] in people:
            tenures.append((r["person"], STATE_OFFICES[r["office"]], _day(r["start"]),
                            _day(r["end"]) if r["end"] else LAST_DAY))
    for pid, office, start, end in SPOKESPEOPLE:
        if pid in people:
            tenures.append((pid, office, _day(start), _day(end)))
    return Pools(countries, weighted, weights, people, foreign,
                 [orgs[i] for i in FILLER_ORGS if i in orgs], [orgs[i] for i in FILLER_AGENCIES if i in orgs], orgs, org_names, places, regions, tenures)


# -- one statement ------------------------------------------------------------------------------

def _slug(text: str, limit: int = 60) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    ascii_text = re.sub(r"[.'\u2019]", "", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "statement"


def written_date(day: dt.date, form: int) -> str:
    """The three ways statements write a date: 0 "January 23, 2019", 1 "Jan. 23, 2019", 2 "23 January 2019"."""
    if form == 0:
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    if form == 1:
        return f"{AP_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class _Writer:
    """Builds one statement; ``rng`` is the generator's only source of randomness."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng, self.p = rng, pools

    # -- choices ---------------------------------------------------------------------------
    def country(self) -> Country:
        iso = self.rng.choices(self.p.weighted, self.p.weights)[0]
        return self.p.countries[iso]

    def partner(self, c: Country) -> Country:
        options = [i for i in PARTNERS.get(c.iso2, ()) if i in self.p.countries]
        if options and self.rng.random() < 0.7:
            return self.p.countries[self.rng.choice(options)]
        while True:
            other = self.country()
            if other.iso2 != c.iso2:
                return other

    def person_of(self, c: Country) -> Person:
        """Someone a statement about ``c`` would name: of ``c``, of a partner, or an international official."""
        cache = self.p.near
        if c.iso2 not in cache:
            partners = set(PARTNERS.get(c.iso2, ()))
            cache[c.iso2] = ([p for p in self.p.foreign if p.country == c.iso2],
                             [p for p in self.p.foreign if p.country in partners or p.country is None])
        own, near = cache[c.iso2]
        return self.rng.choice(own if own and self.rng.random() >= 0.3 else near)

    def holders(self, day: dt.date) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = {}
        for pid, office, start, end in self.p.tenures:
            if start <= day <= end:
                out.setdefault(office, []).append(self.p.people[pid])
        return out

    def slots(self, c: Country, c2: Country, year: int) -> _Slots:
        """The values a template's fields take, drawn when the template asks for them."""
        return _Slots(self, c, c2, year)

    def filler(self, c: Country, c2: Country, year: int) -> str:
        return self.rng.choice(FILLER).format_map(self.slots(c, c2, year))

    # -- recognition acts --------------------------------------------------------------------
    def act(self, c: Country, day: dt.date) -> tuple[str, dict[str, object]] | None:
        """One sentence that states a recognition act fitting ``day``, and the act the generator
        means by it (None when no template fits the date)."""
        r, p, iso = self.rng, self.p, day.isoformat()
        people = {i: v for i, v in RECOGNIZED.items() if i in p.people and v[1] <= iso <= v[2]}
        regimes = [i for i, (a, b) in REGIMES.items() if i in p.people and a <= iso <= b]
        legislatures = [i for i, (_, a) in LEGISLATURES.items() if i in p.org_by_id and a <= iso]
        regions = [(n, x) for n, x in p.regions if PART_OF_COUNTRIES[x] <= iso and not
                   (n.startswith(("Kherson", "Zaporizhzhia")) and iso < "2022-09-30")]
        bodies = [i for i, a in REPORTING_BODIES.items() if i in p.org_by_id and a <= iso]
        options = {"recognize": 30 * bool(people), "regime": 18 * bool(regimes),
                   "continue": 16 * bool(people or legislatures), "part_of": 12 * bool(regions),
                   "withdrawn": 5 * bool(regimes), "kosovo": 6 * ("XK" in p.countries),
                   "reported": 10 * bool(bodies and regimes)}
        if not any(options.values()):
            return None
        kind = r.choices(list(options), list(options.values()))[0]
        if kind in ("recognize", "continue") and people and (kind == "recognize" or r.random() < 0.5
                                                             or not legislatures):
            own = [i for i in people if p.people[i].country == c.iso2]
            pid = r.choice(own) if own and r.random() < 0.7 else r.choice(sorted(people))
            person, capacity = p.people[pid], people[pid][0]
            country = p.countries[person.country]
            if kind == "continue":
                return (f"We continue to recognize {person.name} as the {capacity} of {country.the()}.",
                        _act("reaffirmed", person.name, country.name, capacity))
            verb = r.choice(("The United States recognizes", "The United States recognizes",
                             "Today, the United States officially recognizes"))
            return (f"{verb} {person.name} as the {capacity} of {country.the()}.",
                    _act("recognized", person.name, country.name, capacity))
        if kind == "continue":
            org_id = r.choice(legislatures)
            name, country = p.org_by_id[org_id], p.countries[LEGISLATURES[org_id][0]]
            return (f"We continue to recognize the {name} as the only legitimate institution of {country.the()}.",
                    _act("reaffirmed", p.org_names[org_id], country.name, "only legitimate institution"))
        if kind in ("regime", "withdrawn", "reported"):
            own = [i for i in regimes if p.people[i].country == c.iso2]
            person = p.people[r.choice(own) if own and r.random() < 0.7 else r.choice(regimes)]
            country = p.countries[person.country]
            if kind == "withdrawn":
                return (f"The United States no longer recognizes {person.name} as the President of {country.the()}.",
                        _act("withdrawn", person.name, country.name, "President"))
            if kind == "reported":
                name = p.org_by_id[r.choice(bodies)]
                return ((f"We welcome the decision of the {name} to declare that it will not recognize the "
                        f"legitimacy of the new term of {person.name}."),
                        {**_act("not_recognized", person.name, country.name, None), "reported": True, "by": name})
            forms = ["The United States does not recognize the illegitimate regime of {n} in {c}.",
                     "The United States will not recognize the illegitimate regime of {n}."]
            if person.surname:
                forms += ["The United States does not recognize the illegitimate {s} regime's claim to power in {c}.",
                          "The United States will not recognize the illegitimate {s} regime in {c}."]
            text = r.choice(forms).format(n=person.name, s=person.surname, c=country.the())
            return text, _act("not_recognized", person.name, country.name, None)
        if kind == "part_of":
            region, iso2 = r.choice(regions)
            country = p.countries[iso2]
            lead = "The " if region.endswith(("region", "Strip", "Heights", "Bank")) else ""
            verb = r.choice(("is an integral part of", "is part of", "remains part of"))
            return (f"{lead}{region} {verb} {country.the()}.",
                    _act("not_recognized", region, country.name, f"state separate from {country.name}"))
        return (("The United States continues to support a sovereign, independent Kosovo and its "
                "integration into Euro-Atlantic institutions."),
                _act("recognized", "Kosovo", "Kosovo", "sovereign, independent state"))


class _Slots(dict):  # type: ignore[type-arg]
    """Template fields, each drawn on first use (so a template costs only the draws it needs)."""

    def __init__(self, w: _Writer, c: Country, c2: Country, year: int) -> None:
        super().__init__()
        self.w, self.c, self.c2, self.year = w, c, c2, year

    def __missing__(self, key: str) -> str:
        r, c, p = self.w.rng, self.c, self.w.p
        if key in ("the_c", "The_c", "the_c2", "c"):
            value = {"the_c": c.the(), "The_c": c.the(True), "the_c2": self.c2.the(), "c": c.name}[key]
        elif key == "dem_people":
            value = f"{c.dem} people" if c.dem else f"people of {c.the()}"
        elif key in ("dem", "Dem"):
            value = c.dem or c.name
        elif key in ("org", "Org"):
            value = _org_the(r.choice(p.orgs), key == "Org")
        elif key == "Agency":
            value = _org_the(r.choice(p.agencies), True) if p.agencies else "The Department of State"
        elif key in ("person", "Person"):
            value = self.w.person_of(c).name
        elif key in ("topic", "topic2"):
            value = r.choice([t for t in TOPICS if t not in self.values()])
        elif key in ("action", "action2"):
            value = r.choice([a for a in ACTIONS if a not in self.values()])
        elif key == "year":
            value = str(r.randint(max(2000, self.year - 12), self.year - 1))
        else:
            pool = {"goal": GOALS, "goal2": GOALS, "quality": QUALITIES, "adj": ADJ, "development": DEVELOPMENTS,
                    "program": PROGRAMS, "amount": AMOUNTS, "event": EVENTS, "city": p.places}[key]
            value = r.choice(pool)
        self[key] = value
        return value


def _act(stance: str, recognized: str, of_country: str | None, as_: str | None) -> dict[str, object]:
    return {"stance": stance, "recognized": recognized, "of_country": of_country, "as": as_}


def _org_the(name: str, capital: bool = False) -> str:
    """An organisation's name as a sentence uses it ("the European Union", "NATO")."""
    if name.isupper() or name in ("USAID",):
        return name
    return ("The " if capital else "the ") + name


KINDS = ("Press Statement", "Media Note", "Readout", "Remarks", "Joint Statement", None)
KIND_WEIGHTS = (34, 12, 16, 14, 8, 16)


def statement(rng: random.Random, pools: Pools, n: int,
              taken: set[tuple[dt.date, str]] | None = None) -> tuple[str, str, dict[str, object]]:
    """One statement: (file name, text, manifest entry); its title differs from those of ``taken``
    (date, title slug) pairs, so that no two statements share an IRI."""
    w = _Writer(rng, pools)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    holders = w.holders(day)
    secretary = (holders.get("Secretary of State") or [None])[0]
    spokes = holders.get("Department Spokesperson", []) + holders.get("Deputy Spokesperson", [])
    kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
    if kind == "Readout" and not (spokes and secretary):
        kind = "Media Note"
    if kind == "Remarks" and secretary is None:
        kind = "Press Statement"
    c = w.country()
    c2 = w.partner(c)
    form = rng.choices((0, 1, 2), (5, 3, 2))[0]
    written = written_date(day, form)
    date_in_header = rng.random() > 0.03
    place = "Washington, DC" if rng.random() < 0.72 else rng.choice(pools.places)
    place_in_header = rng.random() > 0.05

    speaker: Person | None = None
    office: str | None = None
    header: list[str] = []
    opening: list[str] = []
    title = _title(rng, kind, c, c2, secretary)
    tries, base = 0, title
    while taken is not None and (day, _slug(title, 80)) in taken:  # one title per day: distinct statement IRIs
        tries += 1
        title = _title(rng, kind, c, c2, secretary) if tries < 5 else f"{base}: Update {tries - 4}"
    if taken is not None:
        taken.add((day, _slug(title, 80)))
    if kind in ("Press Statement", None):
        choices = [(p, o) for o, ps in holders.items() for p in ps]
        weights = [3 if o == "Secretary of State" else 2 if o == "Department Spokesperson" else 1 for _, o in choices]
        if choices and rng.random() < 0.9:
            speaker, office = rng.choices(choices, weights)[0]
            header += [speaker.name, office]
        else:
            header.append("Office of the Spokesperson")
        if kind and rng.random() < 0.25:
            title = "Press Releases: " + title
    elif kind in ("Media Note", "Joint Statement"):
        header.append("Office of the Spokesperson")
    elif kind == "Readout":
        header.append("Office of the Spokesperson")
        speaker = rng.choice(spokes)
        office = next(o for o, ps in holders.items() if speaker in ps)
        label = "Deputy Spokesperson" if office == "Deputy Spokesperson" else "Spokesperson"
        opening.append(f"The below is attributable to {label} {speaker.name}:")
    elif kind == "Remarks":
        speaker, office = secretary, "Secretary of State"
        if rng.random() < 0.7:
            header += [speaker.name, office]
    if kind:
        header.insert(0, kind)
    if place_in_header:
        header.append(place)
    if date_in_header:
        header.append(written)

    paragraphs, acts, countries = _body(w, rng, kind, c, c2, day, speaker, secretary)
    paragraphs = opening + paragraphs
    noise: list[str] = []
    if rng.random() < 0.3:
        noise.append("# # #")
    if not date_in_header or rng.random() < 0.15:
        noise.append(f"Published {written_date(day, rng.choice((0, 2)))}")
    if rng.random() < 0.1:
        noise.append(f"Tags: {c.name}, {_headline(rng.choice(TOPICS))}")
    if rng.random() < 0.45:
        noise.append(rng.choice(FOOTERS))

    text = _render(rng, title, header, paragraphs + noise)
    name = f"{day.isoformat()}-{_slug(title)}-{n}.txt"
    entry = {
        "file": name, "title": title, "kind": kind, "date": day.isoformat(), "date_written": written,
        "date_in_header": date_in_header, "place": place if place_in_header else None,
        "speaker": speaker.name if speaker else None, "office": office,
        "countries": sorted(countries), "acts": acts,
    }
    return name, text, entry


_SMALL = {"a", "an", "and", "the", "of", "on", "in", "for", "to", "with"}


def _headline(text: str) -> str:
    """Title case as headlines write it ("Food Security", "The Rule of Law")."""
    words = text.split()
    return " ".join(w if w[0].isupper() or w in _SMALL else w[0].upper() + w[1:] for w in words)


def _title(rng: random.Random, kind: str | None, c: Country, c2: Country, secretary: Person | None) -> str:
    topic = rng.choice(TOPICS)
    if kind == "Readout":
        who = secretary.title_form if secretary and secretary.title_form else "Secretary of State"
        return rng.choice((f"{who}’s Call with the Foreign Minister of {c.the()}",
                           f"{who}’s Meeting with {c.dem or c.name} Officials",
                           f"{who}’s Call with Counterparts on {_headline(topic)}"))
    if kind == "Remarks":
        return rng.choice((f"Remarks to the Press on {c.name}", f"Remarks at a Press Availability in {c.name}",
                           f"Remarks on {_headline(topic)}", f"Remarks With Partners From {c.the()}"))
    if kind == "Joint Statement":
        return rng.choice((f"Joint Statement of the United States and {c.the()} on {_headline(topic)}",
                           f"Joint Statement on the United States–{c.name} Strategic Dialogue"))
    if kind == "Media Note":
        return rng.choice((f"United States Announces {_headline(rng.choice(PROGRAMS))} for {c.the()}",
                           f"U.S. Delegation to Travel to {c.the()}", f"Update on {_headline(topic)} in {c.the()}"))
    return rng.choice((f"On the Situation in {c.the()}", f"{c.name} National Day",
                       f"The United States Condemns Violence in {c.the()}", f"Support for the People of {c.the()}",
                       f"On {_headline(topic)} in {c.the()}", f"Anniversary of the Partnership with {c.the()}",
                       f"Concerning Developments in {c.the()} and {c2.the()}"))


def _body(w: _Writer, rng: random.Random, kind: str | None, c: Country, c2: Country, day: dt.date,
          speaker: Person | None, secretary: Person | None) -> tuple[list[str], list[dict[str, object]], set[str]]:
    year = day.year
    n_paragraphs = rng.randint(2, 6)
    paragraphs: list[list[str]] = [[w.filler(c, c2, year) for _ in range(rng.randint(2, 4))]
                                   for _ in range(n_paragraphs)]
    if kind == "Readout" and secretary is not None:
        who = secretary.title_form or f"Secretary of State {secretary.name}"
        paragraphs[0].insert(0, f"{who} spoke today with senior officials of {c.the()} about "
                                f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)}.")
    if kind == "Joint Statement":
        paragraphs[0].insert(0, f"The Governments of the United States and {c.the()} met today to review "
                                f"their cooperation on {rng.choice(TOPICS)}.")
    if kind == "Media Note":
        paragraphs[0].insert(0, f"The U.S. Department of State announced today {rng.choice(PROGRAMS)} "
                                f"with {c.the()}.")
    acts: list[dict[str, object]] = []
    n_acts = rng.choices((0, 1, 2), (50, 40, 10))[0]
    for _ in range(n_acts):
        found = w.act(c, day)
        if found is None:
            continue
        sentence, act = found
        if any(a["recognized"] == act["recognized"] for a in acts):
            continue
        acts.append(act)
        k = rng.randrange(len(paragraphs))
        paragraphs[k].insert(rng.randint(0, len(paragraphs[k])), sentence)
    if rng.random() < 0.35:
        s = w.slots(c, c2, year)
        sentence = rng.choice(DISTRACTORS)[0].format_map(s)
        k = rng.randrange(len(paragraphs))
        paragraphs[k].append(sentence)
    out = [" ".join(p) for p in paragraphs]
    if kind == "Remarks" and secretary is not None:
        label = secretary.upper or "SECRETARY"
        out[0] = f"{label}: Good {rng.choice(('morning', 'afternoon', 'evening'))}, everyone. " + out[0]
        if len(out) > 2:
            out.insert(2, f"QUESTION: Thank you, Mr. Secretary. Could you say more about {rng.choice(TOPICS)}?")
            out[3] = f"{label}: " + out[3]
    if rng.random() < 0.15 and len(out) > 1:  # a hard line break (two trailing spaces) inside a paragraph
        first, _, rest = out[1].partition(". ")
        if rest:
            out[1] = f"{first}.  \n{rest}"
    countries = {c.name}
    text = " ".join(out)
    if c2.name in text:
        countries.add(c2.name)
    return out, acts, countries


def _render(rng: random.Random, title: str, header: list[str], paragraphs: list[str]) -> str:
    lines: list[str] = []
    if rng.random() < 0.2:
        lines.append("")
    lines += [f"# {title}", ""]
    spaced = rng.random() < 0.5
    for h in header:
        lines.append(h + ("  " if rng.random() < 0.3 else ""))
        if spaced:
            lines.append("")
    if not spaced:
        lines.append("")
    lines += ["---", ""]
    for p in paragraphs:
        lines += [p, ""]
    text = "\n".join(lines)
    if rng.random() < 0.02:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.01:
        text = "\ufeff" + text
    return text


def generate(count: int, seed: int, out: Path, pools: Pools | None = None) -> dict[str, object]:
    """Write ``count`` statements and ``manifest.json`` into ``out``; returns the manifest."""
    pools = pools or load_pools()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    taken: set[tuple[dt.date, str]] = set()
    for n in range(1, count + 1):
        name, text, entry = statement(rng, pools, n, taken)
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        entries.append(entry)
    manifest = {"generator": "benchmarks/generate.py", "version": GENERATOR_VERSION, "count": count, "seed": seed,
                "files": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="number of statements")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    args = ap.parse_args(argv)
    if args.count < 0:
        ap.error("--count must be >= 0")
    started = time.perf_counter()
    generate(args.count, args.seed, args.out)
    print(f"wrote {args.count} statements and manifest.json to {args.out} in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
