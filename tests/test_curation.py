"""curation.py: sidecar corrections override extraction and are marked in the provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from communique.errors import DocumentError
from communique.mapping import statement_graph
from communique.namespaces import CQ, DCTERMS, OA, PROV, SCHEMA
from communique.pipeline import build, extract_file
from communique.record import to_record
from communique.store import GraphStore
from communique.validate import validate_graph

from .conftest import SEED, write

CURATION = """\
curator: Jane Archivist
date: 2024-05-02
set:
  place: Caracas
remove:
  recognized: [National Assembly of Venezuela]
add:
  persons: [Carl Greenidge]
recognized:
  - party: Juan Guaidó
    of_country: Venezuela
    as: interim President
    evidence: "We stand ready to support interim President Guaido"
"""


@pytest.fixture()
def curated(tmp_path: Path) -> Path:
    source = write(tmp_path / SEED.name, SEED.read_bytes())
    write(tmp_path / (SEED.stem + ".curation.yaml"), CURATION)
    return source


def test_curation_overrides_extraction(curated: Path) -> None:
    record = to_record(extract_file(curated))
    assert record["place"] == "Caracas"
    assert [a["government_or_person"] for a in record["recognized"]] == ["Juan Guaidó"]
    [act] = record["recognized"]
    assert act["curated"] and act["evidence"]["text"].startswith("We stand ready to support interim President Guaido")
    assert "Carl Greenidge" in [p["name"] for p in record["persons"]]
    assert record["curated"]["by"] == "Jane Archivist"
    assert set(record["curated"]["fields"]) == {"place", "persons", "recognized"}


def test_curated_and_extracted_facts_are_told_apart_in_rdf(curated: Path) -> None:
    g = statement_graph(extract_file(curated))
    assert validate_graph(g).conforms
    activities = {str(a): a for a in g.objects(None, PROV.wasGeneratedBy)}
    curation = next(a for k, a in activities.items() if k.endswith("-curation"))
    extraction = next(a for k, a in activities.items() if k.endswith("-extraction"))
    curator = g.value(curation, PROV.wasAssociatedWith)
    assert g.value(curator, SCHEMA.name) == Literal("Jane Archivist")
    assert str(g.value(curation, DCTERMS.date)) == "2024-05-02"
    software = g.value(extraction, PROV.wasAssociatedWith)
    assert g.value(software, SCHEMA.softwareVersion) is not None
    by_stance = {}
    for act in g.subjects(CQ.stance, None):
        annotation = g.value(act, CQ.evidence)
        by_stance[str(g.value(act, CQ.stance)).rsplit("#")[-1]] = g.value(annotation, PROV.wasGeneratedBy)
    assert by_stance == {"Recognized": curation, "NotRecognized": extraction}


def test_every_mention_has_its_sentence() -> None:
    st = extract_file(SEED)
    g = statement_graph(st)
    bodies = set(g.objects(None, OA.hasBody))
    assert {URIRef(f"https://w3id.org/communique/id/person/{p}") for p in ("juan-guaido", "nicolas-maduro")} <= bodies
    for entity, ev in st.mentions:
        assert st.text[ev.start:ev.end] == ev.exact


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("date: 2024-01-01\n", "'curator' is required"),
        ("curator: X\ndate: 2024-01-01\nset: {date: yesterday}\n", "set.date"),
        ("curator: X\ndate: 2024-01-01\nrecognized: [{party: Juan Guaidó, evidence: not in the text}]\n",
         "evidence not found"),
        ("curator: X\ndate: 2024-01-01\nbogus: 1\n", "unknown key"),
        ("curator: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_curation_files_are_rejected_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    source = write(tmp_path / SEED.name, SEED.read_bytes())
    sidecar = write(tmp_path / (SEED.stem + ".curation.yaml"), text)
    with pytest.raises(DocumentError) as info:
        extract_file(source)
    assert str(sidecar) in str(info.value) and problem in str(info.value)


def test_build_rejects_only_the_statement_with_a_bad_curation(tmp_path: Path) -> None:
    from .conftest import DATA

    for f in DATA.glob("*.txt"):
        write(tmp_path / f.name, f.read_bytes())
    write(tmp_path / (SEED.stem + ".curation.yaml"), "curator: X\n")
    report = build([tmp_path], store=GraphStore())
    assert len(report.built) == len(list(DATA.glob("*.txt"))) - 1
    [rejected] = report.rejected
    assert "curation.yaml" in rejected.reasons[0] and "'date' is required" in rejected.reasons[0]
    assert json.dumps([r.source for r in report.rejected])
