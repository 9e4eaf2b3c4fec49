"""Generate ontology/schemaorg-context.jsonld, an offline stand-in for the schema.org JSON-LD context.

Documents that say ``"@context": "https://schema.org/"`` (or ``http://schema.org/``) can then be
expanded and compacted with PyLD without touching the network: the project's document loader
serves this file for those two URLs.

The term list is rdflib's bundled schema.org namespace (``rdflib.namespace.SDO``); every
property (a term with a lower-case initial) gets ``{"@id": "schema:TERM"}``. Classes need no entry:
``@vocab`` maps them. As in the context served by schema.org, properties whose range includes URL
(and not Text) are coerced to IRIs (``"@type": "@id"``) and properties whose range includes Date
are typed ``schema:Date``. rdflib carries no ranges, so those two sets are fixed lists below.
IRIs are on ``http://schema.org/``, as in the official context.

Run from the repository root (output is deterministic; rerun after upgrading rdflib):

    .venv/bin/python ontology/make_schemaorg_context.py [OUTPUT]

OUTPUT defaults to ontology/schemaorg-context.jsonld next to this script.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

from rdflib.namespace import SDO

SCHEMA = "http://schema.org/"

#: properties whose schema.org range includes URL but not Text: values are IRIs
URL_PROPERTIES: frozenset[str] = frozenset(
    """
    acquireLicensePage actionableFeedbackPolicy additionalType afterMedia archivedAt beforeMedia
    benefitsSummaryUrl codeRepository colleague contentUrl correctionsPolicy discussionUrl
    diversityPolicy diversityStaffingReport documentation downloadUrl duringMedia embedUrl
    ethicsPolicy gameLocation hasMap healthPlanMarketingUrl image inCodeSet inDefinedTermSet
    installUrl isBasedOn isBasedOnUrl labelDetails license logo mainEntityOfPage map maps masthead
    missionCoveragePrioritiesPolicy noBylinesPolicy paymentUrl prescribingInfo
    publishingPrinciples relatedLink replyToUrl sameAs screenshot sdLicense serviceUrl
    significantLink significantLinks speakable targetUrl thumbnailUrl trackingUrl
    unnamedSourcesPolicy url usageInfo verificationFactCheckingPolicy
    """.split()
)

#: properties whose schema.org range includes Date (temporalCoverage is Text/DateTime/URL: not here)
DATE_PROPERTIES: frozenset[str] = frozenset(
    """
    availabilityEnds availabilityStarts birthDate commentTime dateCreated dateDeleted dateIssued
    dateModified datePosted datePublished dateRead dateVehicleFirstRegistered deathDate
    dissolutionDate endDate exceptDate expectedArrivalFrom expectedArrivalUntil expires
    foundingDate guidelineDate lastReviewed legislationDate legislationDateVersion modelDate
    orderDate paymentDueDate previousStartDate priceValidUntil productionDate purchaseDate
    releaseDate scheduledPaymentDate sdDatePublished startDate uploadDate validFrom validThrough
    validUntil vehicleModelDate
    """.split()
)


def property_terms() -> list[str]:
    """Every schema.org property name rdflib knows, sorted."""
    names = inspect.get_annotations(SDO)  # the same mapping as SDO.__annotations__
    return sorted(n for n in names if n[:1].islower())


def build_context(terms: list[str]) -> dict[str, object]:
    """The context document for the given property names."""
    unknown = sorted((URL_PROPERTIES | DATE_PROPERTIES) - set(terms))
    if unknown:
        raise ValueError(f"not schema.org properties in this rdflib: {', '.join(unknown)}")
    context: dict[str, object] = {
        "@vocab": SCHEMA,
        "id": "@id",
        "schema": SCHEMA,
        "type": "@type",
    }
    for term in terms:
        definition = {"@id": f"schema:{term}"}
        if term in URL_PROPERTIES:
            definition["@type"] = "@id"
        elif term in DATE_PROPERTIES:
            definition["@type"] = "schema:Date"
        context[term] = definition
    return {"@context": context}


def main(argv: list[str]) -> int:
    """Write the context file; return the process exit status."""
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("schemaorg-context.jsonld")
    terms = property_terms()
    text = json.dumps(build_context(terms), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(terms)} properties)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
