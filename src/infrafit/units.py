"""Quantities with units, as plans write them.

Everything numeric in a plan passes through here so that a bare number where a unit is needed, a
negative amount or an unknown unit is refused with a message that says what is accepted. Values are
kept as ``Decimal`` in base units (bytes, seconds, counts per period) so money arithmetic stays exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class UnitError(ValueError):
    """A value that cannot be read as the quantity a field expects."""


class Kind(StrEnum):
    """What a plan field measures; decides which units it accepts."""

    BYTES = "bytes"
    DURATION = "duration"
    RATE = "rate"  # a count per period: 5M/month
    DATA_RATE = "data_rate"  # bytes per period: 400MB/month
    NUMBER = "number"  # a plain count: concurrency, jobs
    HOURS = "hours"  # hours in a month: 146 or 146h
    PERCENT = "percent"
    MONEY = "money"
    POWER = "power"  # watts


BYTE_UNITS: dict[str, int] = {
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "PB": 10**15,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
    "PiB": 2**50,
    # Kubernetes spellings of the IEC units.
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}

DURATION_UNITS: dict[str, Decimal] = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "sec": Decimal(1),
    "min": Decimal(60),
    "h": Decimal(3600),
    "hour": Decimal(3600),
    "hours": Decimal(3600),
    "day": Decimal(86400),
    "days": Decimal(86400),
}

PERIODS: dict[str, str] = {
    "s": "s",
    "sec": "s",
    "second": "s",
    "min": "min",
    "minute": "min",
    "h": "h",
    "hour": "h",
    "day": "day",
    "d": "day",
    "month": "month",
    "mo": "month",
}

MULTIPLIERS: dict[str, Decimal] = {
    "": Decimal(1),
    "K": Decimal(10**3),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "B": Decimal(10**9),
    "G": Decimal(10**9),
}

ACCEPTED: dict[Kind, str] = {
    Kind.BYTES: "a size such as 500MB or 2GiB (B, KB, MB, GB, TB = powers of 1,000; KiB, MiB, GiB, TiB = powers of 1,024)",
    Kind.DURATION: "a duration such as 200ms, 30s, 5min, 2h or 1day",
    Kind.RATE: "a rate such as 5M/month, 100/day, 20/min or 3/s (K, M, B multipliers)",
    Kind.DATA_RATE: "a volume per period such as 400MB/month or 10GB/day",
    Kind.NUMBER: "a plain number such as 4",
    Kind.HOURS: "hours per month such as 146 or 146h",
    Kind.PERCENT: "a percentage such as 20%",
    Kind.MONEY: "an amount such as 25 USD",
    Kind.POWER: "a power draw such as 65W or 0.2kW",
}

_NUMBER = r"(?P<num>\d[\d_,]*(?:\.\d+)?|\.\d+)"
_RE_SIZE = re.compile(rf"^{_NUMBER}\s*(?P<unit>[A-Za-z]+)$")
_RE_RATE = re.compile(rf"^{_NUMBER}\s*(?P<mult>[KkMBG]?)\s*(?P<unit>[A-Za-z]*)\s*/\s*(?P<period>[A-Za-z]+)$")
_RE_PLAIN = re.compile(rf"^{_NUMBER}\s*(?P<mult>[KkMBG]?)$")
_RE_PERCENT = re.compile(rf"^{_NUMBER}\s*%$")
_RE_MONEY = re.compile(rf"^\$?\s*{_NUMBER}\s*(?P<cur>USD|usd|\$)?$")
_RE_POWER = re.compile(rf"^{_NUMBER}\s*(?P<unit>W|kW)$")


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise UnitError(f"{text!r} is not a number") from exc


@dataclass(frozen=True, slots=True)
class Rate:
    """A count per period; the month's length comes from the plan, so it is resolved late."""

    amount: Decimal
    period: str  # s, min, h, day, month

    def per_month(self, month_hours: Decimal) -> Decimal:
        seconds = {
            "s": Decimal(1),
            "min": Decimal(60),
            "h": Decimal(3600),
            "day": Decimal(86400),
        }
        if self.period == "month":
            return self.amount
        return self.amount * month_hours * Decimal(3600) / seconds[self.period]

    def __str__(self) -> str:
        return f"{_fmt(self.amount)}/{self.period}"


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _bare_number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    return None


def _check_sign(value: Decimal, raw: object) -> Decimal:
    if value < 0:
        raise UnitError(f"{raw!r} is negative; quantities must be zero or more")
    return value


def parse(value: object, kind: Kind) -> Decimal | Rate:
    """Read ``value`` as a quantity of ``kind``; raise UnitError saying what is accepted."""
    if isinstance(value, str) and value.strip().startswith("-"):
        raise UnitError(f"{value!r} is negative; quantities must be zero or more")
    number = _bare_number(value)
    if number is not None and number < 0:
        raise UnitError(f"{value!r} is negative; quantities must be zero or more")
    if kind is Kind.NUMBER:
        if number is not None:
            return number
        if isinstance(value, str) and (m := _RE_PLAIN.match(value.strip())):
            return _dec(m["num"]) * MULTIPLIERS[m["mult"]]
        raise UnitError(f"{value!r} is not {ACCEPTED[kind]}")
    if kind is Kind.HOURS:
        if number is not None:
            return number
        if isinstance(value, str):
            return parse_duration(value) / Decimal(3600)
        raise UnitError(f"{value!r} is not {ACCEPTED[kind]}")
    if number is not None:
        raise UnitError(f"{value!r} needs a unit: expected {ACCEPTED[kind]}")
    if not isinstance(value, str):
        raise UnitError(f"{value!r} is not {ACCEPTED[kind]}")
    text = value.strip()
    if kind is Kind.BYTES:
        return parse_bytes(text)
    if kind is Kind.DURATION:
        return parse_duration(text)
    if kind is Kind.RATE:
        return parse_rate(text)
    if kind is Kind.DATA_RATE:
        return parse_data_rate(text)
    if kind is Kind.PERCENT:
        m = _RE_PERCENT.match(text)
        if not m:
            raise UnitError(f"{value!r} is not {ACCEPTED[kind]}")
        return _dec(m["num"]) / Decimal(100)
    if kind is Kind.MONEY:
        return parse_money(text)
    if kind is Kind.POWER:
        m = _RE_POWER.match(text)
        if not m:
            raise UnitError(f"{value!r} is not {ACCEPTED[kind]}")
        return _dec(m["num"]) * (Decimal(1000) if m["unit"] == "kW" else Decimal(1))
    raise UnitError(f"unknown kind {kind}")  # pragma: no cover


def _parse_scaled(text: str, units: dict[str, int] | dict[str, Decimal], kind: Kind) -> Decimal:
    """A number followed by one of ``units``, scaled to the base unit."""
    m = _RE_SIZE.match(text.strip())
    if not m or m["unit"] not in units:
        unit = m["unit"] if m else text
        raise UnitError(f"{text!r} is not {ACCEPTED[kind]}{_suggest_unit(unit, list(units))}")
    return _dec(m["num"]) * units[m["unit"]]


def parse_bytes(text: str) -> Decimal:
    return _parse_scaled(text, BYTE_UNITS, Kind.BYTES)


def parse_duration(text: str) -> Decimal:
    return _parse_scaled(text, DURATION_UNITS, Kind.DURATION)


def parse_rate(text: str) -> Rate:
    m = _RE_RATE.match(text.strip())
    if not m or m["period"] not in PERIODS:
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.RATE]}")
    unit = m["unit"]
    mult = m["mult"]
    # "5M/month" parses as mult=M unit=""; "5 requests/month" keeps a free-text noun.
    if unit in MULTIPLIERS and not mult:
        mult, unit = unit, ""
    return Rate(_dec(m["num"]) * MULTIPLIERS[mult], PERIODS[m["period"]])


def parse_data_rate(text: str) -> Rate:
    m = _RE_RATE.match(text.strip())
    if not m or m["period"] not in PERIODS:
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.DATA_RATE]}")
    size = f"{m['num']}{m['mult']}{m['unit']}"
    return Rate(parse_bytes(size), PERIODS[m["period"]])


def parse_money(text: str) -> Decimal:
    m = _RE_MONEY.match(text.strip())
    if not m or (m["cur"] is None and not text.strip().startswith("$")):
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.MONEY]}")
    return _dec(m["num"])


def _suggest_unit(unit: str, known: list[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(unit, known, n=1, cutoff=0.5)
    case = [k for k in known if k.lower() == unit.lower()]
    pick = case or close
    return f" (did you mean {pick[0]}?)" if pick else ""


def format_bytes(value: Decimal) -> str:
    """Human size in SI units (the providers' billing units are mostly GB)."""
    for unit in ("TB", "GB", "MB", "KB"):
        if value >= BYTE_UNITS[unit]:
            return f"{_fmt((value / BYTE_UNITS[unit]).quantize(Decimal('0.01')))} {unit}"
    return f"{_fmt(value)} B"
