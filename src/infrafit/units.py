"""Quantities with units, as plans write them.

Everything numeric in a plan passes through here so that a bare number where a unit is needed, a
negative amount or an unknown unit is refused with a message that says what is accepted. Values are
kept as ``Decimal`` in base units (bytes, seconds, counts per period) so money arithmetic stays exact.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from enum import StrEnum

from infrafit.input_limits import LIMIT_TEXT, LIMITS, MAX_BYTES, MAX_PER_MONTH, MIN_POSITIVE


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
MULTIPLIER_WORDS: dict[str, Decimal] = {
    "thousand": Decimal(10**3),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
}
_NOUNS = "request call invocation execution message op operation event row read write delete document token unit"
COUNT_NOUNS = frozenset(w + s for w in f"{_NOUNS} command build item job".split() for s in ("", "s")) | {
    "req",
    "query",
    "queries",
}
"""Words a count per period may name after its multiplier (``5M requests/month``); any other word is refused,
so ``5 million/month`` or ``5MB/month`` can never be read as 5 a month."""

_PERIOD_SECONDS: dict[str, Decimal] = {
    "s": Decimal(1),
    "min": Decimal(60),
    "h": Decimal(3600),
    "day": Decimal(86400),
}
_LONGEST_MONTH_S = Decimal(744 * 3600)

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

# A comma only groups thousands (1,000,000): '0,5GB' or '25,00 USD' is a decimal comma and is refused, never read
# as 5 GB or 2,500 USD. Underscores group digits as in Python (1_000).
_NUMBER = r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d[\d_]*)(?:\.\d+)?|\.\d+)"
_RE_SIZE = re.compile(rf"^{_NUMBER}\s*(?P<unit>[A-Za-z]+)$")
_RE_RATE = re.compile(rf"^{_NUMBER}\s*(?P<words>[A-Za-z][A-Za-z ]*?)?\s*/\s*(?P<period>[A-Za-z]+)$")
_RE_BAD_COMMA = re.compile(r"\d,(?!\d{3}(?:\D|$))|\d,\d{3}\d")
_RE_PLAIN = re.compile(rf"^{_NUMBER}\s*(?P<mult>[KkMBG]?)$")
_RE_PERCENT = re.compile(rf"^{_NUMBER}\s*%$")
_RE_MONEY = re.compile(rf"^\$?\s*{_NUMBER}\s*(?P<cur>USD|usd|\$)?$")
_RE_POWER = re.compile(rf"^{_NUMBER}\s*(?P<unit>W|kW)$")


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise UnitError(f"{text!r} is not a number") from exc


def _check_commas(text: str) -> None:
    """Refuse a comma that is not a thousands separator: a decimal comma read as one would scale the value."""
    if "," in text and _RE_BAD_COMMA.search(text):
        hint = ""
        if text.count(",") == 1:
            hint = f" ({text.replace(',', '.')}?)"
        raise UnitError(f"{text!r}: a comma only separates thousands (1,000,000); write decimals with a dot{hint}")


def _yaml_word(value: float) -> str:
    """How YAML writes a float that is not a number, so the message quotes what the user typed."""
    if math.isnan(value):
        return ".nan"
    return ".inf" if value > 0 else "-.inf"


def _check_range(value: Decimal, raw: object, kind: Kind) -> Decimal:
    """Refuse amounts beyond the stated limits (docs/limits.md) and absurdly small non-zero ones."""
    top = LIMITS.get(kind)
    if top is not None and value > top:
        raise UnitError(f"{raw!r} is too large: {LIMIT_TEXT[kind]} (docs/limits.md)")
    if 0 < value < MIN_POSITIVE:
        raise UnitError(f"{raw!r} is too small: a non-zero amount is at least {MIN_POSITIVE:f} (or write 0)")
    return value


_HOUR = _PERIOD_SECONDS["h"]


@dataclass(frozen=True, slots=True)
class Rate:
    """A count per period; the month's length comes from the plan, so it is resolved late."""

    amount: Decimal
    period: str  # s, min, h, day, month

    def per_month(self, month_hours: Decimal) -> Decimal:
        if self.period == "month":
            return self.amount
        return self.amount * month_hours * _HOUR / _PERIOD_SECONDS[self.period]

    def __str__(self) -> str:
        return f"{_fmt(self.amount)}/{self.period}"


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _bare_number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise UnitError(f"{_yaml_word(value)} is not a number; write a finite amount")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            raise UnitError(f"{value} is not a number; write a finite amount")
        return number
    return None


def _check_sign(value: Decimal, raw: object) -> Decimal:
    if value < 0:
        raise UnitError(f"{raw!r} is negative; quantities must be zero or more")
    return value


def parse(value: object, kind: Kind) -> Decimal | Rate:
    """Read ``value`` as a quantity of ``kind``; raise UnitError saying what is accepted.

    The result is finite, not negative and within the kind's limit (:data:`LIMITS`, docs/limits.md). Text is read
    once per (text, kind): plans and the catalog repeat the same few quantities thousands of times.
    """
    if isinstance(value, str):
        return _parse_text(value, kind)
    return _parse_checked(value, kind)


@functools.lru_cache(maxsize=8192)
def _parse_text(value: str, kind: Kind) -> Decimal | Rate:
    return _parse_checked(value, kind)


def _parse_checked(value: object, kind: Kind) -> Decimal | Rate:
    result = _parse(value, kind)
    if isinstance(result, Rate):
        top = MAX_PER_MONTH if kind is Kind.RATE else MAX_BYTES
        per_month = result.amount * (
            _LONGEST_MONTH_S / _PERIOD_SECONDS[result.period] if result.period != "month" else 1
        )
        if per_month > top:
            raise UnitError(f"{value!r} is too large: {LIMIT_TEXT[kind]} (docs/limits.md)")
        if 0 < result.amount < MIN_POSITIVE:
            raise UnitError(f"{value!r} is too small: a non-zero amount is at least {MIN_POSITIVE:f} (or write 0)")
        return result
    return _check_range(result, value, kind)


def _parse(value: object, kind: Kind) -> Decimal | Rate:
    if isinstance(value, str) and value.strip().startswith("-"):
        raise UnitError(f"{value!r} is negative; quantities must be zero or more")
    if isinstance(value, str):
        _check_commas(value.strip())
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
        if isinstance(value, str):  # 146h, 90min: bounded as hours by parse()
            return _parse_scaled(value, DURATION_UNITS, Kind.DURATION, bounded=False) / Decimal(3600)
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


def _parse_scaled(
    text: str, units: dict[str, int] | dict[str, Decimal], kind: Kind, *, bounded: bool = True
) -> Decimal:
    """A number followed by one of ``units``, scaled to the base unit."""
    _check_commas(text.strip())
    m = _RE_SIZE.match(text.strip())
    if not m or m["unit"] not in units:
        if "/" in text and kind is Kind.BYTES:
            raise UnitError(f"{text!r} is a rate, but this field is an amount stored: write e.g. 5MiB")
        if "/" in text and kind is Kind.DURATION:
            raise UnitError(f"{text!r} is a rate, but this field is a duration: write e.g. 30s")
        unit = m["unit"] if m else text
        if kind is Kind.DURATION and unit == "m":
            raise UnitError(f"{text!r}: write min for minutes or ms for milliseconds (m is ambiguous)")
        raise UnitError(f"{text!r} is not {ACCEPTED[kind]}{_suggest_unit(unit, list(units))}")
    value = _dec(m["num"]) * units[m["unit"]]
    return _check_range(value, text, kind) if bounded else value


def parse_bytes(text: str) -> Decimal:
    return _parse_scaled(text, BYTE_UNITS, Kind.BYTES)


def parse_duration(text: str) -> Decimal:
    return _parse_scaled(text, DURATION_UNITS, Kind.DURATION)


def parse_rate(text: str) -> Rate:
    """A count per period: ``5M/month``, ``100/day``, ``5 million requests/month``, ``20 calls/min``."""
    m = _RE_RATE.match(text.strip())
    if not m:
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.RATE]}")
    period = _period(text, m["period"], Kind.RATE)
    return Rate(_dec(m["num"]) * _count_words(text, (m["words"] or "").split()), period)


def _period(text: str, word: str, kind: Kind) -> str:
    if word not in PERIODS:
        raise UnitError(
            f"{text!r}: unknown period {word!r}{_suggest_unit(word, list(PERIODS))}; expected {ACCEPTED[kind]}"
        )
    return PERIODS[word]


def _count_words(text: str, words: list[str]) -> Decimal:
    """The multiplier of a count's words (a multiplier, then at most one noun such as requests)."""
    if not words:
        return Decimal(1)
    first, rest = words[0], words[1:]
    mult: Decimal | None = MULTIPLIERS.get(first) if first else None
    if mult is None:
        mult = MULTIPLIER_WORDS.get(first.lower())
    if mult is None and len(first) > 1 and first[0] in "KkMBG" and first[1:] in COUNT_NOUNS:
        mult, rest = MULTIPLIERS[first[0]], [first[1:], *rest]  # 5Mrequests
    if mult is None:
        if first in COUNT_NOUNS:
            mult, rest = Decimal(1), words
        else:
            raise UnitError(f"{text!r}: {_bad_count_word(first)}")
    if len(rest) > 1 or (rest and rest[0] not in COUNT_NOUNS):
        raise UnitError(f"{text!r}: {_bad_count_word(rest[0] if rest[0] not in COUNT_NOUNS else rest[1])}")
    return mult


def _bad_count_word(word: str) -> str:
    """Why ``word`` cannot be part of a count, with the forms that are accepted."""
    if word in BYTE_UNITS or (word[:1] in "KkMGTP" and word[1:] in ("B", "iB")):
        return f"{word} is a size, but this field counts things (requests, calls): write e.g. 5M/month"
    if word.lower() in ("m", "mm", "mil", "mio", "mn", "kk", "bn", "t", "tn"):
        return (
            f"{word!r} is not a multiplier: write K (thousand), M (million) or B (billion), e.g. 5M/month for 5 million"
        )
    close = _suggest_unit(word, sorted(COUNT_NOUNS | set(MULTIPLIER_WORDS)))
    return (
        f"unknown word {word!r}{close}; a count is a number, an optional multiplier (K, M, B, thousand, million, "
        "billion) and an optional noun such as requests or calls, per period: 5M/month, 100 calls/day"
    )


def parse_data_rate(text: str) -> Rate:
    m = _RE_RATE.match(text.strip())
    if not m:
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.DATA_RATE]}")
    period = _period(text, m["period"], Kind.DATA_RATE)
    size = f"{m['num']}{(m['words'] or '').replace(' ', '')}"
    try:
        return Rate(parse_bytes(size), period)
    except UnitError:
        raise UnitError(f"{text!r} is not {ACCEPTED[Kind.DATA_RATE]}") from None


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
    wide = Context(prec=60)  # quantize needs digits for the whole value; any size a plan allows fits in 60
    for unit in ("TB", "GB", "MB", "KB"):
        if value >= BYTE_UNITS[unit]:
            return f"{_fmt((value / BYTE_UNITS[unit]).quantize(Decimal('0.01'), context=wide))} {unit}"
    return f"{_fmt(value)} B"


def duration_text(seconds: float) -> str:
    """A duration in the unit a reader thinks in, the same thresholds everywhere (reports and the simulators' own
    sentences): seconds under 90 s, minutes under 90 min, hours under two days, days beyond."""
    if seconds == 0:
        return "0 s"
    if seconds < 90:
        return f"{seconds:,.1f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:,.1f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / 86400:,.1f} days"
