"""extract/: the seed record (the CLI contract), the samples, recognition and its distractors."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.extract import Authority
from communique.extract.parties import find_parties
from communique.extract.recognition import find_acts
from communique.extract.sentences import sentences
from communique.pipeline import extract_file
from communique.record import to_record

from .conftest import DATA, SEED


@pytest.fixture(scope="module")
def seed() -> dict:
    return to_record(extract_file(SEED))


def test_seed_header_fields(seed: dict) -> None:
    assert seed["title"] == "Continuing U.S. Diplomatic Presence in Venezuela"
    assert seed["kind"] == "Press Statement"
    assert seed["speakers"] == [{"name": "Michael R. Pompeo", "office": "Secretary of State", "wikidata": "Q473239"}]
    assert (seed["place"], seed["date"], seed["issuing_country"]) == ("Washington, DC", "2019-01-23", "United States")
    assert seed["missing"] == []


def test_seed_recognition(seed: dict) -> None:
    rec, assembly = seed["recognized"]
    assert (rec["government_or_person"], rec["of_country"], rec["wikidata"]) == ("Juan Guaidó", "Venezuela", "Q58833335")
    assert rec["recognized_as"] == "interim President"
    # "the democratically elected National Assembly": implied recognition of its standing
    assert (assembly["government_or_person"], assembly["of_country"]) == ("National Assembly of Venezuela", "Venezuela")
    [non] = seed["not_recognized"]
    assert (non["government_or_person"], non["of_country"], non["wikidata"]) == ("Nicolás Maduro", "Venezuela", "Q58132")
    assert non["evidence"]["text"] == "The United States does not recognize the Maduro regime as the government of Venezuela."


def test_seed_parties(seed: dict) -> None:
    names = lambda key: {p["name"]: p["wikidata"] for p in seed[key]}  # noqa: E731
    assert {"Juan Guaidó": "Q58833335", "Nicolás Maduro": "Q58132"}.items() <= names("persons").items()
    assert "National Assembly of Venezuela" in names("organizations")
    assert names("countries") == {"United States": "Q30", "Venezuela": "Q717"}


def test_body_has_no_site_footer() -> None:
    st = extract_file(SEED)
    assert "Office of Website Management" not in st.text
    assert st.text.endswith("endangers the safety and security of our mission and its personnel.")


def test_evidence_offsets_cut_the_sentence_out_of_the_text() -> None:
    for path in sorted(DATA.glob("*.txt")):
        st = extract_file(path)
        for act in st.acts:
            ev = act.evidence
            assert st.text[ev.start:ev.end] == ev.exact, path
            assert st.text[:ev.start].endswith(ev.prefix) and st.text[ev.end:].startswith(ev.suffix)


def _acts(text: str, authority: Authority) -> list[tuple[str, str, str, bool]]:
    parties = find_parties(text, authority)
    us = authority.country("US")
    return [(a.stance, a.recognized.name, a.recognizing.name, a.reported)
            for a in find_acts(text, parties.mentions, us, authority)]


@pytest.mark.parametrize(
    "text",
    [
        "We recognize the importance of free elections in Venezuela.",
        "Russia must respect the internationally recognized borders of Georgia.",
        "We recognize that Juan Guaidó faces many challenges.",
        "The United States recognizes the work of the Organization of American States to",
        "The Secretary recognized Colombia’s great compassion for Venezuelans.",
        "We recognize Ukraine’s sovereignty and territorial integrity.",
        "We support a strong, sovereign, and prosperous Iraq.",
    ],
)
def test_ordinary_recognize_is_not_an_act(text: str, authority: Authority) -> None:
    assert _acts(text, authority) == []


def test_explicit_recognition_as_president(authority: Authority) -> None:
    acts = _acts("The United States recognizes Juan Guaidó as the interim President of Venezuela.", authority)
    assert acts == [("recognized", "Juan Guaidó", "United States", False)]


def test_third_party_act_is_reported_not_the_issuers(authority: Authority) -> None:
    acts = _acts("We welcome the decision of Germany to recognize Juan Guaidó as interim President.", authority)
    assert acts[0] == ("recognized", "Juan Guaidó", "Germany", True)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The United States does not recognize the Maduro regime.", "not_recognized"),
        ("We condemn the illegitimate Maduro regime.", "not_recognized"),
        ("Nicolás Maduro is not the legitimate leader of Venezuela.", "not_recognized"),
        ("The United States no longer recognizes Nicolás Maduro as President.", "withdrawn"),
        ("We continue to recognize Juan Guaidó as interim President.", "reaffirmed"),
    ],
)
def test_stances(text: str, stance: str, authority: Authority) -> None:
    assert [a[0] for a in _acts(text, authority)] == [stance]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The United States does not recognize Russia’s “referendum” of March 16, 2014 or its attempted "
         "annexation of Crimea.", ["Russia’s referendum of March", "attempted annexation of Crimea"]),
        ("We do not recognize the legitimacy of this so-called “treaty,” which is void.", ["treaty"]),
        ("Russia held an illegitimate, fabricated “referendum” in Ukraine.", ["referendum in Ukraine"]),
    ],
)
def test_claims_are_kept_as_unlinked_objects(text: str, expected: list[str], authority: Authority) -> None:
    parties = find_parties(text, authority)
    acts = find_acts(text, parties.mentions, authority.country("US"), authority)
    assert [a.recognized.name for a in acts] == expected
    assert all(a.stance == "not_recognized" and not a.recognized.linked for a in acts)


def test_region_part_of_a_state_and_contested_statehood(authority: Authority) -> None:
    text = ("Russia recognized Abkhazia and South Ossetia last year. These regions are part of Georgia. "
            "We congratulate the people of a sovereign, independent Kosovo.")
    parties = find_parties(text, authority)
    acts = find_acts(text, parties.mentions, authority.country("US"), authority)
    mine = [(a.stance, a.recognized.name, a.of_country.name if a.of_country else None) for a in acts if not a.reported]
    assert ("not_recognized", "Abkhazia", "Georgia") in mine and ("not_recognized", "South Ossetia", "Georgia") in mine
    assert ("recognized", "Kosovo", "Kosovo") in mine
    assert [a.recognizing.name for a in acts if a.reported] == ["Russia"]


def test_sentences_respect_abbreviations() -> None:
    text = "The U.S. Embassy in Caracas, D.C. office and Mr. Smith agree. Next sentence here."
    assert [text[s:e] for s, e in sentences(text)] == [
        "The U.S. Embassy in Caracas, D.C. office and Mr. Smith agree.", "Next sentence here."]


def test_samples_show_the_range() -> None:
    records = {p.name: to_record(extract_file(p)) for p in sorted(DATA.glob("*.txt"))}
    media = records["2019-02-04-media-note-humanitarian-assistance-coordination.txt"]
    assert media["kind"] == "Media Note"
    assert media["speakers"] == [{"name": None, "office": "Office of the Spokesperson", "wikidata": None}]
    readout = records["2019-05-20-readout-secretary-pompeo-call-with-eu-high-representative.txt"]
    assert readout["speakers"][0]["name"] == "Morgan Ortagus" and readout["date"] == "2019-05-20"
    assert readout["recognized"] == [] and "kind" in readout["missing"]
    refusal = records["2019-01-10-non-recognition-of-the-maduro-regime.txt"]
    assert [a["government_or_person"] for a in refusal["not_recognized"]] == ["Nicolás Maduro", "inauguration"]
    assert [a["by"] for a in refusal["third_party_non_recognitions"]] == ["Lima Group"]


def test_unlinked_person_is_kept(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text("# T\n\nPress Statement\n\nMay 1, 2019\n\n---\n\nForeign Minister Carl Greenidge of Guyana met "
                 "Secretary Pompeo.\n", encoding="utf-8")
    record = to_record(extract_file(f))
    greenidge = [p for p in record["persons"] if p["name"] == "Carl Greenidge"]
    assert greenidge in ([{"name": "Carl Greenidge", "wikidata": None, "linked": False}],
                         [{"name": "Carl Greenidge", "wikidata": None, "linked": True}])


def test_co_issuers_of_a_joint_statement(tmp_path: Path) -> None:
    f = tmp_path / "joint.txt"
    f.write_text("# Joint Statement on Libya\n\nMedia Note\n\n---\n\nThe text of the following statement was released "
                 "by the Governments of the United States of America, France, Italy, and the United Kingdom.\n\n"
                 "The governments reiterate their support for the UN.\n", encoding="utf-8")
    record = to_record(extract_file(f))
    assert record["issuing_country"] == "United States"
    assert record["co_issuers"] == ["France", "Italy", "United Kingdom"]


def test_organisation_not_in_the_authority_is_kept_unlinked(authority: Authority) -> None:
    parties = find_parties("Officials of the Karvonian Electoral Commission met the Central Bank board.", authority)
    names = {(o.name, o.linked) for o in parties.organizations}
    assert ("Karvonian Electoral Commission", False) in names and ("Central Bank", False) in names
