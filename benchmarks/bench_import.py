"""How fast `infrafit import terraform` reads a configuration directory and a plan JSON, and how it grows.

Prints, for synthetic Terraform directories of 100 / 500 / 1,000 resources spread over files of 25 resources
(variables, locals, counts, nested blocks, as real configurations have) the wall time, resources per second and
peak memory of the import (parse + resolve + map); then the same for `terraform show -json` plans of about 1, 5 and
10 MB. Targets (issue 12): a 500-resource directory under 2 s; a 5 MB plan JSON under 1 s.
Run: python benchmarks/bench_import.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

BLOCKS = [
    """
resource "aws_instance" "web{i}" {{
  count         = var.web_count
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = var.web_type
  subnet_id     = aws_subnet.public.id
  root_block_device {{
    volume_size = 20
    volume_type = "gp3"
  }}
  tags = merge(local.tags, {{ Name = "${{local.name}}-web-{i}-${{count.index}}" }})
}}
""",
    """
resource "aws_lambda_function" "fn{i}" {{
  function_name = "${{local.name}}-fn-{i}"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.12"
  handler       = "main.handler"
  memory_size   = 256
  timeout       = 30
  environment {{
    variables = {{ STAGE = var.env, INDEX = "{i}" }}
  }}
}}
""",
    """
resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{local.name}}-bucket-{i}"
  tags   = local.tags
}}
""",
    """
resource "aws_iam_role" "r{i}" {{
  name               = "${{local.name}}-role-{i}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17" }})
}}
""",
]

HEADER = """
variable "env" { default = "prod" }
variable "web_count" { default = 2 }
variable "web_type" { default = "t3.small" }
provider "aws" { region = "us-east-1" }
locals {
  name = "bench-${var.env}"
  tags = { Env = var.env }
}
"""


def directory(root: Path, n: int, per_file: int = 25) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(HEADER)
    for start in range(0, n, per_file):
        body = "".join(BLOCKS[i % len(BLOCKS)].format(i=i) for i in range(start, min(n, start + per_file)))
        (root / f"r{start:05d}.tf").write_text(body)
    return root


def plan_json(path: Path, target_bytes: int) -> int:
    resources: list[dict[str, Any]] = []
    i, size = 0, 0
    while size < target_bytes:
        values = {
            "instance_type": "t3.small", "ami": "ami-0c55b159cbfafe1f0", "tags": {"Name": f"web-{i}", "Env": "prod"},
            "root_block_device": [{"volume_size": 20, "volume_type": "gp3", "encrypted": True, "iops": 3000}],
            "user_data": "x" * 200, "vpc_security_group_ids": [f"sg-{i:08x}"],
        }
        res = {"address": f"aws_instance.web{i}", "mode": "managed", "type": "aws_instance", "name": f"web{i}",
               "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1, "values": values,
               "sensitive_values": {}}
        resources.append(res)
        size += len(json.dumps(res))
        i += 1
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}},
           "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}}}}
    path.write_text(json.dumps(doc))
    return len(resources)


def timed(path: Path, runs: int = 3) -> tuple[float, float, int]:
    """Best wall time of ``runs`` imports (tracing off: it slows Python several-fold), then peak memory of one."""
    from infrafit.importers import run_import

    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        draft = run_import("terraform", path)
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    run_import("terraform", path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / 2**20, draft.items() + len(draft.free)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [100, 500] if args.quick else [100, 500, 1000]
    mbs = [1, 5] if args.quick else [1, 5, 10]
    from infrafit.importers.terraform.parse import parse_text

    t0 = time.perf_counter()
    parse_text('x = 1\n')  # the grammar is built (or read from lark's cache) once per process
    print(f"parser start-up: {time.perf_counter() - t0:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        print("HCL directory: resources  files  time(s)  resources/s  peak MiB")
        for n in sizes:
            root = directory(Path(tmp) / f"tf{n}", n)
            files = len(list(root.glob("*.tf")))
            elapsed, peak, found = timed(root)
            print(f"  {n:>20,}  {files:>5}  {elapsed:7.2f}  {found / elapsed:11,.0f}  {peak:8.1f}")
        print("plan JSON:     MB  resources  time(s)  MB/s  peak MiB")
        for mb in mbs:
            path = Path(tmp) / f"plan{mb}.json"
            count = plan_json(path, mb * 2**20)
            elapsed, peak, _ = timed(path)
            size = path.stat().st_size / 2**20
            print(f"  {size:>13.1f}  {count:>9,}  {elapsed:7.2f}  {size / elapsed:4.1f}  {peak:8.1f}")


if __name__ == "__main__":
    main()
