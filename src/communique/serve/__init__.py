"""``communique serve``: every IRI of the publication dereferenced over HTTP, and a read-only
SPARQL 1.1 Protocol endpoint over the store.

- ``app``: the Starlette application factory :func:`create_app`;
- ``backend``: the store behind the server (:class:`Backend`): embedded, or a remote endpoint;
- ``documents``: the published folder (documents, resources, redirects, withdrawn paths);
- ``negotiation``: the ``Accept`` parser and the choice among offers;
- ``protocol``: the SPARQL 1.1 Protocol on the wire, the service description;
- ``sparql``: running a query under the time and size limits, result formats;
- ``pages``: the HTML pages (not found, gone, query form and results).
"""

from __future__ import annotations

from .app import create_app
from .backend import Backend, EmbeddedBackend

__all__ = ["Backend", "EmbeddedBackend", "create_app"]
