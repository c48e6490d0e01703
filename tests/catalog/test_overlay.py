"""A catalog overlay (refreshed facts over the packaged catalog): which one applies, what it changes, and how
every report says so."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.catalog import overlay as ov
from infrafit.catalog.loader import data_dir
from infrafit.catalog.lookup import Catalog
from infrafit.cli import app
from infrafit.engine.evaluate import evaluate
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

D = Decimal
PRICE_LIST = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json"
NEW_T3_SMALL = D("0.0300")

MANIFEST = """\
format: 1
providers:
  aws:
    refreshed: 2026-11-20
    published: 2026-11-01
    version: "20261101000000"
    sources: [{url}]
    missing:
      - {{fact: services.ec2.types.t3.nano.hourly.us-east-1, reason: retired from the price list}}
    unmatched: [ec2-t2-nano]
"""

AWS = """\
services:
  ec2:
    types:
      t3.small:
        hourly: {{us-east-1: "{price}", ap-northeast-2: "0.026"}}
        source: {url}
        as_of: 2026-11-01
        evidence: price_list
"""

T3_SMALL_PLAN = "name: one-node\nfree_tier: false\nresources:\n  node: {service: aws.ec2, type: t3.small}\n"


def write_overlay(directory: Path, aws: str | None = None, manifest: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "overlay.yaml").write_text(manifest or MANIFEST.format(url=PRICE_LIST))
    (directory / "aws.yaml").write_text(aws if aws is not None else AWS.format(price=NEW_T3_SMALL, url=PRICE_LIST))
    return directory


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def packaged_t3_small() -> Decimal:
    """The packaged us-east-1 price of a t3.small (a catalog fact, read from the packaged file)."""
    return Catalog(overlay=None).service("aws.ec2")[1].types["t3.small"].hourly["us-east-1"]


# --- which overlay applies -------------------------------------------------------------------------------


def test_precedence_flag_then_environment_then_config_directory_then_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag, env, config = (write_overlay(tmp_path / name) for name in ("flag", "env", "xdg/infrafit/catalog"))
    assert ov.overlay_dir() is None  # the test's config directory is empty: no overlay
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert ov.overlay_dir() == config
    monkeypatch.setenv(ov.OVERLAY_ENV, str(env))
    assert ov.overlay_dir() == env
    ov.select(flag)
    assert ov.overlay_dir() == flag
    ov.select(off=True)  # --no-overlay beats them all
    assert ov.overlay_dir() is None
    ov.select()
    monkeypatch.setenv(ov.OVERLAY_ENV, "none")  # the variable can turn the config directory's overlay off
    assert ov.overlay_dir() is None


def test_config_directory_without_a_manifest_is_no_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "infrafit" / "catalog").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert ov.overlay_dir() is None
    assert Catalog().overlay is None


def test_flag_and_no_overlay_contradict(tmp_path: Path) -> None:
    code, _, err = invoke("check", "examples/seed004-gcp.yaml", "--catalog", str(tmp_path), "--no-overlay")
    assert code == 2 and "contradict" in err


def test_a_catalog_directory_without_a_manifest_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = invoke("check", "examples/seed004-gcp.yaml", "--catalog", str(tmp_path))
    assert code == 2 and out == ""
    assert f"{tmp_path} has no overlay.yaml" in err and "catalog refresh --out" in err
    assert "Traceback" not in err


# --- what it changes --------------------------------------------------------------------------------------


def test_a_refreshed_price_moves_the_total_by_hours_times_the_change(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    plan = load_plan("one.yaml", text=T3_SMALL_PLAN)
    before = evaluate(plan, Catalog(overlay=None))
    after = evaluate(plan, Catalog(overlay=directory))
    # One t3.small for a 730-hour month: the total moves by 730 h × (new − packaged) $/h.
    assert after.total_monthly_cost - before.total_monthly_cost == D(730) * (NEW_T3_SMALL - packaged_t3_small())
    assert after.total_monthly_cost == D(730) * NEW_T3_SMALL  # 730 × 0.0300 = 21.90
    # The rest of the type stays as packaged (the merge is per mapping): vCPUs, memory, the other region.
    t3 = Catalog(overlay=directory).service("aws.ec2")[1].types["t3.small"]
    assert (t3.vcpu, t3.memory, t3.hourly["ap-northeast-2"]) == (D(2), "2GiB", D("0.026"))
    assert t3.source == PRICE_LIST and t3.as_of.isoformat() == "2026-11-01" and t3.evidence.value == "price_list"


def test_the_overlay_applies_over_a_replacement_catalog_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "catalog"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(copy))
    directory = write_overlay(tmp_path / "overlay")
    result = evaluate(load_plan("one.yaml", text=T3_SMALL_PLAN), Catalog(overlay=directory))
    assert result.total_monthly_cost == D(730) * NEW_T3_SMALL


def test_plan_overrides_apply_over_the_overlay(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    text = T3_SMALL_PLAN + "overrides:\n  aws.ec2:\n    types:\n      t3.small:\n        hourly: {us-east-1: '0.01'}\n"
    plan = load_plan("one.yaml", text=text)
    result = evaluate(plan, Catalog(plan.overrides, overlay=directory))
    assert result.total_monthly_cost == D("7.30")  # 730 × 0.01: the plan's own figure wins
    (override,) = result.overrides
    assert D(override.old) == NEW_T3_SMALL  # what it replaced is the overlay's figure


def test_a_gcp_plan_never_reads_the_aws_overlay_file(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay", aws="services: [unclosed\n")  # would fail if read
    code, out, err = invoke("check", "examples/seed004-gcp.yaml", "--catalog", str(directory), "-f", "json")
    assert code in (0, 1), err
    assert json.loads(out)["catalog_overlay"] == {"path": str(directory), "providers": {}}
    code, _, err = invoke("check", "examples/seed003-after.yaml", "--catalog", str(directory))
    assert code == 2 and f"{directory / 'aws.yaml'}:2:1: YAML syntax" in err


# --- every report says which overlay ------------------------------------------------------------------------


def test_json_and_terminal_name_the_overlay_and_the_price_list(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    plan = tmp_path / "plan.yaml"
    plan.write_text(T3_SMALL_PLAN)
    packaged = Catalog(overlay=None).provider("aws").as_of
    code, out, _ = invoke("check", str(plan), "--catalog", str(directory), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["catalog_overlay"] == {
        "path": str(directory),
        "providers": {"aws": {"published": "2026-11-01", "version": "20261101000000"}},
    }
    assert data["total_monthly_cost"] == pytest.approx(21.9)  # 730 × 0.0300
    code, out, _ = invoke("check", str(plan), "--catalog", str(directory), "--width", "200")
    assert f"catalog: packaged {packaged} + overlay {directory} (aws price list 2026-11-01)" in out
    code, out, _ = invoke("check", str(plan), "--catalog", str(directory), "-f", "markdown")
    assert f"catalog: packaged {packaged} + overlay {directory} (aws price list 2026-11-01)" in out
    code, out, _ = invoke("check", str(plan), "--catalog", str(directory), "-f", "html")
    assert f"overlay {directory} (aws price list 2026-11-01)" in out


def test_the_environment_variable_selects_the_overlay_for_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = write_overlay(tmp_path / "overlay")
    monkeypatch.setenv(ov.OVERLAY_ENV, str(directory))
    plan = tmp_path / "plan.yaml"
    plan.write_text(T3_SMALL_PLAN)
    code, out, _ = invoke("compare", str(plan), str(plan), "-f", "markdown")
    assert f"overlay {directory} (aws price list 2026-11-01)" in out
    code, out, _ = invoke("diff", str(plan), str(plan), "-f", "json")
    assert json.loads(out)["after"]["catalog_overlay"]["providers"]["aws"]["published"] == "2026-11-01"
    code, out, _ = invoke("check", str(plan), "--no-overlay", "-f", "json")
    assert code == 0
    assert json.loads(out)["catalog_overlay"] is None
    assert json.loads(out)["total_monthly_cost"] == pytest.approx(float(730 * packaged_t3_small()))


def test_home_directory_is_shown_as_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    directory = write_overlay(tmp_path / ".config" / "infrafit" / "catalog")
    assert ov.load_overlay(directory).use(["aws"]).path == "~/.config/infrafit/catalog"


def test_without_an_overlay_reports_are_as_before() -> None:
    result = evaluate(load_plan("one.yaml", text=T3_SMALL_PLAN))
    assert result.catalog_overlay is None
    _, out, _ = invoke("check", "examples/seed004-gcp.yaml", "--width", "200")
    assert "catalog as of " in out and "overlay" not in out


# --- catalog show ------------------------------------------------------------------------------------------


def test_catalog_show_marks_refreshed_and_missing_facts(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    code, out, _ = invoke("catalog", "show", "aws.ec2", "--catalog", str(directory), "--width", "400")
    assert code == 0
    (small,) = [line for line in out.splitlines() if "type t3.small" in line]
    assert "(overlay: aws price list of 2026-11-01)" in small and "us-east-1 $0.0300/h" in small
    (nano,) = [line for line in out.splitlines() if "type t3.nano" in line]
    assert (
        "(not refreshed from the aws price list of 2026-11-01 (retired from the price list); packaged fact kept)"
        in nano
    )
    (micro,) = [line for line in out.splitlines() if "type t3.micro" in line]
    assert "overlay" not in micro and "price list of" not in micro
    code, out, _ = invoke("catalog", "show", "aws.ec2", "--catalog", str(directory), "-f", "json")
    data = json.loads(out)["overlay"]
    assert data["refreshed"] == ["services.ec2.types.t3.small"]
    assert data["missing"] == [
        {"fact": "services.ec2.types.t3.nano.hourly.us-east-1", "reason": "retired from the price list"}
    ]
    code, out, _ = invoke("catalog", "show", "aws.ec2", "--width", "400")
    assert "overlay" not in out and "price list of 2026-11-01" not in out


# --- malformed overlays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("manifest", "aws", "expected"),
    [
        ("format: 1\nprovders: {}\n", "", "overlay.yaml:2:1: unknown key 'provders' (did you mean providers?)"),
        ("format: 2\nproviders: {}\n", "", "overlay.yaml:1:1: format 2 is not read by this infrafit"),
        ("format: 1\nproviders:\n  awz: {}\n", "", "overlay.yaml:3:3: unknown provider 'awz' (did you mean aws?)"),
        ("format: 1\nproviders:\n  aws: {published: last week}\n", "", "overlay.yaml:3:9: published: 'last week'"),
        ("format: 1\nproviders: {aws: {}\n", "", "overlay.yaml:3:1: YAML syntax"),
        (None, "services:\n  ec3: {}\n", "aws.yaml:2:3: unknown service 'ec3' of aws (did you mean ec2?)"),
        (None, "servics: {}\n", "aws.yaml:1:1: unknown key 'servics' (did you mean services?)"),
        (
            None,
            "services:\n  ec2:\n    types:\n      t3.small:\n        hourlly: {us-east-1: '0.03'}\n",
            "aws.yaml:5:9: services.ec2.types.t3.small.hourlly: unknown key 'hourlly' (did you mean hourly?)",
        ),
        (
            None,
            "services:\n  ec2:\n    types:\n      t3.small:\n        hourly: {us-east-1: cheap}\n",
            "aws.yaml:5:18: services.ec2.types.t3.small.hourly.us-east-1: Input should be a valid decimal",
        ),
        (None, "provider: gcp\n", "aws.yaml:1:1: this is aws.yaml; provider says 'gcp'"),
    ],
)
def test_a_malformed_overlay_is_a_located_error(tmp_path: Path, manifest: str | None, aws: str, expected: str) -> None:
    directory = write_overlay(tmp_path / "overlay", aws=aws, manifest=manifest)
    code, out, err = invoke("check", "examples/seed003-after.yaml", "--catalog", str(directory))
    assert code == 2 and out == ""
    assert expected in err, err
    assert "Traceback" not in err


def test_an_overlay_file_for_an_unknown_provider_is_named(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    (directory / "awss.yaml").write_text("services: {}\n")
    with pytest.raises(InputError, match=r"unknown provider 'awss' \(did you mean aws\?\)"):
        Catalog(overlay=directory)


def test_a_changed_overlay_is_read_again(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    plan = load_plan("one.yaml", text=T3_SMALL_PLAN)
    assert evaluate(plan, Catalog(overlay=directory)).total_monthly_cost == D("21.90")  # 730 × 0.0300
    (directory / "aws.yaml").write_text(AWS.format(price="0.04", url=PRICE_LIST) + "# changed\n")
    (directory / "overlay.yaml").write_text(MANIFEST.format(url=PRICE_LIST) + "# changed\n")
    assert evaluate(plan, Catalog(overlay=directory)).total_monthly_cost == D("29.20")  # 730 × 0.04


def test_an_unreadable_config_directory_is_no_overlay(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", refuse)
    assert ov.overlay_dir() is None  # another user's home, a locked-down runner: price with the packaged catalog


def test_a_refreshed_fact_is_marked_with_its_own_price_list_date(tmp_path: Path) -> None:
    # the manifest's date is the newest list read (2026-11-05); the t3.small entry cites the EC2 list of 2026-11-01
    manifest = MANIFEST.format(url=PRICE_LIST).replace("published: 2026-11-01", "published: 2026-11-05")
    overlay = ov.load_overlay(write_overlay(tmp_path / "overlay", manifest=manifest))
    assert overlay.mark("aws", ("services", "ec2", "types", "t3.small")) == "overlay: aws price list of 2026-11-01"
    assert overlay.mark("aws", ("services", "ec2", "types", "t3.micro")) is None
    assert overlay.mark("aws", ("services", "ec2", "types", "t3.nano")) == (
        "not refreshed from the aws price list of 2026-11-05 (retired from the price list); packaged fact kept"
    )


def test_selfhost_names_the_overlay_only_when_one_is_used(tmp_path: Path) -> None:
    directory = write_overlay(tmp_path / "overlay")
    seed = "examples/seed001-leaving-the-cloud.yaml"
    _, plain, _ = invoke("selfhost", seed, "--width", "200")
    _, overlaid, _ = invoke("selfhost", seed, "--width", "200", "--catalog", str(directory))
    assert "overlay" not in plain
    assert f"+ overlay {directory} (" in overlaid
    _, out, _ = invoke("selfhost", seed, "-f", "json", "--no-overlay")
    assert json.loads(out)["catalog_overlay"] is None
