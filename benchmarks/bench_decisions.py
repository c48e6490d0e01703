"""How fast the decision commands answer at scale, evaluation included.

Prints the wall time of ``compare`` over 10 plans of 100 resources each and of ``diff`` between two plans of
1,000 resources (the second with every fifth resource resized, every tenth removed and 50 added), split into
validating, evaluating, comparing/diffing and rendering (table, JSON, Markdown; HTML apart, as it embeds
plotly.js). Target: each command under 1 s without HTML. Run: python benchmarks/bench_decisions.py [--runs N]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import synthetic  # the same mix of services as the check benchmark

EC2_SIZES = ["t3.micro", "t3.small", "t3.medium", "t3.large"]


def variant(n: int, k: int) -> dict[str, Any]:
    """The synthetic plan of ``n`` resources, varied by ``k``: other EC2 sizes and counts, so plans differ."""
    data = synthetic(n)
    data["name"] = f"option-{k}"
    for i, (_, res) in enumerate(data["resources"].items()):
        if res["service"] == "aws.ec2":
            res["type"] = EC2_SIZES[(i + k) % len(EC2_SIZES)]
            res["count"] = 1 + (i + k) % 3
    return data


def changed(data: dict[str, Any]) -> dict[str, Any]:
    """An 'after' plan: every 5th EC2 resource one size up, every 10th resource removed, 50 new S3 buckets."""
    after = copy.deepcopy(data)
    after["name"] = data["name"] + "-after"
    resources = after["resources"]
    for i, name in enumerate(list(resources)):
        res = resources[name]
        if i % 10 == 9:
            del resources[name]
        elif i % 5 == 0 and res["service"] == "aws.ec2":
            res["type"] = EC2_SIZES[(EC2_SIZES.index(res.get("type", "t3.micro")) + 1) % len(EC2_SIZES)]
    for j in range(50):
        resources[f"new{j:03d}"] = {"service": "aws.s3", "usage": {"storage": f"{10 + j}GB"}}
    return after


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def figures(validate: float, evaluate: float, decide: float, render: float, html: float, page: str) -> dict[str, float]:
    """One row of the printed table; total is what a CI run pays (everything but HTML)."""
    return {
        "validate": validate,
        "evaluate": evaluate,
        "decide": decide,
        "render": render,
        "total": validate + evaluate + decide + render,
        "html": html,
        "html_mb": len(page) / 1e6,
    }


def run_compare() -> dict[str, float]:
    from infrafit.decisions import compare
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import plan_from_data
    from infrafit.report import render

    datas = [variant(100, k) for k in range(10)]
    t_validate, plans = timed(lambda: [plan_from_data(d) for d in datas])
    t_eval, results = timed(lambda: [evaluate(p) for p in plans])
    t_cmp, cmp = timed(lambda: compare(results))
    t_render, _ = timed(lambda: [render("compare", f, cmp) for f in ("table", "json", "markdown")])
    t_html, page = timed(lambda: render("compare", "html", cmp))
    return figures(t_validate, t_eval, t_cmp, t_render, t_html, page)


def run_diff() -> dict[str, float]:
    from infrafit.decisions import diff
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import plan_from_data
    from infrafit.report import render

    before_data = variant(1000, 0)
    after_data = changed(before_data)
    t_validate, plans = timed(lambda: [plan_from_data(before_data), plan_from_data(after_data)])
    t_eval, results = timed(lambda: [evaluate(p) for p in plans])
    t_diff, d = timed(lambda: diff(results[0], results[1]))
    t_render, _ = timed(lambda: [render("diff", f, d) for f in ("table", "json", "markdown")])
    t_html, page = timed(lambda: render("diff", "html", d))
    return {**figures(t_validate, t_eval, t_diff, t_render, t_html, page), "changed": float(len(d.changed))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="runs of each (the median is printed)")
    args = parser.parse_args()
    run_compare()  # warm: imports, catalog cache, plotly
    cols = ("validate", "evaluate", "decide", "render", "total", "html")
    print(f"{'command':<34}" + "".join(f"{c + ' s':>11}" for c in cols) + f"{'html MB':>9}")
    for label, fn in (
        ("compare: 10 plans × 100 resources", run_compare),
        ("diff: 1,000 vs 1,000 resources", run_diff),
    ):
        runs = [fn() for _ in range(args.runs)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        line = f"{label:<34}" + "".join(f"{med[c]:>11.3f}" for c in cols) + f"{med['html_mb']:>9.1f}"
        print(line + ("" if med["total"] < 1.0 else "   ABOVE the 1 s target"))
    print(f"median of {args.runs} runs; total = validate + evaluate + decide + render (table, JSON, Markdown)")


if __name__ == "__main__":
    main()
