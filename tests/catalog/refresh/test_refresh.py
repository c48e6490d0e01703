"""A refresh end to end over the fixtures: the overlay files, their index, and what `check` would then price."""

from __future__ import annotations

import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from infrafit.catalog.lookup import Catalog
from infrafit.catalog.refresh import default_out, refresh
from infrafit.catalog.refresh.overlay import merge
from infrafit.catalog.refresh.run import packaged_raw
from infrafit.errors import InputError

from .conftest import FIXTURES

D = Decimal


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_overlay_files_and_index(tmp_path: Path) -> None:
    result = refresh("aws", [FIXTURES / "aws"], out=tmp_path)
    doc = read(tmp_path / "aws.yaml")
    index = read(tmp_path / "overlay.yaml")
    assert index["format"] == 1
    entry = index["providers"]["aws"]
    assert str(entry["published"]) == "2026-11-05"  # the newest publicationDate read (AWSDataTransfer)
    assert entry["version"] == "20261105000000"
    assert (
        "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json"
        in entry["sources"]
    )
    assert {
        "fact": "services.ec2.types.t3.nano.hourly",
        "reason": "not refreshed: regions missing: us-east-1 (no price read, see above)",
    } in entry["missing"]
    assert set(entry["unmatched"]) == {"ec2.t3.nano.us-east-1", "ec2.t3.2xlarge.ap-northeast-2"}
    # the retired type is not in the overlay: the packaged fact stays as it was
    assert "t3.nano" not in doc["services"]["ec2"]["types"]
    small = doc["services"]["ec2"]["types"]["t3.small"]
    assert small["hourly"] == {"us-east-1": "0.021", "ap-northeast-2": "0.026"}
    assert small["evidence"] == "price_list" and str(small["as_of"]) == "2026-11-01"
    # each refreshed fact carries its own source, date and grade
    gp3 = doc["services"]["ebs"]["meters"]["storage"]["price"]["types"]["gp3"]["regions"]["eu-west-1"]
    assert gp3["usd"] == "0.088" and gp3["evidence"] == "price_list"
    assert gp3["source"].endswith("/AmazonEC2/20261101000000/eu-west-1/index.json")
    assert not list(tmp_path.glob(".*.tmp"))  # written through temporary files, none left behind
    assert [p.name for p in result.files] == ["aws.yaml", "overlay.yaml"]


def test_the_merged_catalog_prices_with_the_new_figures(tmp_path: Path) -> None:
    refresh("aws", [FIXTURES / "aws"], out=tmp_path)
    merged = merge(packaged_raw("aws"), read(tmp_path / "aws.yaml"))
    catalog = Catalog.from_data({"aws": merged})
    _, ec2 = catalog.service("aws.ec2")
    assert ec2.types["t3.small"].hourly["us-east-1"] == D("0.021")
    _, s3 = catalog.service("aws.s3")
    assert s3.meters["class_b"].price is not None and s3.meters["class_b"].price.usd == D("0.00044")


def test_a_second_provider_keeps_the_first_in_the_index(tmp_path: Path) -> None:
    refresh("aws", [FIXTURES / "aws"], out=tmp_path)
    refresh("gcp", [FIXTURES / "gcp"], out=tmp_path)
    assert set(read(tmp_path / "overlay.yaml")["providers"]) == {"aws", "gcp"}
    assert (tmp_path / "aws.yaml").exists() and (tmp_path / "gcp.yaml").exists()


def test_a_partial_refresh_keeps_what_an_earlier_one_wrote(tmp_path: Path) -> None:
    refresh("aws", [FIXTURES / "aws"], out=tmp_path)
    result = refresh("aws", [FIXTURES / "aws" / "AmazonS3-us-east-1.json"], out=tmp_path)
    doc = read(tmp_path / "aws.yaml")
    assert doc["services"]["ec2"]["types"]["t3.small"]["hourly"]["us-east-1"] == "0.021"  # from the first run
    assert result.had_overlay
    # compared with the earlier overlay, S3's class B price no longer moves
    assert {w.fact: w.status for w in result.written}["services.s3.meters.class_b.price"] == "unchanged"
    assert len(result.not_covered) == 43  # 46 rules, 3 of them on AmazonS3


def test_default_out_is_the_user_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_out() == tmp_path / "xdg" / "infrafit" / "catalog"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_out() == tmp_path / "home" / ".config" / "infrafit" / "catalog"


def test_without_fetch_nothing_touches_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a refresh without --fetch opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = refresh("gcp", [FIXTURES / "gcp"], out=tmp_path, examples=Path("examples"))
    assert result.count("changed") > 0


def test_inputs_are_required_and_must_match_the_provider(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--from FILE_OR_DIR"):
        refresh("aws", [], out=tmp_path)
    with pytest.raises(InputError, match="a gcp price list, not aws"):
        refresh("aws", [FIXTURES / "gcp" / "pubsub.json"], out=tmp_path)
    with pytest.raises(InputError, match="did you mean aws"):
        refresh("awz", [FIXTURES / "aws"], out=tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": [1, 2]}')
    with pytest.raises(InputError, match="not a price-list file"):
        refresh("aws", [bad], out=tmp_path)
    assert not (tmp_path / "aws.yaml").exists()


def test_example_plans_before_and_after(tmp_path: Path) -> None:
    result = refresh("aws", [FIXTURES / "aws"], out=tmp_path, examples=Path("examples"))
    effects = {e.plan: e for e in result.effects}
    assert "seed004-aws.yaml" in effects
    assert all(e.error is None for e in effects.values())
    assert "seed004-gcp.yaml" not in effects  # no AWS resource: its total cannot move


def test_an_offer_file_older_than_its_region_index_is_a_warning(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "ec2.json").write_bytes((FIXTURES / "aws" / "AmazonEC2-us-east-1.json").read_bytes())
    index = (FIXTURES / "aws" / "AmazonEC2-region_index.json").read_text()
    (lists / "region_index.json").write_text(index.replace("20261101000000/us-east-1", "20261201000000/us-east-1"))
    result = refresh("aws", [lists], out=tmp_path / "out")
    assert result.warnings == [
        f"{lists / 'ec2.json'}: AmazonEC2 us-east-1 is version 20261101000000, but the region index lists "
        "20261201000000; download the current file"
    ]
    assert refresh("aws", [FIXTURES / "aws"], out=tmp_path / "out2").warnings == []  # the fixtures agree


def test_the_packaged_catalog_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from infrafit.catalog.loader import data_dir

    with pytest.raises(InputError, match="the catalog folder itself"):
        refresh("aws", [FIXTURES / "aws"], out=data_dir())
    copy = tmp_path / "catalog"
    copy.mkdir()
    (copy / "aws.yaml").write_text((data_dir() / "aws.yaml").read_text())
    with pytest.raises(InputError, match="a whole provider file, not an overlay"):
        refresh("aws", [FIXTURES / "aws"], out=copy)


def test_of_two_copies_of_a_list_the_newest_version_wins(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    current = (FIXTURES / "aws" / "AmazonS3-us-east-1.json").read_text()
    (lists / "new.json").write_text(current)
    old = current.replace("20261102000000", "20260101000000").replace('"0.0000004400"', '"0.0000009900"')
    (lists / "old.json").write_text(old)
    result = refresh("aws", [lists], out=tmp_path / "out")
    class_b = next(w for w in result.written if w.fact == "services.s3.meters.class_b.price")
    assert class_b.new == ((None, D("0.00044")),)  # 0.00000044 x 1,000 from version 20261102000000
    assert "20261102000000" in class_b.source
