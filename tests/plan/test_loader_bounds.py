"""Small hostile files are refused quickly with a clear message (reliability audit F3, F4, F5): alias bombs,
deep nesting, recursive aliases, FIFOs, devices, oversized files and YAML tags. The dangerous ones run the real
command in a subprocess, so a crash (libyaml overflowing its stack) or a hang fails the test instead of the run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.yaml_reader import MAX_ALIAS_NODES, MAX_BYTES, MAX_DEPTH

ROOT = Path(__file__).resolve().parents[2]

# The audit's reproducer (F3): each level is nine aliases of the one before, so `i` stands for 9^9 strings.
BOMB = """name: t
resources:
  api: {service: aws.s3}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def cli(*args: str, stdin: str | None = None, timeout: float = 20) -> tuple[int, str, float]:
    """Run `infrafit ARGS` in a fresh interpreter: (exit code, stderr, seconds)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "infrafit.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    return done.returncode, done.stderr, time.perf_counter() - start


def refused(text: str) -> str:
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    (problem,) = info.value.problems
    return str(problem)


def timed_refusal(text: str, seconds: float = 2.0) -> str:
    start = time.perf_counter()
    message = refused(text)
    assert time.perf_counter() - start < seconds
    return message


def test_the_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit() -> None:
    message = timed_refusal(BOMB)
    # Nodes reached through aliases: b 9×10 = 90, c 9×91 = 819, d 9×820 = 7,380, e 9×7,381 = 66,429,
    # f 9×66,430 = 597,870: 672,588 in all. Each of g's aliases stands for f's 597,871 nodes, so the first one
    # makes 672,588 + 597,871 = 1,270,459 > 1,000,000: line 10 (g), the first `*f` at column 8, item 0 of g.
    assert MAX_ALIAS_NODES == 1_000_000
    assert message.startswith("plan.yaml:10:8: g.0: aliases expand to more than 1,000,000 nodes")


def test_the_alias_bomb_under_overrides_is_refused() -> None:
    body = BOMB.split("a: &a", 1)[1]
    text = "name: t\nresources:\n  api: {service: aws.s3}\noverrides:\n  x: &a" + body.replace("\n", "\n  ")
    assert "aliases expand to more than" in timed_refusal(text)


def test_six_levels_stay_under_the_limit_and_the_plan_fails_fast_on_its_unknown_keys() -> None:
    text = BOMB.split("g: &g")[0]
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    assert time.perf_counter() - start < 3.0
    # The six extra top-level keys a..f (lines 4 to 9), each located where it is written: locating does not
    # expand the aliases either.
    messages = [str(p) for p in info.value.problems]
    assert [m.split(" (")[0] for m in messages] == [
        f"plan.yaml:{4 + i}:1: {k}: unknown key '{k}'" for i, k in enumerate("abcdef")
    ]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("[", "]"), ("{a: ", "}")],
    ids=["lists", "flow-maps"],
)
def test_deep_flow_nesting_is_refused_not_a_segfault(tmp_path: Path, opening: str, closing: str) -> None:
    plan = tmp_path / "deep.yaml"
    plan.write_text("name: t\nresources: {}\nx: " + opening * 50_000 + closing * 50_000 + "\n")
    code, err, seconds = cli("check", str(plan))
    assert code == 2, err
    assert f"nested more than {MAX_DEPTH} levels deep" in err
    # The root mapping is level 1, so the 64th opening is the 65th level and is refused: it starts at column
    # 4 + 63 × len(opening) of line 3. Its path is cut short rather than printing 64 parts.
    assert f"deep.yaml:3:{4 + (MAX_DEPTH - 1) * len(opening)}: x." in err and ".…: nested" in err
    assert "Traceback" not in err and seconds < 10


def test_deep_block_nesting_is_refused() -> None:
    lines = ["name: t", "resources:", "  api:", "    service: aws.s3", "    usage:"]
    lines += [" " * (6 + 2 * depth) + f"k{depth}:" for depth in range(3000)]
    message = timed_refusal("\n".join(lines) + " 1\n")
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_nesting_up_to_the_limit_is_read() -> None:
    # 64 levels: the root mapping and 63 lists under `x`; one more would be refused.
    text = "name: t\nresources: {}\nx: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert "unknown key 'x'" in refused(text)


@pytest.mark.parametrize(
    "text",
    ["name: t\nresources: {}\nx: &a [*a]\n", "name: t\nresources: &r {api: {service: aws.s3, usage: *r}}\n"],
    ids=["list", "mapping"],
)
def test_recursive_aliases_are_refused(text: str) -> None:
    assert "a recursive alias" in timed_refusal(text)


def test_an_alias_without_its_anchor_is_located() -> None:
    assert timed_refusal("name: t\nresources: {api: *nope}\n") == (
        "plan.yaml:2:18: resources.api: alias *nope has no anchor &nope before it"
    )


@pytest.mark.parametrize(
    "value", ["!!python/object/apply:os.system ['echo pwned']", "!!str 5", "!custom {a: 1}", "!!binary aGk="]
)
def test_yaml_tags_are_refused(value: str) -> None:
    message = timed_refusal(f"name: t\nresources: {{}}\nx: {value}\n")
    assert message.startswith("plan.yaml:3:4: ") and "YAML tags" in message and "quoted" in message


def test_a_second_document_is_refused() -> None:
    assert "one YAML document" in refused("name: t\nresources: {}\n---\nname: u\n")


def test_a_mapping_as_a_key_is_refused() -> None:
    assert "a mapping key must be a plain value" in refused("name: t\nresources: {}\n? [a, b]\n: 1\n")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    code, err, seconds = cli("check", str(fifo), timeout=15)
    assert code == 2 and "is not a regular file" in err and "use `-`" in err
    assert "Traceback" not in err and seconds < 10


def test_dev_zero_is_refused_without_reading_it() -> None:
    code, err, seconds = cli("check", "/dev/zero", timeout=15)
    assert code == 2 and "/dev/zero is not a regular file" in err
    assert seconds < 10


def test_an_oversized_file_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:  # sparse: 65 MB on paper, nothing on disk
        fh.truncate(65 * 2**20)
    with pytest.raises(InputError, match=r"big\.yaml is 65\.0 MB; plans are limited to 64\.0 MB"):
        load_plan(big)
    assert MAX_BYTES == 64 * 2**20


def test_oversized_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"the plan is over 64\.0 MB; plans are limited to that size"):
        load_plan("plan.yaml", text="#" * (MAX_BYTES + 1))


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not a plan file"):
        load_plan(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        load_plan(tmp_path / "missing.yaml")


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "latin1.yaml"
    plan.write_bytes("name: caf\u00e9\nresources: {}\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"not UTF-8 text \(byte 9 is invalid\)"):
        load_plan(plan)


def test_standard_input_is_read_for_a_dash() -> None:
    plan = "name: piped\nresources:\n  q: {service: aws.sqs, usage: {requests: 1M/month}}\n"
    code, err, _ = cli("check", "-", "--format", "json", stdin=plan)
    assert code == 0, err


def test_the_alias_bomb_exits_2_from_the_command(tmp_path: Path) -> None:
    plan = tmp_path / "lol.yaml"
    plan.write_text(BOMB)
    code, err, seconds = cli("check", str(plan))
    assert code == 2 and "aliases expand to more than 1,000,000 nodes" in err
    assert "Traceback" not in err and seconds < 10


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,8}", fullmatch=True))
def test_plain_words_read_as_the_yaml_resolver_reads_them(word: str) -> None:
    # Names skip PyYAML's implicit resolver; booleans and nulls (yes, Off, NULL, ...) must still resolve as it does.
    import yaml

    from infrafit.plan.yaml_reader import read_data

    text = f"key: {word}\n"
    expected = yaml.safe_load(text)["key"]
    got = read_data(text)["key"]
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("word", ["yes", "No", "ON", "off", "true", "FALSE", "null", "Null", "y", "n"])
def test_yaml11_words_keep_their_meaning(word: str) -> None:
    import yaml

    from infrafit.plan.yaml_reader import read_data

    assert read_data(f"key: {word}\n")["key"] == yaml.safe_load(f"key: {word}\n")["key"]
