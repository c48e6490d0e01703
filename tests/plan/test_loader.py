from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.yaml_reader import read_data
from infrafit.units import Rate


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    return [str(p) for p in info.value.problems]


def test_a_good_plan_parses_units() -> None:
    plan = load_plan(
        "plan.yaml",
        text="""
name: my-app
budget: 25 USD
quotas: {aws.ec2.standard_vcpu: 16}
resources:
  api:
    service: gcp.cloud_run
    memory: 512Mi
    cpu: 500m
    usage: {requests: 5M/month, duration: 200ms, egress: 400MB/month, hours: 146}
""",
    )
    api = plan.resources["api"]
    assert plan.budget == Decimal(25)
    assert plan.quotas["aws.ec2.standard_vcpu"] == Decimal(16)
    assert api.memory == Decimal(512 * 2**20)
    assert api.cpu == Decimal("0.5")
    assert api.usage["requests"] == Rate(Decimal(5_000_000), "month")
    assert api.usage["duration"] == Decimal("0.2")
    assert api.usage["hours"] == Decimal(146)
    assert plan.month_hours == Decimal(730)


def test_yaml_syntax_error_names_file_line_and_column() -> None:
    (msg,) = problems("name: x\nresources:\n  api: {service: gcp.cloud_run\n")
    assert msg.startswith("plan.yaml:4:1: YAML syntax")


def test_tab_indentation_is_located() -> None:
    (msg,) = problems("name: x\nresources:\n\tapi: 1\n")
    assert msg.startswith("plan.yaml:3:1:")


def test_unknown_keys_suggest_the_nearest() -> None:
    msgs = problems("name: x\nbudgt: 3 USD\nresources:\n  api:\n    service: gcp.cloud_run\n    memroy: 1GiB\n")
    assert "plan.yaml:2:1: budgt: unknown key 'budgt' (did you mean budget?)" in msgs
    assert "plan.yaml:6:5: resources.api.memroy: unknown key 'memroy' (did you mean memory?)" in msgs


def test_bare_number_says_which_units_are_accepted() -> None:
    (msg,) = problems("name: x\nresources:\n  db:\n    service: gcp.firestore\n    usage:\n      storage: 500\n")
    assert msg.startswith("plan.yaml:6:7: resources.db.usage.storage: 500 needs a unit")
    assert "MB" in msg and "GiB" in msg


def test_bare_rate_and_bare_memory() -> None:
    msgs = problems(
        "name: x\nresources:\n  f:\n    service: aws.lambda\n    memory: 512\n    usage: {requests: 3000}\n"
    )
    assert any("resources.f.memory: 512 needs a unit" in m for m in msgs)
    assert any("resources.f.usage.requests: 3000 needs a unit" in m and "/month" in m for m in msgs)


def test_negative_quantities_are_refused() -> None:
    msgs = problems("name: x\nresources:\n  f:\n    service: aws.s3\n    count: -2\n    usage: {storage: -5GB}\n")
    assert any("storage" in m and "negative" in m for m in msgs)
    assert any("count" in m and "greater than or equal to 0" in m for m in msgs)


def test_duplicate_keys_are_refused() -> None:
    (msg,) = problems("name: x\nresources:\n  a: {service: aws.s3}\n  a: {service: aws.sqs}\n")
    assert msg == "plan.yaml:4:3: resources.a: duplicate key 'a'"


def test_missing_required_keys() -> None:
    msgs = problems("resources: {}\n")
    assert any("name: required key is missing" in m for m in msgs)


def test_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_plan(tmp_path / "nope.yaml")


def test_not_a_mapping() -> None:
    (msg,) = problems("- a\n- b\n")
    assert "must be a YAML mapping" in msg


def test_yaml_booleans_in_names_get_a_hint() -> None:
    (msg,) = problems("name: off\nresources: {}\n")
    assert "quote it" in msg


JOB_PLAN = """name: x
resources:
  f: {{service: aws.lambda}}
jobs:
  b:
    items: 10
    runs_on: f
    duration: 1s
    {key}: 2
"""


def test_unknown_job_key_suggests_from_the_job() -> None:
    (msg,) = problems(JOB_PLAN.format(key="concurrancy"))
    assert msg == "plan.yaml:9:5: jobs.b.concurrancy: unknown key 'concurrancy' (did you mean concurrency?)"


def test_far_off_job_key_lists_the_job_keys() -> None:
    (msg,) = problems(JOB_PLAN.format(key="parallelism"))
    assert msg == (
        "plan.yaml:9:5: jobs.b.parallelism: unknown key 'parallelism' "
        "(valid: calls, concurrency, cpu_time, deadline, duration, items, memory, retries, runs_on, runs_per_month, start)"
    )


def test_unknown_retries_key_suggests_from_retries() -> None:
    text = "name: x\nresources: {}\njobs:\n  b:\n    items: 1\n    runs_on: f\n    duration: 1s\n    retries:\n      maxx: 3\n"
    (msg,) = problems(text)
    assert msg == "plan.yaml:9:7: jobs.b.retries.maxx: unknown key 'maxx' (did you mean max?)"
    (msg,) = problems(text.replace("maxx", "jitter"))
    assert msg == "plan.yaml:9:7: jobs.b.retries.jitter: unknown key 'jitter' (valid: backoff, failure_rate, max)"


def test_far_off_resource_key_lists_the_resource_keys() -> None:
    (msg,) = problems("name: x\nresources:\n  api:\n    service: gcp.cloud_run\n    zone: x\n")
    assert msg == (
        "plan.yaml:5:5: resources.api.zone: unknown key 'zone' (valid: count, cpu, daily_reset, disk, memory, plan, "
        "rate_limits, region, service, type, usage)"
    )


def test_bad_cpu_says_what_cpu_takes() -> None:
    (msg,) = problems("name: x\nresources:\n  api:\n    service: gcp.cloud_run\n    cpu: lots\n")
    assert msg.startswith("plan.yaml:5:5: resources.api.cpu: 'lots' is not a plain number")
    assert msg.endswith("; cpu takes vCPUs such as 2, 0.5 or 500m")


# --- the one-pass reader builds what PyYAML's SafeLoader builds -------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "src/infrafit/catalog/data").glob("*.yaml"))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_examples_and_catalog_files_read_as_safe_load_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read_data(text) == yaml.safe_load(text)


CORNERS = """
ints: [1, 017, 0x1F, 1_000, -3, +4]
floats: [1.5, 1e3, .inf, -.Inf, 6.8523015e+5]
bools: [yes, No, on, OFF, true, False]
nulls: [~, null, ]
empty:
dates: [2026-01-15, 2026-01-15 10:30:00]
strings: ['1', "two\\tthree", plain text, 5M/month, 512MiB, "yes"]
block: |
  line one
  line two
folded: >
  folded
  text
anchored: &anchor value
again: *anchor
base: &base {service: aws.s3, region: us-east-1}
derived:
  <<: *base
  region: eu-west-1
two:
  <<: [{a: 1, b: 1}, {a: 2, c: 2}]
  c: 3
"""


def test_scalars_aliases_and_merges_read_as_safe_load_reads_them() -> None:
    data = read_data(CORNERS)
    assert data == yaml.safe_load(CORNERS)
    # Merges by hand: explicit keys win, and in a list of merges the first mapping wins.
    assert data["derived"] == {"service": "aws.s3", "region": "eu-west-1"}
    assert data["two"] == {"a": 1, "b": 1, "c": 3}
    assert data["again"] == "value" and data["ints"] == [1, 15, 31, 1000, -3, 4]


def test_an_explicit_key_over_a_merged_one_is_not_a_duplicate() -> None:
    text = "name: x\nresources:\n  a: &a {service: aws.s3, region: us-east-1}\n  b: {<<: *a, service: aws.sqs}\n"
    plan = load_plan("plan.yaml", text=text)
    assert (plan.resources["b"].service, plan.resources["b"].region) == ("aws.sqs", "us-east-1")


_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, width=64),
    st.text(max_size=12),
    st.dates(),
)
_trees = st.recursive(
    _leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(tree=_trees, flow=st.sampled_from([None, True, False]), shared=st.booleans())
def test_any_dumped_tree_reads_back_as_safe_load_reads_it(tree: object, flow: bool | None, shared: bool) -> None:
    # The same object twice makes the dumper write an anchor and an alias.
    doc = {"a": tree, "b": tree} if shared else tree
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    assert read_data(text) == yaml.safe_load(text)


def test_an_error_under_an_alias_is_located_where_the_alias_is_written() -> None:
    text = "name: x\nresources:\n  a: &r {service: aws.s3, usage: {storage: 5}}\n  b: *r\n"
    msgs = problems(text)
    # Both resources share the one bad value: under `a` it is located at its key (column 35 of line 3), under
    # `b` at the alias, the deepest place written for it.
    assert msgs[0].startswith("plan.yaml:3:35: resources.a.usage.storage: 5 needs a unit")
    assert msgs[1].startswith("plan.yaml:4:3: resources.b.usage.storage: 5 needs a unit")


def test_a_plan_without_errors_never_builds_its_source_map() -> None:
    plan = load_plan("plan.yaml", text="name: x\nresources:\n  a: {service: aws.s3}\n")
    assert repr(plan._source_map) == "LazySourceMap(<not built>)"
    assert plan.locate(("resources", "a", "service")) == (3, 7)
