"""Rule files: validated, every problem located in its file with a line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from infrafit.catalog.refresh.rules import load_rules, split_fact
from infrafit.catalog.refresh.run import packaged_raw
from infrafit.errors import InputError


@pytest.mark.parametrize("provider", ["aws", "gcp"])
def test_packaged_rules_name_real_facts(provider: str) -> None:
    rules = load_rules(provider, catalog=packaged_raw(provider))
    assert len({r.id for r in rules}) == len(rules)


def test_type_names_with_dots_stay_whole() -> None:
    assert split_fact("services.ec2.types.t3.small.hourly.us-east-1") == (
        "services",
        "ec2",
        "types",
        "t3.small",
        "hourly",
        "us-east-1",
    )
    assert split_fact("services.ebs.meters.storage.price.types.gp3.regions.us-east-1") == (
        "services",
        "ebs",
        "meters",
        "storage",
        "price",
        "types",
        "gp3",
        "regions",
        "us-east-1",
    )


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "aws.yaml"
    path.write_text("format: 1\nprovider: aws\nrules:\n" + body, encoding="utf-8")
    return path


def test_a_missing_field_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - id: x\n    fact: services.ec2.types.t3.small.hourly.us-east-1\n    offer: AmazonEC2\n"
        "    region: us-east-1\n    match: {family: Compute Instance}\n",
    )
    with pytest.raises(InputError) as caught:
        load_rules("aws", path)
    text = str(caught.value)
    assert f"{path}:4:" in text and "rules.0.unit" in text and "Field required" in text


def test_a_rule_needs_match_or_sum(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {id: x, fact: services.s3.meters.storage.price, offer: AmazonS3, region: us-east-1, unit: GB-Mo}\n",
    )
    with pytest.raises(InputError, match="either `match`"):
        load_rules("aws", path)


def test_an_unknown_service_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {id: x, fact: services.ec3.types.t3.small.hourly.us-east-1, offer: AmazonEC2,"
        " region: us-east-1, unit: Hrs, match: {family: Compute Instance}}\n",
    )
    with pytest.raises(InputError) as caught:
        load_rules("aws", path, packaged_raw("aws"))
    assert f"{path}:4:" in str(caught.value) and "did you mean ec2?" in str(caught.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    rule = (
        "  - {id: x, fact: services.s3.meters.storage.price, offer: AmazonS3, region: us-east-1, unit: GB-Mo,"
        " match: {family: Storage}}\n"
    )
    with pytest.raises(InputError, match="used twice"):
        load_rules("aws", write(tmp_path, rule + rule))


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {id: x, fact: services.s3.meters.storage.price, offer: AmazonS3, region: us-east-1,"
        " unit: GB-Mo, match: {family: Storage}, regoin: x}\n",
    )
    with pytest.raises(InputError, match="Extra inputs are not permitted"):
        load_rules("aws", path)


def test_a_rule_may_say_where_its_filter_was_confirmed(tmp_path: Path) -> None:
    body = (
        "  - {id: x, fact: services.s3.meters.storage.price, offer: AmazonS3, region: us-east-1, unit: GB-Mo,"
        " match: {family: Storage}, source: 'https://example.org/offer-fixture.json'}\n"
        "  - {id: y, fact: services.s3.meters.class_a.price, offer: AmazonS3, region: us-east-1, unit: Requests,"
        " match: {family: API Request}}\n"
    )
    rules = load_rules("aws", write(tmp_path, body))
    assert [r.source for r in rules] == ["https://example.org/offer-fixture.json", None]  # optional
