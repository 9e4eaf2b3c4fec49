"""extract/header.py and dates.py: header lines in their real-world variety."""

from __future__ import annotations

import pytest

from communique.extract.dates import parse_date
from communique.extract.header import clean_title, parse_header
from communique.extract.linking import Authority


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("January 23, 2019", "2019-01-23"),
        ("Jan. 23, 2019", "2019-01-23"),
        ("Jan 23 2019", "2019-01-23"),
        ("23 January 2019", "2019-01-23"),
        ("23rd of January, 2019", "2019-01-23"),
        ("Sept. 4, 2018", "2018-09-04"),
        ("2019-01-23", "2019-01-23"),
        ("January 2019", "2019-01"),
        ("February 30, 2019", None),
        ("Washington, DC", None),
        ("Press Statement", None),
    ],
)
def test_dates(line: str, iso: str | None) -> None:
    assert parse_date(line) == iso


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Press Releases: Continuing U.S. Diplomatic Presence in Venezuela",
         "Continuing U.S. Diplomatic Presence in Venezuela"),
        ("Press release: Foreign Secretary statement", "Foreign Secretary statement"),
        ("Venezuela: Humanitarian Aid", "Venezuela: Humanitarian Aid"),
    ],
)
def test_title_prefix(title: str, clean: str) -> None:
    assert clean_title(title) == clean


def test_full_header(authority: Authority) -> None:
    h = parse_header("Press Releases: T", ("Press Statement", "Michael R. Pompeo", "Secretary of State",
                                           "Washington, DC", "January 23, 2019"), ("Body.",), authority)
    assert (h.title, h.kind, h.date) == ("T", "Press Statement", "2019-01-23")
    assert h.place is not None and h.place.name == "Washington, DC"
    [speaker] = h.speakers
    assert speaker.person is not None and speaker.person.name == "Michael R. Pompeo"
    assert speaker.office_label == "Secretary of State"
    assert speaker.office is not None and speaker.office.wikidata == "Q14213"
    assert h.missing == []


def test_lines_in_other_order_and_missing_ones_reported(authority: Authority) -> None:
    h = parse_header("T", ("23 January 2019", "Media Note"), ("Body.",), authority)
    assert h.kind == "Media Note" and h.date == "2019-01-23"
    assert h.missing == ["place", "speaker"]


def test_nothing_in_header(authority: Authority) -> None:
    h = parse_header("T", (), ("Body.",), authority)
    assert h.missing == ["kind", "date", "place", "speaker"]


def test_speaker_only_in_body(authority: Authority) -> None:
    h = parse_header("T", ("Office of the Spokesperson", "Washington, DC", "Jan. 23, 2019"),
                     ("The below is attributable to Deputy Spokesperson Robert Palladino:", "Text."), authority)
    [speaker] = h.speakers
    assert speaker.person is not None and speaker.person.name == "Robert Palladino"
    assert speaker.office_label == "Deputy Spokesperson"


def test_issuing_office_as_speaker_of_a_media_note(authority: Authority) -> None:
    h = parse_header("T", ("Media Note", "Office of the Spokesperson", "Washington, DC", "May 1, 2019"),
                     ("Text.",), authority)
    [speaker] = h.speakers
    assert speaker.person is None and speaker.office_label == "Office of the Spokesperson"


def test_office_from_tenure_when_text_gives_none(authority: Authority) -> None:
    h = parse_header("T", ("Press Statement", "Michael R. Pompeo", "June 1, 2019"), ("Text.",), authority)
    [speaker] = h.speakers
    assert speaker.office is not None and speaker.office.wikidata == "Q14213"
    assert speaker.office_label == "Secretary of State"


def test_unknown_speaker_is_kept_unlinked(authority: Authority) -> None:
    h = parse_header("T", ("Press Statement", "Jane Q. Example", "Special Envoy", "May 1, 2019"),
                     ("Text.",), authority)
    [speaker] = h.speakers
    assert speaker.person is not None and speaker.person.name == "Jane Q. Example"
    assert not speaker.person.linked and speaker.office_label == "Special Envoy"
