"""A billing model of one's own, priced by infrafit without touching its catalog files.

A CI service bills each build by the *started* minute: a 4 min 10 s build is billed as 5 minutes. No
``from_usage`` meter can say that, so the service names a model (``model: ci_minutes``) and the model,
registered below, turns a resource's usage into billed minutes. The catalog here is built in memory; the
plan is read from a string. Run it with ``python examples/custom_billing_model.py``.
"""

from __future__ import annotations

from decimal import Decimal

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.plan.loader import load_plan
from infrafit.services import Context, ceil_to, register

MINUTE = Decimal(60)


@register("ci_minutes")
def ci_minutes(ctx: Context) -> dict[str, Decimal]:
    """Builds a month × each build's duration rounded up to a whole minute, per runner pool."""
    builds = ctx.monthly("builds") * ctx.count
    minutes_each = ceil_to(ctx.require("duration"), MINUTE) / MINUTE
    return {"minutes": builds * minutes_each}


SOURCE = {"source": "https://ci.example.com/pricing", "as_of": "2026-01-15"}

CATALOG = Catalog.from_data(
    {
        "exampleci": {
            "provider": "exampleci",
            "name": "Example CI",
            "as_of": "2026-01-15",
            "services": {
                "runners": {
                    "name": "Hosted runners",
                    "category": "compute",
                    "model": "ci_minutes",
                    "usage": ["builds", "duration"],
                    "fields": ["count"],
                    "meters": {
                        "minutes": {
                            "label": "Build minutes",
                            "unit": "minute",
                            "category": "compute",
                            "price": {"usd": "0.008", **SOURCE},
                        }
                    },
                    "free": [
                        {
                            "pool": "exampleci.minutes",
                            "label": "Included build minutes",
                            "meters": ["minutes"],
                            "amount": 2000,
                            "unit": "minute",
                            **SOURCE,
                        }
                    ],
                }
            },
        }
    }
)

PLAN = """
name: ci
resources:
  builds:
    service: exampleci.runners
    usage:
      builds: 1200/month
      duration: 250s
"""


def main() -> None:
    result = evaluate(load_plan("inline.yaml", text=PLAN), CATALOG)
    for resource in result.resources:
        for line in resource.components:
            print(
                f"{resource.name}: {line.name}: {line.quantity:,} {line.unit}, {line.free_quantity:,} free, "
                f"{line.billable_quantity:,} billed: ${line.cost:,.2f}"
            )
    print(f"total ${result.total_monthly_cost:,.2f}/month")


if __name__ == "__main__":
    main()
