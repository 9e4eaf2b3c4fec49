"""Long listings split by period: the statements that refer to a party, and the statements by date.

In a large corpus a few parties are referred to by most statements (the United States, in a State
Department archive): one document listing every statement that refers to it runs to a hundred
megabytes at 100,000 statements, and so does its page. Past :data:`LISTING_MAX` statements such a
listing is split by the statements' dates: one listing per year, or per month when a year alone
holds more than :data:`LISTING_MAX`. The party's document and page then list those periods — each a
resource of its own, ``refs/{type}/{slug}/{period}`` (see :meth:`communique.iris.IRIs.references`)
with a Turtle, N-Triples, JSON-LD and HTML document — instead of the statements; ``index/date.html``
likewise lists periods, each with a page ``index/date/{period}.html``.

A period's listing depends only on the statements of that period, and which periods there are only
on the dates of the statements that refer to the party: the documents and pages are the same
whatever the order they are written in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

__all__ = ["LISTING_MAX", "UNDATED", "Granularity", "Period", "granularity", "newest_first", "period_label",
           "period_of", "split", "too_many"]

#: the most statements one listing holds before it is split by period
LISTING_MAX = 500
#: the period of statements without a date
UNDATED = "undated"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

Granularity = Literal["year", "month"]
T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """One period of a split listing, as the listing of periods shows it."""

    key: str  #: ``yyyy``, ``yyyy-mm`` or :data:`UNDATED`
    label: str  #: "2019", "January 2019", "undated"
    count: int  #: the statements it lists
    path: str  #: the site path of its listing, without suffix


def period_of(date: str | None, by: Granularity) -> str:
    """The period (``yyyy`` or ``yyyy-mm``) of an ISO date, or :data:`UNDATED`."""
    if not date or len(date) < 7 or not date[:4].isdigit():
        return UNDATED
    return date[:4] if by == "year" else date[:7]


def too_many(count: int) -> bool:
    """Whether ``count`` items are more than one listing holds (:data:`LISTING_MAX`)."""
    return count > LISTING_MAX


def granularity(dates: Collection[str | None], limit: int | None = None) -> Granularity | None:
    """How a listing of statements of these dates is split: None (it is not: at most ``limit``,
    default :data:`LISTING_MAX`, statements), by year, or by month when a year holds more."""
    limit = LISTING_MAX if limit is None else limit
    if len(dates) <= limit:
        return None
    per_year = Counter(period_of(d, "year") for d in dates)
    return "year" if max(per_year.values()) <= limit else "month"


def period_label(key: str) -> str:
    """"2019", "January 2019" or "undated"."""
    if key == UNDATED or len(key) != 7:
        return key
    return f"{_MONTHS[int(key[5:]) - 1]} {key[:4]}"


def split(items: Iterable[T], date: Callable[[T], str | None], by: Granularity) -> dict[str, list[T]]:
    """``items`` by period, newest period first (undated last), each in the order given."""
    found: dict[str, list[T]] = defaultdict(list)
    for item in items:
        found[period_of(date(item), by)].append(item)
    return {key: found[key] for key in newest_first(found)}


def newest_first(keys: Iterable[str]) -> list[str]:
    """Periods, newest first, :data:`UNDATED` last."""
    keys = set(keys)
    return sorted(keys - {UNDATED}, reverse=True) + ([UNDATED] if UNDATED in keys else [])
