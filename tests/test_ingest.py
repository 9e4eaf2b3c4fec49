"""ingest/: the seed text format, its real-world quirks, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.errors import DocumentError, EmptyDocumentError
from communique.ingest import discover, read_document

from .conftest import DATA, SEED, write


def test_seed_quirks_are_handled() -> None:
    doc = read_document(SEED)
    assert doc.title == "Press Releases: Continuing U.S. Diplomatic Presence in Venezuela"
    # trailing double spaces are line breaks, not part of the header lines
    assert doc.header == ("Press Statement", "Michael R. Pompeo", "Secretary of State",
                          "Washington, DC", "January 23, 2019")
    assert doc.paragraphs[0].startswith("The United States stands with interim President Juan Guaido")
    assert len(doc.sha256) == 64 and doc.name == SEED.name


def test_crlf_bom_and_soft_wraps(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "\ufeff\r\n# Title\r\n\r\nMedia Note\r\n---\r\nfirst line\r\nsecond line\r\n\r\nnext\r\n")
    doc = read_document(f)
    assert doc.title == "Title" and doc.header == ("Media Note",)
    assert doc.paragraphs == ("first line second line", "next")


def test_missing_separator_means_empty_header(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.txt", "# T\n\nBody only.\n"))
    assert doc.header == () and doc.paragraphs == ("Body only.",)


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"", EmptyDocumentError, "empty"),
        (b"   \n\n  ", EmptyDocumentError, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DocumentError, "binary"),
        (b"# caf\xe9\n---\nbody", DocumentError, "UTF-8"),
        (b"No title here\n---\nbody", DocumentError, "no title"),
        (b"# Title\n---\n\n", DocumentError, "no body"),
    ],
)
def test_bad_files_name_the_file_and_problem(tmp_path: Path, content: bytes, error: type, words: str) -> None:
    f = write(tmp_path / "bad.txt", content)
    with pytest.raises(error) as info:
        read_document(f)
    assert str(f) in str(info.value) and words in str(info.value)


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="unsupported file type"):
        read_document(write(tmp_path / "x.pdf", b"%PDF"))


def test_discover_expands_folders_sorted() -> None:
    files = list(discover([DATA]))
    assert files == sorted(files) and SEED in files
    assert all(f.suffix == ".txt" for f in files)
