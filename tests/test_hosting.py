"""publish/hosting.py: the generated nginx configuration, run by a real nginx on loopback
(skipped where nginx is not installed; .ci/run installs it)."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from communique.pipeline import build
from communique.store import GraphStore

from .conftest import DATA

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    site = tmp / "lod"
    store = GraphStore(tmp / "store")
    build([DATA], out=site, base=f"http://127.0.0.1:{port}/", store=store)
    include = (site / "nginx.conf").read_text(encoding="utf-8")
    include = include.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/communique/lod", str(site))
    (tmp / "site.conf").write_text(include, encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\naccess_log off;\n{temp}include {tmp}/site.conf;\n}}\n",
        encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port, store
    proc.terminate()
    proc.wait(timeout=10)


def _get(port: int, path: str, accept: str = "text/html") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response


@pytest.mark.parametrize(("accept", "suffix", "media"), [
    ("text/html", ".html", "text/html"),
    ("text/turtle", ".ttl", "text/turtle"),
    ("application/ld+json", ".jsonld", "application/ld+json"),
    ("application/n-triples", ".nt", "application/n-triples"),
])
def test_resource_iris_redirect_to_the_negotiated_document(nginx, accept: str, suffix: str, media: str) -> None:  # type: ignore[no-untyped-def]
    port, store = nginx
    statement = store.statement_names()[0]
    path = statement.split(f":{port}", 1)[1]
    response = _get(port, path, accept)
    assert response.status == 303
    assert response.getheader("Location").endswith(path + suffix)
    assert "Accept" in (response.getheader("Vary") or "")
    document = _get(port, path + suffix, accept)
    assert document.status == 200 and document.getheader("Content-Type").startswith(media)
    assert document.getheader("Access-Control-Allow-Origin") == "*"


def test_evidence_iris_redirect_to_their_statement(nginx) -> None:  # type: ignore[no-untyped-def]
    port, store = nginx
    statement = store.statement_names()[0]
    path = statement.split(f":{port}", 1)[1]
    key = "-".join(path.split("/")[2:5]) + "-" + path.rsplit("/", 1)[1]
    for iri in (f"/annotation/{key}-1-quote", f"/annotation/{key}-m2", f"/activity/{key}-extraction",
                f"/attribution/{key}-1", f"/source/{key}"):
        response = _get(port, iri)
        assert response.status == 303, iri
        assert response.getheader("Location").endswith(path), iri


def test_site_files_and_unknown_paths(nginx) -> None:  # type: ignore[no-untyped-def]
    port, _ = nginx
    assert _get(port, "/").status == 200
    assert _get(port, "/sitemap.xml").status == 200
    assert _get(port, "/.well-known/void").getheader("Content-Type").startswith("text/turtle")
    assert _get(port, "/id/person/nobody-at-all").status == 404
