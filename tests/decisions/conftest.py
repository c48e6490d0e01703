"""Small plans evaluated against the packaged catalog. Prices used by the tests (us-east-1, on demand, Linux,
730-hour month): t3.micro $0.0104/h, t3.small $0.0208/h, t3.medium $0.0416/h, every t3 size 2 vCPUs;
SQS $0.40 per million requests beyond 1M free a month; S3 Standard $0.023 per GB-month (first tier)."""

from __future__ import annotations

from typing import Any

import pytest

from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import plan_from_data


def ec2(type_: str, count: int = 1) -> dict[str, Any]:
    return {"service": "aws.ec2", "region": "us-east-1", "type": type_, "count": count}


def run(data: dict[str, Any]) -> Result:
    return evaluate(plan_from_data(data))


@pytest.fixture
def evaluate_plan() -> Any:
    return run
