"""Configuration for serving the static site with content negotiation: Apache ``.htaccess`` and an
nginx include. Both give what ``communique serve`` gives for resource IRIs: ``303 See Other`` to the
document in the requested format (HTML by default), ``Vary: Accept``, CORS for reads, and redirects
from the IRIs described inside a statement's document (annotations, attributions, activities,
sources) to that document. Neither server weighs q-values: the first listed RDF type that appears
in ``Accept`` wins, else HTML.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["write_hosting", "KEY_REDIRECTS"]

#: (media type, suffix) in the order the servers test them
_TYPES = (("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"))
_SUFFIX = r"(?:-m?\d+(?:-(?:target|quote|position))?|-(?:extraction|curation))"
#: (regex relative to the base path, statement path) for the IRIs described inside a statement's
#: document: its key ``{date}-{slug}`` spells the statement's path (full date, month, undated)
KEY_REDIRECTS = tuple(
    (rf"(?:annotation|attribution|activity)/{date}-(.+?){_SUFFIX}$", target)
    for date, target in ((r"(\d{4})-(\d{2})-(\d{2})", "statement/$1/$2/$3/$4"),
                         (r"(\d{4})-(\d{2})", "statement/$1/$2/$3"),
                         (r"(undated)", "statement/$1/$2"))
) + tuple(
    (rf"source/{date}-(.+)$", target)
    for date, target in ((r"(\d{4})-(\d{2})-(\d{2})", "statement/$1/$2/$3/$4"),
                         (r"(\d{4})-(\d{2})", "statement/$1/$2/$3"),
                         (r"(undated)", "statement/$1/$2"))
)

_HTACCESS = """# Communiqué: content negotiation for the static site (Apache 2.4, mod_rewrite and mod_headers).
Options -MultiViews
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/n-quads .nq
AddType application/rdf+xml .rdf
AddCharset utf-8 .ttl .jsonld .nt .nq .html
Header set Access-Control-Allow-Origin "*"
Header merge Vary Accept
RewriteEngine On
RewriteBase {prefix}
# IRIs described inside a statement's document
{redirects}# resource IRIs: 303 to the document in the requested format
{conneg}RewriteCond %{{REQUEST_FILENAME}}.html -f
RewriteRule ^(.+)$ $1.html [R=303,L]
DirectoryIndex index.html
ErrorDocument 404 {prefix}index.html
"""

_NGINX = """# Communiqué: include this file in the http {{ }} block of nginx.conf and set the root below.
types {{
    text/html html;
    text/turtle ttl;
    application/ld+json jsonld;
    application/n-triples nt;
    application/n-quads nq;
    application/xml xml;
    text/plain txt;
    application/gzip gz;
}}
map $http_accept $communique_ext {{
    default html;
{maps}}}
server {{
    listen 80;
    root /srv/communique/lod;
    charset utf-8;
    charset_types text/turtle application/ld+json application/n-triples application/n-quads;
    add_header Access-Control-Allow-Origin "*" always;
    add_header Vary Accept always;
{redirects}    location = {prefix}.well-known/void {{
        default_type text/turtle;
    }}
    location {prefix} {{
        if (-f $request_filename.$communique_ext) {{
            return 303 $uri.$communique_ext;
        }}
        try_files $uri $uri/index.html =404;
    }}
}}
"""


def write_hosting(out: Path, base: str) -> list[str]:
    """Write ``.htaccess`` and ``nginx.conf`` for the site's base path."""
    prefix = urlsplit(base).path or "/"
    escaped = [(t.replace("+", "\\+"), ext) for t, ext in _TYPES]
    conneg = "".join(f"RewriteCond %{{HTTP_ACCEPT}} {t}\nRewriteCond %{{REQUEST_FILENAME}}.{ext} -f\n"
                     f"RewriteRule ^(.+)$ $1.{ext} [R=303,L]\n" for t, ext in escaped)
    maps = "".join(f"    ~*{t} {ext};\n" for t, ext in escaped)
    apache = "".join(f"RewriteRule ^{rx} {target} [R=303,L]\n" for rx, target in KEY_REDIRECTS)
    nginx = "".join(f'    location ~ "^{prefix}{rx}" {{\n        return 303 {prefix}{target};\n    }}\n'
                    for rx, target in KEY_REDIRECTS)  # quoted: the regexes contain braces
    (out / ".htaccess").write_text(_HTACCESS.format(prefix=prefix, conneg=conneg, redirects=apache),
                                   encoding="utf-8")
    (out / "nginx.conf").write_text(_NGINX.format(prefix=prefix, maps=maps, redirects=nginx), encoding="utf-8")
    return [".htaccess", "nginx.conf"]
