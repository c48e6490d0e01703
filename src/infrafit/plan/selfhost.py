"""The plan's ``selfhost:``: one machine of one's own that would run what the plan's cloud services do.

Names are a public contract (machine: cpus, memory, disk, price, lifetime, power, utilization, cost_of_money;
electricity; uplink; on_anyway; labour: hours, rate). ``replaces`` names the plan of the cloud system the machine
would replace; without it, the plan's own resources are that system. ``secrets`` says how the secrets file that
stands in for a secret manager is kept.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from infrafit.plan.quantities import Bytes, Count, Cpu, Money, Power, Share
from infrafit.units import Kind, UnitError, parse

__all__ = ["Electricity", "Labour", "Machine", "PowerDraw", "SelfHost", "Tariff"]

_NUM = r"(?P<n>\d+(?:\.\d+)?)"
_MONTHS = re.compile(rf"^\s*{_NUM}\s*(?P<unit>months?|mo|years?|y)\s*$")
_PER_KWH = re.compile(rf"^\s*\$?\s*{_NUM}\s*(?:USD|usd|\$)?\s*/\s*kWh\s*$")
_FX = re.compile(rf"^\s*{_NUM}\s*(?P<cur>[A-Z]{{3}})\s*/\s*USD\s*$")
_PER_DAY = re.compile(rf"^\s*{_NUM}\s*h\s*/\s*day\s*$")
_HOURS_MONTH = re.compile(rf"^\s*{_NUM}\s*h?\s*/\s*month\s*$")
_KWH_MONTH = re.compile(rf"^\s*{_NUM}\s*(?:kWh)?\s*/\s*month\s*$")
_PER_YEAR = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*%\s*(?:/\s*year)?\s*$")


def _match(pattern: re.Pattern[str], value: Any, what: str) -> re.Match[str]:
    text = str(value)
    m = pattern.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not {what}")
    return m


def _months(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    m = _match(_MONTHS, value, "a lifetime such as 36 months or 3 years")
    n = Decimal(m["n"])
    return n * 12 if m["unit"].startswith("y") else n


def _usd_per_kwh(value: Any) -> Any:
    return (
        value if isinstance(value, Decimal) else Decimal(_match(_PER_KWH, value, "a price such as 0.20 USD/kWh")["n"])
    )


def _hours_per_day(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    hours = Decimal(_match(_PER_DAY, value, "hours a day such as 8h/day")["n"])
    if hours > 24:
        raise ValueError(f"{value!r}: a day has 24 hours")
    return hours


def _number_or(pattern: re.Pattern[str], value: Any, what: str) -> Decimal:
    """A bare number as it is, else the number ``pattern`` reads from the text."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return Decimal(_match(pattern, value, what)["n"])


def _hours_per_month(value: Any) -> Any:
    return _number_or(_HOURS_MONTH, value, "hours a month such as 2h/month")


def _kwh_per_month(value: Any) -> Any:
    return _number_or(_KWH_MONTH, value, "the household's use such as 300 kWh/month")


def _yearly(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    return Decimal(_match(_PER_YEAR, value, "a yearly rate such as 5%/year")["n"]) / 100


def _fx(value: Any) -> Any:
    if isinstance(value, tuple):
        return value
    m = _match(_FX, value, "an exchange rate such as 1400 KRW/USD")
    return (Decimal(m["n"]), m["cur"])


def _s(description: str) -> WithJsonSchema:
    return WithJsonSchema({"type": ["string", "number"], "description": description})


Months = Annotated[Decimal, BeforeValidator(_months), _s("months such as 36 months or 3 years")]
UsdPerKwh = Annotated[Decimal, BeforeValidator(_usd_per_kwh), _s("a price such as 0.20 USD/kWh")]
HoursPerDay = Annotated[Decimal, BeforeValidator(_hours_per_day), _s("hours a day such as 8h/day")]
HoursPerMonth = Annotated[Decimal, BeforeValidator(_hours_per_month), _s("hours a month such as 2h/month")]
KwhPerMonth = Annotated[Decimal, BeforeValidator(_kwh_per_month), _s("energy a month such as 300 kWh/month")]
Yearly = Annotated[Decimal, BeforeValidator(_yearly), _s("a yearly rate such as 5%/year")]
Preset = Annotated[
    str,
    WithJsonSchema({"type": "string", "description": "a power preset: desktop-16c-tuned, desktop-with-dgpu, mini-pc"}),
]
Fx = Annotated[
    tuple[Decimal, str], BeforeValidator(_fx), WithJsonSchema({"type": "string", "description": "e.g. 1400 KRW/USD"})
]


class PowerDraw(BaseModel):
    """Idle and full-load draw at the wall; the average is idle + (max − idle) × utilisation."""

    model_config = ConfigDict(extra="forbid")

    idle: Power = Field(description="draw when idle, e.g. 22W")
    max: Power = Field(description="draw at full load, e.g. 263W")

    @model_validator(mode="after")
    def _ordered(self) -> PowerDraw:
        if self.max < self.idle:
            raise ValueError("max must not be below idle")
        return self


def _power(value: Any) -> Any:
    """``120W`` (a flat average), ``{idle, max}``, or a preset's name from the catalog."""
    if isinstance(value, dict | PowerDraw):
        return value
    text = str(value).strip()
    try:
        return parse(text, Kind.POWER)
    except UnitError:
        if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
            return text  # a preset, checked against the catalog by the engine
        raise ValueError(f"{text!r} is not a power draw such as 120W, {{idle: 22W, max: 263W}} or a preset") from None


class Machine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cpus: Count = Field(description="CPU cores (or threads) the machine gives containers, e.g. 16")
    memory: Bytes = Field(description="memory, e.g. 64GiB")
    disk: Bytes | None = Field(default=None, description="disk, e.g. 2TB (without it, disk fit is not checked)")
    price: Money = Field(description="purchase price, e.g. 2400 USD")
    lifetime: Months = Field(default=Decimal(36), description="months to spread the price over (default 36 months)")
    cost_of_money: Yearly | None = Field(
        default=None, description="yearly interest the money would earn or cost, e.g. 5%/year (default: none)"
    )
    power: Annotated[Power | PowerDraw | Preset | None, BeforeValidator(_power)] = Field(
        default=None,
        description="average draw (120W), {idle, max} with utilization, or a preset "
        "(desktop-16c-tuned, desktop-with-dgpu, mini-pc); without it, a default is assumed and said",
    )
    utilization: Share | None = Field(
        default=None, description="average load between idle and max, e.g. 10% (with {idle, max} or a preset)"
    )

    @field_validator("lifetime")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if not 1 <= value <= 240:
            raise ValueError("lifetime is from 1 to 240 months")
        return value

    @field_validator("cpus")
    @classmethod
    def _cpus(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("cpus must be above 0")
        return value


class Tariff(BaseModel):
    """A published tariff from the catalog, priced as the household's bill with the machine minus without it."""

    model_config = ConfigDict(extra="forbid")

    tariff: str = Field(description="a tariff in the catalog, e.g. kepco-residential-low")
    household_kwh: KwhPerMonth = Field(
        default=Decimal(0), description="the household's own use without the machine, e.g. 300/month"
    )
    fx: Fx | None = Field(default=None, description="how much of the tariff's currency one USD buys, e.g. 1400 KRW/USD")


def _electricity(value: Any) -> Any:
    """One clear error for a price that is not one (rather than one per member of the union)."""
    return value if isinstance(value, dict | Tariff | Decimal) else _usd_per_kwh(value)


def _electricity_kind(value: Any) -> str:
    return "tariff" if isinstance(value, dict | Tariff) else "price"


Electricity = Annotated[
    Annotated[Annotated[UsdPerKwh, Tag("price")] | Annotated[Tariff, Tag("tariff")], Discriminator(_electricity_kind)],
    BeforeValidator(_electricity),
]
"""A flat price (``0.20 USD/kWh``) or a tariff from the catalog (``{tariff, household_kwh, fx}``)."""


class Labour(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: HoursPerMonth = Field(description="upkeep hours a month, e.g. 2h/month")
    rate: Money = Field(description="what an hour is worth, e.g. 50 USD")


class SelfHostContainer(BaseModel):
    """A container of one's own on the machine (e.g. a service imported from a Compose file): what it is given."""

    model_config = ConfigDict(extra="forbid")

    image: str = Field(description="the image it runs, e.g. valkey/valkey:8.1")
    replicas: int = Field(default=1, ge=0, le=1_000, description="copies running at once")
    cpu: Cpu = Field(description="CPUs each copy uses or is limited to, e.g. 0.5")
    memory: Bytes = Field(description="memory each copy is limited to, e.g. 512MiB")
    gpu: bool = Field(default=False, description="the container reserves a GPU device")
    network: Literal["host"] | None = Field(default=None, description="host: shares the machine's network")


class SelfHost(BaseModel):
    model_config = ConfigDict(extra="forbid")

    machine: Machine
    electricity: Electricity | None = Field(
        default=None, description="the price of a kWh (default: the catalog's national average, as an assumption)"
    )
    uplink: Money = Field(default=Decimal(0), description="monthly cost of the connection or a tunnel, e.g. 0 USD")
    on_anyway: HoursPerDay = Field(
        default=Decimal(0), description="hours a day the machine is on regardless (their power is not charged)"
    )
    labour: Labour | None = Field(default=None, description="upkeep: {hours: 2h/month, rate: 50 USD}")
    replaces: str | None = Field(
        default=None,
        description="the plan file of the cloud system the machine replaces (relative to this plan); "
        "without it, this plan's own resources are that system",
    )
    secrets: Literal["plaintext", "encrypted"] | None = Field(
        default=None, description="how the secrets file standing in for a secret manager is kept"
    )
    headroom: Share = Field(
        default=Decimal("0.2"), description="share of the machine kept free for the OS and peaks (default 20%)"
    )
    components: dict[str, SelfHostContainer] = Field(
        default_factory=dict,
        description="containers of one's own on the machine besides the cloud's counterparts (infrafit import compose)",
    )

    @field_validator("headroom")
    @classmethod
    def _headroom(cls, value: Decimal) -> Decimal:
        if value >= 1:
            raise ValueError("headroom must be below 100%")
        return value
