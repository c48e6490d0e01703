"""Fuzz the plan reader, the engine and the renderers with mutated example plans.

Every case takes an example plan and applies a few mutations: drop a key, rename one (a typo), swap a value for
another type, put a hostile leaf somewhere (NaN, 1e308, 10^400, a decimal comma, "5 million/month", escape
sequences, a year-9999 date, ...), copy a subtree, or edit the raw YAML text (delete, repeat or swap lines,
insert a YAML metacharacter, cut the file short). Then it loads, evaluates and renders the plan as json, table
and markdown. The contract: each case either works or raises the project's ``InputError``, within a time bound;
anything else is a finding, printed with the case so it can be replayed.

    python benchmarks/fuzz.py --cases 5000 [--seed 0] [--memory-mb 3000]

``tests/test_fuzz.py`` drives the same mutations with hypothesis under a fixed budget.
"""

from __future__ import annotations

import argparse
import copy
import math
import random
import resource
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASE_SECONDS = 20.0  # one case: load + evaluate (20 replications per job) + three renderers

HOSTILE: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    5e-324,
    10**400,
    -1,
    0,
    10**9,
    10**30,
    True,
    None,
    "",
    " ",
    [],
    {},
    "1e308",
    "1" + "0" * 400,
    "25,00 USD",
    "0,5GB",
    "2,5%",
    "1,0,0GB",
    "5 million/month",
    "5m/month",
    "5MB/month",
    "5GB/month",
    "5 MiB/s",
    "5m",
    "-5GB",
    ".nan",
    "NaN USD",
    "1e400 USD",
    "99999999999999999999day",
    "1000000000000000000000000000000/month",
    "1000000000000000000000000000000GB",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "25:00 America/Los_Angeles",
    "00:00 ../../etc/passwd",
    "\x1b[2J\x1b[H\x1b[32mall good\x1b[0m",
    "[bold]x[/]",
    "<img src=x onerror=alert(1)></details><h1>fits</h1>",
    "a|b`c*d_e",
    "x" * 5000,
    "aws.nope",
    "gcp.cloud_run",
    "100%",
    "99.9999%",
    "1000000000",
]

TYPE_SWAPS: list[Any] = [1, 1.5, "text", [1, 2], {"k": "v"}, None, False]
META = [*":-[]{}&*!|>'\"#%@`\t?,", "\n", "  ", "\x00", "\ufeff", "&a ", "*a "]


@dataclass(frozen=True)
class Mutation:
    """One edit: ``kind`` names it; ``where`` and ``what`` are free integers the kind reads modulo its options."""

    kind: str
    where: int
    what: int


STRUCTURAL = ("drop", "rename", "swap_type", "hostile", "copy")
TEXTUAL = ("del_line", "dup_line", "swap_lines", "insert_char", "truncate")
KINDS = STRUCTURAL + TEXTUAL


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a YAML document (mapping keys and list indexes), the root excluded."""
    out: list[tuple[Any, ...]] = []
    items: Sequence[tuple[Any, Any]] = ()
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, value in items:
        path = (*prefix, key)
        out.append(path)
        out.extend(_paths(value, path))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _leaves(doc: Any) -> list[tuple[Any, ...]]:
    """Paths to scalars: where a value is written, so a hostile value lands where units are read."""
    out = []
    for path in _paths(doc):
        value = _parent(doc, path)[path[-1]]
        if not isinstance(value, dict | list):
            out.append(path)
    return out


def _structural(doc: Any, m: Mutation) -> Any:
    paths = _leaves(doc) if m.kind == "hostile" else _paths(doc)
    if not paths:
        return doc
    path = paths[m.where % len(paths)]
    parent, last = _parent(doc, path), path[-1]
    if m.kind == "drop":
        del parent[last]
    elif m.kind == "rename" and isinstance(parent, dict):
        key = str(last)
        typo = key[:-1] if m.what % 2 and len(key) > 1 else key + "s"
        parent[typo] = parent.pop(last)
    elif m.kind == "swap_type":
        parent[last] = copy.deepcopy(TYPE_SWAPS[m.what % len(TYPE_SWAPS)])
    elif m.kind == "hostile":
        parent[last] = copy.deepcopy(HOSTILE[m.what % len(HOSTILE)])
    elif m.kind == "copy" and isinstance(parent, dict):
        parent[f"{last}_copy{m.what % 10}"] = copy.deepcopy(parent[last])
    return doc


def _textual(text: str, m: Mutation) -> str:
    lines = text.split("\n")
    i, j = m.where % max(len(lines), 1), m.what % max(len(lines), 1)
    if m.kind == "del_line" and lines:
        del lines[i]
    elif m.kind == "dup_line" and lines:
        lines.insert(i, lines[i])
    elif m.kind == "swap_lines" and lines:
        lines[i], lines[j] = lines[j], lines[i]
    elif m.kind == "insert_char" and text:
        pos = m.where % len(text)
        return text[:pos] + META[m.what % len(META)] + text[pos:]
    elif m.kind == "truncate" and text:
        return text[: m.where % len(text)]
    return "\n".join(lines)


def _dump(doc: Any) -> str:
    def floats(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
        if math.isnan(value):
            text = ".nan"
        elif math.isinf(value):
            text = ".inf" if value > 0 else "-.inf"
        else:
            text = repr(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(float, floats)
    return yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def mutate(example: Path, mutations: Sequence[Mutation]) -> str:
    """The example's text with ``mutations`` applied: structural ones on the parsed document, then textual ones."""
    text = example.read_text(encoding="utf-8")
    structural = [m for m in mutations if m.kind in STRUCTURAL]
    if structural:
        doc = yaml.safe_load(text)
        for m in structural:
            doc = _structural(doc, m)
        text = _dump(doc)
    for m in mutations:
        if m.kind in TEXTUAL:
            text = _textual(text, m)
    return text


def exercise(text: str, name: str = "fuzz.yaml") -> str:
    """Load, evaluate and render ``text``; return how it ended ("ok" or "input error"). Other errors propagate."""
    from infrafit.engine.evaluate import evaluate
    from infrafit.errors import InputError
    from infrafit.plan.loader import load_plan
    from infrafit.report import render

    try:
        result = evaluate(load_plan(name, text=text))
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems), "an InputError without a message"
        return "input error"
    for fmt in ("json", "table", "markdown"):
        out = render("check", fmt, [result], width=100, color=False)
        assert isinstance(out, str) and out
    return "ok"


WEIGHTED = ("hostile",) * 5 + KINDS  # hostile leaves are where the engine's arithmetic is reached


def random_case(rng: random.Random) -> tuple[Path, list[Mutation]]:
    example = rng.choice(EXAMPLES)
    count = rng.choice((1, 1, 2, 3))
    return example, [Mutation(rng.choice(WEIGHTED), rng.randrange(10**6), rng.randrange(10**6)) for _ in range(count)]


def run(cases: int, seed: int, report: Callable[[str], None] = print) -> dict[str, int]:
    """Run ``cases`` random cases; print each finding with what replays it; return the tally."""
    rng = random.Random(seed)
    tally = {"ok": 0, "input error": 0, "finding": 0, "slow": 0}
    signatures: dict[str, int] = {}
    start = time.perf_counter()
    for n in range(cases):
        example, mutations = random_case(rng)
        text = mutate(example, mutations)
        began = time.perf_counter()
        try:
            tally[exercise(text)] += 1
        except Exception as exc:  # anything but InputError is a finding
            tally["finding"] += 1
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            sig = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            signatures[sig] = signatures.get(sig, 0) + 1
            if signatures[sig] == 1:
                report(f"case {n}: {sig}: {exc}\n  example {example.name}, mutations {mutations}")
        elapsed = time.perf_counter() - began
        if elapsed > CASE_SECONDS:
            tally["slow"] += 1
            report(f"case {n}: slow ({elapsed:.1f} s), example {example.name}, mutations {mutations}")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(
        f"{cases:,} cases in {seconds:,.1f} s: {tally['ok']:,} evaluated, {tally['input error']:,} refused with "
        f"InputError, {tally['finding']:,} findings ({len(signatures)} distinct), {tally['slow']:,} slow; "
        f"peak memory {peak_mb:,.0f} MB"
    )
    for sig, count in sorted(signatures.items(), key=lambda kv: -kv[1]):
        report(f"  {count:>6,}  {sig}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-mb", type=int, default=4000, help="address-space cap for the whole run")
    args = parser.parse_args(argv)
    cap = args.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    tally = run(args.cases, args.seed)
    return 1 if tally["finding"] or tally["slow"] else 0


if __name__ == "__main__":
    sys.exit(main())
