"""The fact walk behind `catalog audit` finds every cited fact of the packaged catalog, once, where it sits."""

from __future__ import annotations

from typing import Any

import pytest

from infrafit.catalog.loader import load_provider, load_provider_raw, provider_names
from infrafit.catalog.walk import provider_facts


def cited(data: Any, top: bool = True) -> list[dict[str, Any]]:
    """Every mapping below the top that carries a ``source``: the facts, counted in the raw file."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if "source" in data and not top:
            found.append(data)
        for value in data.values():
            found += cited(value, False)
    elif isinstance(data, list):
        for value in data:
            found += cited(value, False)
    return found


@pytest.mark.parametrize("provider", provider_names())
def test_every_cited_mapping_of_a_provider_file_is_one_fact(provider: str) -> None:
    raw = cited(load_provider_raw(provider))
    facts = provider_facts(load_provider(provider))
    assert len(facts) == len(raw)
    assert sorted(f.source for f in facts) == sorted(str(m["source"]) for m in raw)


def test_paths_kinds_and_labels_name_where_a_fact_sits() -> None:
    facts = {f.dotted: f for f in provider_facts(load_provider("aws"))}
    small = facts["services.ec2.types.t3.small"]
    assert (small.kind, small.label) == ("type", "aws.ec2 types t3.small")
    assert facts["services.ec2.types.t3.small.max_pods"].kind == "pods per node"
    assert facts["quotas.ec2.standard_vcpu"].kind == "quota"
    assert facts["bytes"].kind == "byte convention"
    notes = [f for f in facts.values() if f.kind == "note" and f.path[:2] == ("services", "ec2")]
    assert notes and all(f.label.split()[-1] == f.record.code for f in notes)  # named by code, not position
