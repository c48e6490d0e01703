from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from infrafit.plan.quantities import Cpu, DataPerPeriod, PerPeriod
from infrafit.units import Rate

CPU = TypeAdapter(Cpu)


@pytest.mark.parametrize(
    ("value", "vcpus"),
    [(2, Decimal(2)), (0.5, Decimal("0.5")), ("1", Decimal(1)), ("500m", Decimal("0.5")), ("250m", Decimal("0.25"))],
)
def test_cpu_reads_vcpus_and_millicores(value: object, vcpus: Decimal) -> None:
    assert CPU.validate_python(value) == vcpus


@pytest.mark.parametrize("value", ["two", "-1", "500 mc", "1.5m"])
def test_cpu_refuses_other_forms_saying_what_it_takes(value: object) -> None:
    with pytest.raises(ValidationError, match=r"cpu takes vCPUs such as 2, 0\.5 or 500m"):
        CPU.validate_python(value)


def test_rates_are_kept_as_rates() -> None:
    assert TypeAdapter(PerPeriod).validate_python("5M/month") == Rate(Decimal(5_000_000), "month")
    assert TypeAdapter(DataPerPeriod).validate_python("10GB/day") == Rate(Decimal(10 * 10**9), "day")
    with pytest.raises(ValidationError, match="needs a unit"):
        TypeAdapter(PerPeriod).validate_python(300)
