"""The digest of what a page is rendered from: equal inputs, equal text; any difference, another."""

from __future__ import annotations

from collections import defaultdict

import pytest
from markupsafe import Markup
from rdflib import Literal, URIRef

from communique.publish.pagerecord import _Encoder
from communique.publish.pages import Link, Summary


def encode(value: object) -> str:
    return _Encoder().encode(value)


def test_sets_and_dicts_in_any_order_are_the_same() -> None:
    assert encode({"b", "a", "c"}) == encode({"c", "a", "b"})
    assert encode({"x": 1, "y": {2, 1}}) == encode({"y": {1, 2}, "x": 1})
    roles: defaultdict[str, set[str]] = defaultdict(set)
    roles["p"] |= {"speaker", "recognized"}
    assert encode(Summary(Link("a", "p"), "2019", None, [], roles)) \
        == encode(Summary(Link("a", "p"), "2019", None, [], {"p": {"recognized", "speaker"}}))


@pytest.mark.parametrize("one, two", [
    ("1", 1), ("a", Markup("a")), (URIRef("http://x/"), Literal("http://x/")), (Literal("1"), Literal(1)),
    ([1, 2], [2, 1]), ((), None), (Link("a", "p"), Link("a", "q")), ({"a": "b"}, {"ab": ""}), (["a,b"], ["a", "b"]),
])
def test_values_that_differ_are_told_apart(one: object, two: object) -> None:
    assert encode(one) != encode(two)


def test_a_value_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(TypeError, match="object"):
        encode({"page": object()})


def test_a_dataclass_is_encoded_once_and_held() -> None:
    """Its id cannot be given to another object while the encoder remembers its text."""
    encoder = _Encoder()
    first = encoder.encode(Link("one", "p"))
    assert all(encoder.encode(Link("two", "p")) != first for _ in range(100))


def test_a_sealed_summary_encodes_as_it_did_and_keeps_its_digest_through_pickling() -> None:
    import pickle

    from communique.publish.pagerecord import seal

    summary = Summary(Link("a", "p"), "2019-01-23", "Press statement", [(Link("Pompeo", "id/person/p"), None)],
                      {"id/country/ve": {"mentioned"}})
    before = encode([summary])
    seal(summary)
    assert encode([summary]) == before
    copy = pickle.loads(pickle.dumps(summary))  # as a piece comes back from a worker or the record
    assert encode([copy]) == before and copy == summary  # the digest is no field: equality is as before
    other = Summary(Link("b", "p"), "2019-01-23", "Press statement", [(Link("Pompeo", "id/person/p"), None)],
                    {"id/country/ve": {"mentioned"}})
    seal(other)
    assert encode([other]) != before
