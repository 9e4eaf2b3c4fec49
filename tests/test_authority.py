"""data/authorities/ and extract/linking.py: coverage, identifiers, gazetteer behaviour."""

from __future__ import annotations

import csv
import re

import pytest

from communique.extract import Authority

from .conftest import ROOT, SHARED


def test_every_sovereign_country_with_identifiers(authority: Authority) -> None:
    sovereign = [e for e in authority.entities.values() if e.type == "country" and e.sovereign]
    assert len(sovereign) >= 195
    assert authority.country("VE") is not None and authority.country("VE").wikidata == "Q717"
    assert authority.country("XK") is not None  # Kosovo: sovereign, no ISO code in the source table


def test_identifier_syntax(authority: Authority) -> None:
    for e in authority.entities.values():
        assert e.wikidata is None or re.fullmatch(r"Q\d+", e.wikidata), e
        assert e.geonames is None or e.geonames.isdigit(), e


def test_references_resolve(authority: Authority) -> None:
    for e in authority.entities.values():
        if e.post_in:
            assert authority.get("organization", e.post_in) is not None, e.id
        if e.country:
            assert authority.country(e.country) is not None, (e.id, e.country)
    for t in authority.tenures:
        assert authority.get("person", t.person) and authority.get("office", t.office), t


@pytest.mark.skipif(not (SHARED / "authorities").is_dir(), reason="../shared/authorities not present")
def test_identifiers_only_from_the_verified_tables() -> None:
    verified = set()
    for row in csv.DictReader(open(SHARED / "authorities" / "countries.csv", encoding="utf-8"), ):
        verified.add(row["wikidata"])
    for row in csv.DictReader(open(SHARED / "authorities" / "entities.csv", encoding="utf-8")):
        verified.add(row["wikidata"])
    verified.discard("")
    ours = csv.DictReader(open(ROOT / "data" / "authorities" / "entities.csv", encoding="utf-8"))
    for row in ours:
        assert not row["wikidata"] or row["wikidata"] in verified, row["id"]


def test_gazetteer_longest_match_accents_demonyms(authority: Authority) -> None:
    text = "Juan Guaido met Venezuelan officials and the Organization of American States."
    found = [(m.surface, m.entity.name) for m in authority.mentions(text)]
    assert ("Juan Guaido", "Juan Guaidó") in found
    assert ("Venezuelan", "Venezuela") in found
    assert ("Organization of American States", "Organization of American States") in found
    assert not any(s == "American" for s, _ in found)


def test_conditional_alias_needs_its_country(authority: Authority) -> None:
    assert not any(m.entity.id == "national-assembly-of-venezuela"
                   for m in authority.mentions("The National Assembly met in Paris."))
    assert any(m.entity.id == "national-assembly-of-venezuela"
               for m in authority.mentions("The National Assembly of Venezuela met. Venezuela voted."))


def test_country_inside_a_longer_name_is_mentioned(authority: Authority) -> None:
    names = {m.entity.name for m in authority.mentions("the National Assembly of Venezuela")}
    assert {"National Assembly of Venezuela", "Venezuela"} <= names


def test_office_held_on_a_date(authority: Authority) -> None:
    pompeo = authority.lookup("Michael R. Pompeo")
    assert pompeo is not None
    assert authority.office_held(pompeo, "2019-01-23").wikidata == "Q14213"
    assert authority.office_held(pompeo, "2015-01-01") is None


def test_same_conditional_alias_for_two_countries(authority: Authority) -> None:
    """Regression: "National Assembly@VE" and "National Assembly@MM" must both work."""
    ve = {m.entity.id for m in authority.mentions("In Venezuela the National Assembly met.")}
    mm = {m.entity.id for m in authority.mentions("Myanmar's National Assembly met.")}
    assert "national-assembly-of-venezuela" in ve and "national-assembly-of-venezuela" not in mm
    assert "assembly-of-the-union-myanmar" in mm and "assembly-of-the-union-myanmar" not in ve
