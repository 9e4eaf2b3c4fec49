"""The evaluation command: scoring arithmetic, name matching, failures, CLI, and the shared corpus."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from communique.errors import DocumentError, UsageError
from communique.evaluate import FIELDS, evaluate, format_table, normalize, same_name, score_record

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "statements"
SCORER = CORPUS.parent.parent / "tools" / "score-extraction"
EXE = [sys.executable, "-m", "communique.cli"]

RECOGNITION_TXT = """# Press Releases: Recognition of the National Assembly

Press Statement
Jane Roe

Spokesperson

Washington, DC
March 4, 2019

---

The United States recognizes the democratically elected National Assembly as the only legitimate institution of Ruritania. We do not recognize the illegitimate Kessler regime.

We thank Canada for its support.
"""

RECOGNITION_TRUTH: dict[str, Any] = {
    "title": "Press Releases: Recognition of the National Assembly",
    "kind": "Press Statement",
    "speakers": [{"name": "Jane Roe", "office": "Spokesperson"}],
    "place": "Washington, DC",
    "date": "2019-03-04",
    "issuing_country": "United States",
    "recognized": [{"government_or_person": "National Assembly", "of_country": "Ruritania",
                    "basis": "explicit"}],
    "not_recognized": [{"government_or_person": "Kessler regime", "of_country": "Ruritania",
                        "basis": "explicit"}],
    "persons": ["Jane Roe", "Kessler"],
    "organizations": ["National Assembly"],
    "countries": ["United States", "Canada"],
}

MEETING_TXT = """# Secretary Meets Foreign Minister Núñez

Readout

---

The Secretary met Foreign Minister José Núñez of Colombia in Bogotá on June 5, 2019.
"""

MEETING_TRUTH: dict[str, Any] = {
    "title": "Secretary Meets Foreign Minister Núñez",
    "kind": "Readout",
    "speakers": [],
    "place": None,
    "date": None,
    "issuing_country": "United States",
    "recognized": [],
    "not_recognized": [],
    "persons": ["José Núñez"],
    "organizations": [],
    "countries": ["Colombia"],
}


def as_record(truth: Mapping[str, Any]) -> dict[str, Any]:
    """A truth annotation in the shape of an extracted record (list items as dicts with "name")."""
    record = copy.deepcopy(dict(truth))
    for f in ("persons", "organizations", "countries"):
        record[f] = [{"name": n, "wikidata": None, "linked": False} for n in record[f]]
    return record


def corpus_dir(tmp_path: Path, with_statements: bool = True) -> Path:
    d = tmp_path / "truth"
    d.mkdir()
    for stem, text, truth in (("2019-03-04-recognition", RECOGNITION_TXT, RECOGNITION_TRUTH),
                              ("nodate-meeting", MEETING_TXT, MEETING_TRUTH)):
        if with_statements:
            (d / f"{stem}.txt").write_text(text, encoding="utf-8")
        (d / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return d


def fake_extractor(records: dict[str, dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Stand-in extractor: the hand-written record of each statement, by file stem."""
    def extract(path: Path) -> Mapping[str, Any]:
        return records[path.stem]
    return extract


def perfect() -> dict[str, dict[str, Any]]:
    return {"2019-03-04-recognition": as_record(RECOGNITION_TRUTH), "nodate-meeting": as_record(MEETING_TRUTH)}


# --- scoring arithmetic --------------------------------------------------------------------------

def test_perfect_agreement_scores_one(tmp_path: Path) -> None:
    ev = evaluate(corpus_dir(tmp_path), extractor=fake_extractor(perfect()))
    assert ev.statements == ("2019-03-04-recognition", "nodate-meeting")
    assert ev.misses == [] and ev.failures == []
    for f in FIELDS:
        s = ev.scores[f]
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), f
    assert ev.overall_f1 == 1.0
    # persons: the speaker is already listed, so Jane Roe, Kessler + José Núñez
    assert (ev.scores["persons"].hits, ev.scores["persons"].truth) == (3, 3)
    table = format_table(ev)
    assert table.splitlines()[-1] == "overall F1: 1.000"
    assert all(f in table for f in FIELDS)


def test_wrong_date_lowers_date_scores_by_hand(tmp_path: Path) -> None:
    records = perfect()
    records["2019-03-04-recognition"]["date"] = "2019-03-05"
    records["nodate-meeting"]["date"] = "2019-06-05"  # an event date is not the issue date
    d = corpus_dir(tmp_path)
    ev = evaluate(d, extractor=fake_extractor(records))
    s = ev.scores["date"]
    assert (s.hits, s.predicted, s.truth) == (0, 2, 2)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    records["nodate-meeting"]["date"] = None  # both empty is a hit
    ev = evaluate(d, extractor=fake_extractor(records))
    s = ev.scores["date"]
    assert (s.hits, s.predicted, s.truth) == (1, 2, 2)
    assert s.precision == s.recall == s.f1 == 0.5
    assert ev.overall_f1 == pytest.approx((9 * 1.0 + 0.5) / 10)
    assert ev.misses == ["2019-03-04-recognition: date: expected '2019-03-04', got '2019-03-05'"]


def test_accents_case_aliases_and_punctuation_still_match(tmp_path: Path) -> None:
    records = perfect()
    rec = records["2019-03-04-recognition"]
    rec["title"] = "RECOGNITION OF THE NATIONAL ASSEMBLY"  # "Press Releases:" prefix dropped
    rec["place"] = "Washington, D.C."
    rec["speakers"] = [{"name": "JANE ROE", "office": "Spokesperson"}]
    rec["countries"] = [{"name": "U.S."}, {"name": "canada"}]
    rec["recognized"][0]["government_or_person"] = "the National Assembly of Ruritania"
    rec["not_recognized"][0]["government_or_person"] = "Kessler"
    meeting = records["nodate-meeting"]
    meeting["title"] = "secretary meets foreign minister nunez"
    meeting["persons"] = [{"name": "Jose Nunez"}]
    ev = evaluate(corpus_dir(tmp_path), extractor=fake_extractor(records))
    assert ev.misses == []
    assert ev.overall_f1 == 1.0


def test_list_matching_is_one_to_one_and_checks_of_country() -> None:
    truth = {"persons": ["Juan Guaidó", "Guaidó"], "countries": ["Venezuela", "Venezuela"],
             "recognized": [{"government_or_person": "Juan Guaidó", "of_country": "Venezuela"}],
             "not_recognized": [{"government_or_person": "Maduro regime", "of_country": "Venezuela"}]}
    pred = {"persons": [{"name": "Juan Guaido"}], "countries": [{"name": "Venezuela"}],
            "recognized": [{"government_or_person": "interim President Juan Guaidó", "of_country": None}],
            "not_recognized": [{"government_or_person": "Nicolás Maduro", "of_country": "Bolivia"}]}
    scores, misses = score_record("x", truth, pred)
    # "Guaidó" and "Juan Guaidó" collapse into one person; the truth has Venezuela twice, the record once
    assert (scores["persons"].hits, scores["persons"].predicted, scores["persons"].truth) == (1, 1, 1)
    assert (scores["countries"].hits, scores["countries"].predicted, scores["countries"].truth) == (1, 1, 2)
    assert scores["recognized"].hits == 1  # of_country missing on one side: no conflict
    assert scores["not_recognized"].hits == 0  # countries disagree
    assert any(m.startswith("x: countries:") for m in misses)


def test_name_normalization() -> None:
    assert normalize("  Nicolás   MADURO ") == "nicolas maduro"
    assert normalize("U.S.A.") == normalize("United States of America") == "united states"
    assert normalize("Russian Federation") == "russia" and normalize("Burma") == "myanmar"
    assert normalize("DPRK") == "north korea" and normalize("Britain") == normalize("UK")
    assert normalize("Press Releases: Crimea Is Ukraine", title=True) == "crimea is ukraine"
    assert same_name("Secretary Michael R. Pompeo", "Michael R. Pompeo")
    assert same_name("Pompeo", "Secretary of State Michael Pompeo")  # all tokens of the shorter
    assert same_name("Organization of American States", "OAS")
    assert not same_name("Maduro regime", "Guaidó government")
    assert not same_name("", "")


# --- failures ------------------------------------------------------------------------------------

def test_truth_without_statement_is_a_failure(tmp_path: Path) -> None:
    d = corpus_dir(tmp_path)
    (d / "nodate-meeting.txt").unlink()
    (d / "nodate-meeting.notes").write_text("no reader for this suffix", encoding="utf-8")
    ev = evaluate(d, extractor=fake_extractor(perfect()))
    assert len(ev.statements) == 2  # still scored, as an empty record
    assert len(ev.failures) == 1 and ev.failures[0].startswith("nodate-meeting: no statement file")
    assert ev.scores["countries"].truth == 3 and ev.scores["countries"].predicted == 2
    assert ev.scores["title"].hits == 1


def test_document_error_is_a_failure_not_an_abort(tmp_path: Path) -> None:
    def broken(path: Path) -> Mapping[str, Any]:
        if path.stem == "nodate-meeting":
            raise DocumentError(path, "the file has no text")
        return perfect()[path.stem]

    ev = evaluate(corpus_dir(tmp_path), extractor=broken)
    assert ev.failures == ["nodate-meeting: the file has no text"]
    assert ev.scores["persons"].hits == 2


def test_no_truth_files_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        evaluate(tmp_path)
    with pytest.raises(UsageError):
        evaluate(tmp_path / "missing")


# --- the real extractor and the command ----------------------------------------------------------

def test_real_extractor_reads_the_headers(tmp_path: Path) -> None:
    d = corpus_dir(tmp_path)
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "empty.truth.json").write_text(json.dumps(MEETING_TRUTH), encoding="utf-8")
    ev = evaluate(d)
    assert len(ev.statements) == 3
    assert len(ev.failures) == 1 and ev.failures[0].startswith("empty:")
    assert ev.scores["title"].hits >= 2 and ev.scores["kind"].hits >= 2
    assert 0.0 <= ev.overall_f1 <= 1.0


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def test_cli_table_json_and_exit_codes(tmp_path: Path) -> None:
    d = corpus_dir(tmp_path)
    result = run("evaluate", d)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["field", "precision", "recall", "F1"]
    assert [line.split()[0] for line in lines[1:11]] == list(FIELDS)
    assert re.fullmatch(r"overall F1: \d\.\d{3}", lines[-1])

    payload = json.loads(run("evaluate", d, "--format", "json", "--misses").stdout)
    assert payload["statements"] == 2 and set(payload["fields"]) == set(FIELDS)
    assert isinstance(payload["misses"], list)

    (d / "nodate-meeting.txt").unlink()
    result = run("evaluate", d, "--misses")
    assert result.returncode == 1
    assert "nodate-meeting" in result.stderr and "miss: nodate-meeting" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("overall F1:")

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("evaluate", empty)
    assert result.returncode == 2 and "no *.truth.json" in result.stderr


def _reference_f1(*args: str | Path) -> float:
    ref = subprocess.run([sys.executable, str(SCORER), *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                         timeout=900, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    found = re.search(r"^overall F1: ([0-9.]+)$", ref.stdout, re.MULTILINE)
    assert found, ref.stdout[-2000:] + ref.stderr[-2000:]
    return float(found.group(1))


@pytest.mark.skipif(not CORPUS.is_dir() or not SCORER.is_file(), reason="shared corpus not available")
def test_shared_corpus_agrees_with_reference_scorer(tmp_path: Path) -> None:
    ev = evaluate(CORPUS)
    assert len(ev.statements) == 40
    # the records of the whole corpus from one run of the command, scored by the reference from files
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html"))
    result = subprocess.run([*EXE, "extract", "--format", "jsonl", *map(str, files)], capture_output=True,
                            text=True, cwd=ROOT, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    pred = tmp_path / "pred"
    pred.mkdir()
    for line in result.stdout.splitlines():
        (pred / f"{Path(json.loads(line)['source']).stem}.json").write_text(line, encoding="utf-8")
    assert len(list(pred.iterdir())) == len(files)
    assert ev.overall_f1 == pytest.approx(_reference_f1(CORPUS, "--pred", pred), abs=0.02)
    # and the reference running the command once per statement, on a few of them
    few = tmp_path / "few"
    few.mkdir()
    for file in files[::10]:
        for path in (file, file.with_name(f"{file.stem}.truth.json")):
            (few / path.name).symlink_to(path)
    assert evaluate(few).overall_f1 == pytest.approx(_reference_f1(few, "--", *EXE, "extract", "--format", "json"),
                                                     abs=0.02)
