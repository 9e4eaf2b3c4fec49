"""HTML pages of statements: main text by trafilatura, title and header from the page itself.

The result looks like what the text reader gives for the same statement: ``title`` is the
headline without the site-name suffix; ``header`` holds the short lines around the page's
``<h1>`` in page order, as the seed format has them (a kind line such as "Press Statement" just
above or below it, then speaker name and office, "Name, Office" being split in two, place, date),
completed from metadata when the page shows no date or name: ``article:published_time`` /
``date`` / ``dcterms.date`` meta tags, JSON-LD ``NewsArticle`` datePublished and author (an ISO
date is written "January 23, 2019"); ``paragraphs`` is the main text found by trafilatura, without
the header lines the page repeats at its start. ``url`` is the given address, else ``og:url``,
``<link rel=canonical>`` or the JSON-LD url. Nothing is fetched.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import re
from configparser import ConfigParser
from functools import cache
from pathlib import Path
from types import ModuleType

import lxml.html
from lxml import etree

from ..errors import DocumentError, EmptyDocumentError
from ..model import Document
from .text import read_bytes

__all__ = ["read_html_document", "parse_html", "KIND_LINES"]

#: statement kinds a page shows as a short line near its headline (lower-cased key → as written)
KIND_LINES = {k.lower(): k for k in (
    "Press Statement", "Media Note", "Remarks", "Readout", "Joint Statement", "Joint Declaration",
    "Statement", "Notice to the Press", "Press Release")}

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SKIP = "script style noscript nav footer aside form button select svg template iframe object".split()
_BLOCK = frozenset("address article blockquote body br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 "
                   "header hr li main ol p pre section table td th tr ul".split())
_META_CLASS = re.compile(r"meta|content-type|author|bureau|byline|date|location|place", re.I)
_SEP = re.compile(r"\s+[|–—-]\s+")
_SITE = re.compile(r"\b(?:Department|Embassy|Embassies|Consulates?|Ministry|Mission|Government|Office|"
                   r"GOV\.UK|White House|Newsroom)\b|\.(?:gov|org|int)\b", re.I)
_MONTHS = "January February March April May June July August September October November December".split()
_DATE = re.compile(r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+"
                   r"(?:19|20)\d\d|\d{1,2}\s+[A-Z][a-z]+\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b")
_ISO = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?")
_PLACE = re.compile(r"^[A-Z][\w .'’-]{1,30}, (?:[A-Z]\.?[A-Z]\.?|[A-Z][\w'’ -]{2,30})$")
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*)(?: (?:[A-Z][\w'’.-]*|de|da|del|van|von|bin|al-\w+)){1,4}$")
_OFFICE = re.compile(r"\b(?:Secretary|Spokesperson|Spokesman|Spokeswoman|Minister|Ambassador|President|"
                     r"Envoy|Representative|Coordinator|Counselor|Director|Administrator|Chargé|Advisor|"
                     r"Adviser|Chancellor|Commissioner|Consul|Office|Bureau|Department|Ministry|Embassy|"
                     r"Mission)\b")
_NOISE = re.compile(r"^(?:share|print|email|e-mail|facebook|twitter|x|linkedin|subscribe|[|•·/]|"
                    r"share this page:?|\|?printable version|by\s.*|from:.*|\d\d/\d\d/\d{4}.*)$", re.I)
_ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "Report", "PressRelease", "BlogPosting")


@cache
def _trafilatura() -> tuple[ModuleType, ConfigParser]:
    """trafilatura and its settings, imported when a page is first read (a command starts faster)."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")  # statements can be a single short paragraph
    return trafilatura, config


def read_html_document(path: Path) -> Document:
    """Read and parse one HTML file; errors name the file and the problem."""
    return parse_html(read_bytes(path), source=str(path), name=path.name)


def _decode(data: bytes, source: str, charset: str | None) -> str:
    if not data.strip():
        raise EmptyDocumentError(source, "the file is empty")
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data:
        raise DocumentError(source, "binary data (NUL bytes), not an HTML page")
    declared = _META_CHARSET.search(data[:4096])
    label = bom or charset or (declared.group(1).decode("ascii") if declared else "utf-8")
    try:
        encoding = codecs.lookup(label).name
    except LookupError:  # an unknown label
        encoding = "utf-8"
    encoding = "cp1252" if encoding in ("ascii", "iso8859-1") else encoding  # as browsers read them
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(source, f"not valid {encoding} text (invalid byte at offset {exc.start})") from exc
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise DocumentError(source, "binary data (control characters), not an HTML page")
    if not re.search(r"<[A-Za-z!]", text):
        raise DocumentError(source, "not an HTML page (no markup)")
    return text


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _meta(root: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and _norm(el.get("content")):
            found.setdefault(key, _norm(el.get("content")))
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            found.setdefault("canonical", el.get("href", "").strip())
    return found


def _json_ld(root: lxml.html.HtmlElement) -> dict[str, object]:
    """The first article object of the page's JSON-LD blocks (a broken block is ignored)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type")
            if any(isinstance(k, str) and k in _ARTICLE_TYPES for k in (kinds if isinstance(kinds, list) else [kinds])):
                return item
            graph = item.get("@graph")
            stack.extend(graph if isinstance(graph, list) else [])
    return {}


def _strip_site(title: str, sites: set[str]) -> str:
    """The title without trailing " - Site name" / " | Embassy …" segments."""
    while (parts := list(_SEP.finditer(title))):
        head, tail = title[:parts[-1].start()].strip(), title[parts[-1].end():].strip()
        if not head or not (tail.lower() in sites or (_SITE.search(tail) and len(tail) <= 80)):
            break
        title = head
    return title


def _written_date(value: str) -> str:
    """An ISO date as statements write it ("2019-01-23T…" → "January 23, 2019"); else as given."""
    if not (m := _ISO.match(value)) or not 1 <= int(m.group(2)) <= 12:
        return value
    month = _MONTHS[int(m.group(2)) - 1]
    return f"{month} {int(m.group(3))}, {m.group(1)}" if m.group(3) else f"{month} {m.group(1)}"


def _page_lines(pruned: lxml.html.HtmlElement, h1: lxml.html.HtmlElement | None) -> tuple[list[str], int | None]:
    """The page's visible lines (block elements, ``<br>`` and meta-classed elements break lines)
    and the index of the headline's line."""
    tree = copy.deepcopy(pruned)
    marker = "\u2063HEADLINE\u2063"
    for el, original in zip(tree.iter(), pruned.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK or _META_CLASS.search(el.get("class") or ""):
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
        if original is h1:
            el.text = f"\n{marker}\n" + (el.text or "")
    body = tree.find("body")
    lines = [_norm(line) for line in (tree if body is None else body).text_content().split("\n")]
    lines = [line for line in lines if line]
    at = lines.index(marker) if marker in lines else None
    return [line for line in lines if line != marker], at


def _classify(line: str) -> list[tuple[str, str]]:
    """A header line as (role, text) pairs; [] when it is not a header line."""
    if line.lower().rstrip(":") in KIND_LINES:
        return [("kind", line.rstrip(":"))]
    if len(line) > 90 or len(line.split()) > 10 or line.endswith((":", ".", "!", "?", ";")):
        return []
    if _DATE.search(line) and len(line) <= 48:
        return [("date", line)]
    name, _, office = line.partition(", ")
    if office and _NAME.match(name) and not _OFFICE.search(name) and _OFFICE.search(office):
        return [("name", name), ("office", office)]
    if _PLACE.match(line) and not _OFFICE.search(line):
        return [("place", line)]
    if _OFFICE.search(line):
        return [("office", line)]
    if _NAME.match(line):
        return [("name", line)]
    return []


def _visible_header(lines: list[str], at: int | None) -> tuple[list[tuple[str, str]], set[str]]:
    """Header lines shown around the headline, in page order: a kind line just above it, then the
    run below it (noise and up to two other short lines between header lines are kept as they are;
    the header parser skips what it does not understand)."""
    if at is None:
        return [], set()
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines[max(0, at - 3):at]:
        if line.lower() in KIND_LINES:
            found, seen = [("kind", line)], {line}
    passed: list[str] = []
    for line in lines[at + 1:at + 16]:
        roles = _classify(line)
        if roles:
            found += [("other", p) for p in passed] + roles
            seen.update([*passed, line])
            passed = []
        elif _NOISE.match(line) or (len(passed) < 2 and len(line) <= 60 and not line.endswith((":", "."))):
            passed.append(line)
        else:
            break
    return found, seen


def _body(xml: str | None) -> list[str]:
    if not xml:
        return []
    if (main := etree.fromstring(xml.encode("utf-8")).find("main")) is None:
        return []
    for lb in main.iter("lb"):
        lb.tail = "\u2028" + (lb.tail or "")
    blocks = [el for el in main.iter("p", "head", "item", "quote")
              if not any(a.tag in ("p", "head", "item", "quote") for a in el.iterancestors())]
    texts = ["".join(el.itertext()) for el in blocks] or ["".join(main.itertext())]
    return [p for p in ("\n".join(_norm(s) for s in t.split("\u2028")).strip() for t in texts) if p]


def _complete(found: list[tuple[str, str]], meta: dict[str, str], ld: dict[str, object]) -> None:
    """Add the metadata's date and author when the page shows none."""
    roles = {role for role, _ in found}
    published = (meta.get("article:published_time") or meta.get("date") or meta.get("dcterms.date")
                 or meta.get("dc.date") or meta.get("dc.date.issued") or ld.get("datePublished"))
    if "date" not in roles and isinstance(published, str) and published.strip():
        found.append(("date", _written_date(published.strip())))
    if "name" not in roles:  # the JSON-LD author goes where a byline would be: after the kind
        raw = ld.get("author")
        authors = [(str(a.get("@type", "Person")), _norm(str(a.get("name", "")))) if isinstance(a, dict)
                   else ("Person", _norm(str(a))) for a in (raw if isinstance(raw, list) else [raw]) if a]
        people = [("name", n) for t, n in authors if t == "Person" and n]
        pos = 1 if found and found[0][0] == "kind" else 0
        found[pos:pos] = people or [("office", n) for _, n in authors[:1] if n and "office" not in roles]


def parse_html(data: bytes, source: str, url: str | None = None, name: str | None = None,
               *, charset: str | None = None) -> Document:
    """Parse the bytes of one HTML page (``charset``: from the HTTP headers, when known)."""
    text = _XML_DECL.sub("", _decode(data, source, charset), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(source, f"cannot be parsed as HTML: {exc}") from exc
    meta, ld = _meta(root), _json_ld(root)
    pruned = copy.deepcopy(root)
    etree.strip_elements(pruned, etree.Comment, etree.ProcessingInstruction, *_SKIP, with_tail=False)
    for el in pruned.xpath("//*[@role='navigation' or @role='banner' or @role='contentinfo']"):
        el.drop_tree()
    sites = {s.lower() for s in (meta.get("og:site_name"), meta.get("application-name")) if s}
    h1s = [h for h in pruned.iter("h1") if _norm(h.text_content())]
    candidates = [ld.get("headline"), ld.get("name"), meta.get("og:title"), meta.get("twitter:title"),
                  h1s[0].text_content() if h1s else None, root.findtext(".//title")]
    titles = [_strip_site(_norm(c), sites) for c in candidates if isinstance(c, str) and _norm(c)]
    if not titles:
        raise DocumentError(source, "no title: the page has no headline, og:title or <title>")
    title = titles[0]
    h1 = next((h for h in h1s if _strip_site(_norm(h.text_content()), sites).lower() == title.lower()),
              h1s[0] if h1s else None)
    lines, at = _page_lines(pruned, h1)
    if at is None:
        at = next((i for i, line in enumerate(lines) if line.lower() == title.lower()), None)
    found, shown = _visible_header(lines, at)
    trafilatura, config = _trafilatura()
    paragraphs = _body(trafilatura.extract(
        pruned, output_format="xml", favor_precision=True, include_comments=False, include_tables=False,
        include_links=False, include_images=False, config=config))
    repeated = {title.lower(), *(s.lower() for s in shown), *(t.lower() for _, t in found)}
    while paragraphs and (paragraphs[0].lower() in repeated or paragraphs[0].lower() in KIND_LINES):
        paragraphs.pop(0)
    if not paragraphs:
        raise DocumentError(source, "no main content: the page has no body text")
    _complete(found, meta, ld)
    page_url = url or meta.get("og:url") or meta.get("canonical") or ld.get("url")
    return Document(source=source, name=name or Path(source).name, sha256=hashlib.sha256(data).hexdigest(),
                    title=title, header=tuple(text for _, text in found), paragraphs=tuple(paragraphs),
                    url=page_url.strip() if isinstance(page_url, str) and page_url.strip() else None)
