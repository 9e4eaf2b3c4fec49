"""ingest/html.py and ingest/warc.py: pages and web archives built here, no network, no corpus text."""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from communique.errors import DocumentError, EmptyDocumentError
from communique.extract import extract_statement
from communique.ingest import (
    WarcCapture, discover, is_container, read_container, read_document, read_documents,
)
from communique.ingest.html import parse_html
from communique.ingest.text import parse_text
from communique.ingest.warc import read_warc_documents
from communique.record import to_record

from .conftest import write

TITLE = "Supporting the Democratic Transition in Venezuela"
BODY = (
    "The United States welcomes the agreement reached today by the parties in Venezuela. "
    "We call on all sides to respect it.",
    "We continue to recognize the National Assembly as the only legitimate institution in Venezuela "
    "and we stand with interim President Juan Guaido and the Venezuelan people.",
    "The United States will consult with Colombia, Brazil and the Organization of American States "
    "on the next steps.",
)
NAV = "Countries and Areas Bureaus and Offices"
FOOTER = "The Office of Website Management, Bureau of Global Public Affairs, manages this site"

#: the seed-format version of the statement the pages below show
TEXT = (f"# {TITLE}\n\nPress Statement\nMichael R. Pompeo\nSecretary of State\n\nWashington, DC\n"
        "January 23, 2019\n\n---\n\n" + "\n\n".join(BODY) + "\n")

#: a current State Department article page: kind above the headline, "Name, Office" below it
MODERN = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{TITLE} - United States Department of State</title>
<meta property="og:site_name" content="United States Department of State">
<meta property="og:title" content="{TITLE} - United States Department of State">
<meta property="og:url" content="https://www.state.gov/supporting-the-democratic-transition/">
<meta property="article:published_time" content="2019-01-23T21:04:00+00:00">
</head><body>
<header class="site-header"><nav aria-label="main"><ul><li><a href="/countries">Countries and Areas</a></li>
<li><a href="/bureaus">Bureaus and Offices</a></li></ul></nav></header>
<main id="content">
<div class="featured-content__copy">
  <p class="article-meta__content-type">Press Statement</p>
  <h1 class="featured-content__headline">{TITLE}</h1>
  <div class="article-meta">
    <p class="article-meta__author-bureau"><a href="/biographies/pompeo">Michael R. Pompeo</a>, Secretary of State</p>
    <p class="article-meta__location">Washington, DC</p>
    <p class="article-meta__publish-date">January 23, 2019</p>
  </div>
  <ul class="share"><li>Share</li><li>Print</li></ul>
</div>
<div class="entry-content">
{"".join(f"<p>{p}</p>" for p in BODY)}
<table><tr><td>Related: a table that is not part of the statement</td></tr></table>
</div>
</main>
<footer class="site-footer"><p>{FOOTER}.</p><ul><li><a href="/privacy">Privacy Policy</a></li></ul></footer>
</body></html>
"""

#: an archived (2009-2017) layout: kind, name and office, place and date on lines under the headline
ARCHIVED = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>{TITLE}</title></head><body>
<div id="menu" role="navigation"><ul><li>{NAV}</li></ul></div>
<div id="page-title"><h1>{TITLE}</h1></div>
<div class="pr-type">Press Statement</div>
<div id="pr-author"><a href="#">Michael R. Pompeo</a><br>Secretary of State</div>
<div class="pr-locale">Washington, DC<br>January 23, 2019</div>
<div id="centerblock">{"".join(f"<p>{p}</p>" for p in BODY)}</div>
<div id="footer" role="contentinfo"><p>{FOOTER}.</p></div>
</body></html>
"""


def _text_document(tmp_path: Path):
    return parse_text(TEXT.encode(), source=str(write(tmp_path / "statement.txt", TEXT)))


@pytest.mark.parametrize(("page", "encoding"), [(MODERN, "utf-8"), (ARCHIVED, "cp1252")])
def test_page_gives_what_the_text_reader_gives(tmp_path: Path, page: str, encoding: str) -> None:
    html = read_document(write(tmp_path / "statement.html", page.encode(encoding)))
    text = _text_document(tmp_path)
    assert (html.title, html.header, html.paragraphs) == (text.title, text.header, text.paragraphs)
    assert not any(NAV in p or FOOTER in p or "Related:" in p or p in ("Share", "Print") for p in html.paragraphs)
    assert html.name == "statement.html" and len(html.sha256) == 64


def test_page_metadata_url_date_and_site_suffix(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "a.htm", MODERN.replace(
        '<p class="article-meta__publish-date">January 23, 2019</p>', "")))
    assert doc.url == "https://www.state.gov/supporting-the-democratic-transition/"
    assert doc.header[-1] == "January 23, 2019"  # from article:published_time
    page = (f"<html><head><title>{TITLE} | U.S. Embassy in Venezuela</title>"
            '<link rel="canonical" href="https://ru.usembassy.gov/x/"></head>'
            f"<body><article><p>{BODY[0]}</p></article></body></html>")
    doc = parse_html(page.encode(), source="page", url=None)
    assert doc.title == TITLE and doc.url == "https://ru.usembassy.gov/x/" and doc.header == ()
    assert parse_html(page.encode(), source="page", url="https://given/").url == "https://given/"


def test_json_ld_only(tmp_path: Path) -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Ministry of Foreign Affairs"},
        {"@type": "NewsArticle", "headline": "Readout of the Call with the High Representative",
         "datePublished": "2019-05-20T18:30:00-04:00", "url": "https://example.org/readout",
         "author": [{"@type": "Person", "name": "Morgan Ortagus"}]}]}
    page = (f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script>'
            '<script type="application/ld+json">{not json</script></head>'
            f"<body><div class='text'>{''.join(f'<p>{p}</p>' for p in BODY)}</div></body></html>")
    doc = read_document(write(tmp_path / "readout.html", page))
    assert doc.title == "Readout of the Call with the High Representative"
    assert doc.header == ("Morgan Ortagus", "May 20, 2019")
    assert doc.url == "https://example.org/readout" and doc.paragraphs == BODY


def test_declared_charsets() -> None:
    page = f"<html><head><title>Caf\u00e9 {TITLE}</title></head><body><p>{BODY[0]} Caf\u00e9.</p></body></html>"
    # no declaration: the charset of the HTTP headers; a BOM wins over everything
    assert parse_html(page.encode("cp1252"), "p", charset="windows-1252").title == f"Caf\u00e9 {TITLE}"
    assert parse_html(b"\xff\xfe" + page.encode("utf-16-le"), "p", charset="latin-1").paragraphs[0].endswith("Caf\u00e9.")
    declared = page.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")
    assert parse_html(declared, "p").title.startswith("Caf\u00e9")


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"", EmptyDocumentError, "empty"),
        (b"  \n\t ", EmptyDocumentError, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", DocumentError, "binary"),
        (b"just some words, no markup at all", DocumentError, "not an HTML page"),
        (b"<html><head><title>T</title></head><body><p>caf\xe9</p></body></html>", DocumentError, "utf-8"),
        (f"<html><head><title>{TITLE}</title></head><body><nav><p>{NAV}</p></nav>"
         f"<footer>{FOOTER}</footer></body></html>".encode(), DocumentError, "no main content"),
        (f"<html><body><p>{BODY[0]}</p></body></html>".encode(), DocumentError, "no title"),
    ],
)
def test_bad_pages_name_the_file_and_problem(tmp_path: Path, content: bytes, error: type, words: str) -> None:
    f = write(tmp_path / "bad.html", content)
    with pytest.raises(error) as info:
        read_document(f)
    assert str(f) in str(info.value) and words in str(info.value)


def _warc(gz: bool) -> tuple[bytes, str]:
    """request, 200 html (the statement), 404 html, 200 png, metadata; and the statement's record id."""
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    uri = "https://www.state.gov/supporting-the-democratic-transition/"

    def response(target: str, status: str, ctype: str, payload: bytes, date: str = "2019-01-24T10:00:00Z"):
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        return writer.create_warc_record(target, "response", payload=BytesIO(payload), http_headers=http,
                                         warc_headers_dict={"WARC-Date": date})

    writer.write_record(writer.create_warc_record(
        uri, "request", payload=BytesIO(b"GET /supporting-the-democratic-transition/ HTTP/1.1\r\n\r\n"),
        warc_headers_dict={"WARC-Date": "2019-01-24T10:00:00Z"}))
    page = response(uri, "200 OK", "text/html; charset=utf-8", MODERN.encode(), "2019-01-24T10:00:01Z")
    writer.write_record(page)
    writer.write_record(response(uri + "missing", "404 Not Found", "text/html", b"<html><title>Not found</title></html>"))
    writer.write_record(response("https://www.state.gov/seal.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00"))
    writer.write_record(writer.create_warc_record(uri, "metadata", payload=BytesIO(b"outlinks: none\r\n"),
                                                  warc_content_type="application/warc-fields"))
    return buf.getvalue(), page.rec_headers.get_header("WARC-Record-ID").strip("<>")


@pytest.mark.parametrize(("gz", "name"), [(True, "crawl.warc.gz"), (False, "crawl.warc")])
def test_warc_captures_and_skips(tmp_path: Path, gz: bool, name: str) -> None:
    data, record_id = _warc(gz)
    f = write(tmp_path / name, data)
    result = read_container(f)
    assert is_container(f) and result.errors == ()
    assert result.skipped == {"request": 1, "status 404": 1, "non-html": 1, "metadata": 1}
    [capture] = result.captures
    assert isinstance(capture, WarcCapture)
    assert capture.target_uri == "https://www.state.gov/supporting-the-democratic-transition/"
    assert capture.capture_date == "2019-01-24T10:00:01Z" and capture.record_id == record_id
    doc = capture.document
    assert doc.source == f"{f}#{record_id}" and doc.url == capture.target_uri
    assert doc.name == "supporting-the-democratic-transition"
    text = _text_document(tmp_path)
    assert (doc.title, doc.header, doc.paragraphs) == (text.title, text.header, text.paragraphs)
    assert read_documents(f) == [doc]
    with pytest.raises(DocumentError, match="many documents"):
        read_document(f)


def test_warc_page_errors_are_collected(tmp_path: Path) -> None:
    data, _ = _warc(False)
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    bad = writer.create_warc_record("https://example.org/empty", "response", payload=BytesIO(b""), http_headers=http)
    writer.write_record(bad)
    f = write(tmp_path / "mixed.warc", buf.getvalue() + data)
    result = read_warc_documents(f)
    assert len(result.captures) == 1 and len(result.errors) == 1
    bad_id = bad.rec_headers.get_header("WARC-Record-ID").strip("<>")
    assert str(f) in str(result.errors[0]) and bad_id in str(result.errors[0])
    with pytest.raises(DocumentError, match="empty"):
        read_documents(f)
    errors: list[DocumentError] = []
    assert len(read_documents(f, errors)) == 1 and len(errors) == 1


@pytest.mark.parametrize(("gz", "cut"), [(True, 0.5), (True, 0.97), (False, 0.5), (False, 0.98)])
def test_truncated_warc(tmp_path: Path, gz: bool, cut: float) -> None:
    data, _ = _warc(gz)
    f = write(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), data[:int(len(data) * cut)])
    with pytest.raises(DocumentError) as info:
        read_container(f)
    assert str(f) in str(info.value) and "truncated" in str(info.value)


@pytest.mark.parametrize("content", [b"", gzip.compress(b"this is not an archive\r\n\r\n"), b"\x1f\x8b\x08garbage"])
def test_not_a_warc(tmp_path: Path, content: bytes) -> None:
    f = write(tmp_path / "x.warc.gz", content)
    with pytest.raises(DocumentError) as info:
        read_container(f)
    assert str(f) in str(info.value)


def test_read_documents_of_a_single_file(tmp_path: Path) -> None:
    f = write(tmp_path / "one.txt", TEXT)
    assert read_documents(f) == [read_document(f)] and not is_container(f)


def test_discover_yields_pages_and_archives(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.htm", "d.warc", "e.warc.gz", "f.truth.json", "g.gz"):
        write(tmp_path / name, b"x")
    assert [p.name for p in discover([tmp_path])] == ["a.txt", "b.html", "c.htm", "d.warc", "e.warc.gz"]


def test_extracted_record_matches_the_text_version(tmp_path: Path, authority) -> None:
    html = read_document(write(tmp_path / "statement.html", MODERN))
    text = _text_document(tmp_path)

    def record(document) -> dict:
        rec = to_record(extract_statement(document, authority))
        return {k: v for k, v in rec.items() if k not in ("source", "sha256")}

    html_record, text_record = record(html), record(text)
    assert html_record == text_record
    assert html_record["kind"] == "Press Statement" and html_record["date"] == "2019-01-23"
    assert html_record["speakers"][0]["name"] == "Michael R. Pompeo"
    assert html_record["place"] and html_record["issuing_country"]
