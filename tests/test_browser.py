"""A statement page in a real headless browser (Debian's Chromium; skipped where it is not
installed — .ci/run installs it): the page renders, its evidence is highlighted, its schema.org
JSON-LD survives the browser's parsing intact."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
PAGE = ROOT / "lod" / "statement" / "2019" / "01" / "23" / "continuing-us-diplomatic-presence-in-venezuela.html"


class _DOM(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self._in, self.marks = "mark", self.marks + [""]
        elif tag == "script" and ("type", "application/ld+json") in attrs:
            self._in, self.scripts = "script", self.scripts + [""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("mark", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "mark":
            self.marks[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data


def test_statement_page_in_a_headless_browser(tmp_path: Path) -> None:
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", PAGE.as_uri()],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    dom = _DOM()
    dom.feed(result.stdout)
    assert any(m.startswith("The United States does not recognize the Maduro regime") for m in dom.marks)
    [script] = dom.scripts
    data = json.loads(script)
    assert data["headline"] == "Continuing U.S. Diplomatic Presence in Venezuela"
    assert data["@type"] == "NewsArticle"
