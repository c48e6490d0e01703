"""Right-sizing settings (the flags of `infrafit rightsize`) and the Kubernetes and Prometheus spellings they use.

Kept free of NumPy: the command line builds its flags from :class:`RightsizeSettings` at start-up.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from infrafit.kube.quantity import ACCEPTED, parse_quantity
from infrafit.kube.reserve import GIB, MIB
from infrafit.units import Kind, parse

__all__ = ["MIB", "RightsizeSettings", "cpu_text", "format_duration", "memory_text", "parse_duration"]


def _quantity(value: Any) -> Any:
    return parse_quantity(value) if isinstance(value, str | int | float) else value


def _share(value: Any) -> Any:
    return parse(value, Kind.PERCENT) if isinstance(value, str) else value


KubeCpu = Annotated[
    Decimal,
    BeforeValidator(_quantity),
    WithJsonSchema({"type": ["string", "number"], "description": f"cores as {ACCEPTED}"}),
]
KubeMemory = Annotated[
    Decimal,
    BeforeValidator(_quantity),
    WithJsonSchema({"type": ["string", "number"], "description": f"bytes as {ACCEPTED}"}),
]
Share = Annotated[
    Decimal, BeforeValidator(_share), WithJsonSchema({"type": "string", "description": "a percentage such as 15%"})
]

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)")
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0, "y": 31536000.0}


def parse_duration(text: str) -> float:
    """Seconds in a Prometheus duration: ``75s``, ``5m``, ``14d``, ``1h30m`` (``m`` is minutes, ``y`` 365 days)."""
    value = text.strip()
    parts = _DURATION.findall(value)
    if not value or "".join(n + u for n, u in parts) != value:
        raise ValueError(f"{text!r} is not a duration; write it as Prometheus does, e.g. 75s, 5m, 3h, 14d or 1h30m")
    seconds = sum(float(n) * _SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest Prometheus spelling of a whole number of seconds: 1209600 -> ``14d``, 75 -> ``75s``."""
    whole = round(seconds)
    for unit in ("d", "h", "m"):
        size = int(_SECONDS[unit])
        if whole >= size and whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{whole}s"


def _duration(value: Any) -> Any:
    return parse_duration(value) if isinstance(value, str) else value


Duration = Annotated[
    float,
    BeforeValidator(_duration),
    WithJsonSchema({"type": ["string", "number"], "description": "a Prometheus duration such as 75s, 5m, 3h or 14d"}),
]
"""Seconds, written as Prometheus writes durations."""


class RightsizeSettings(BaseModel):
    """How recommendations are made. Each field is a flag of ``infrafit rightsize`` (``cpu_floor`` -> ``--cpu-floor``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, not at `infrafit check`

    namespace: str | None = Field(
        default=None, description="Only this namespace (default: every namespace with containers)."
    )
    history: Duration = Field(default=14 * 86400.0, gt=0, description="How far back to look, e.g. 14d.")
    step: Duration = Field(default=75.0, gt=0, description="Resolution of the history, e.g. 75s.")
    rate_window: Duration | None = Field(default=None, gt=0, description="Window of the CPU rate (default: the step).")
    percentile: float = Field(default=95.0, gt=0, le=100, description="CPU request = this percentile of use, e.g. 95.")
    buffer: Share = Field(default=Decimal("0.15"), ge=0, description="Memory = peak plus this share, e.g. 15%.")
    cpu_floor: KubeCpu = Field(default=Decimal("0.01"), description="Smallest CPU request, e.g. 10m.")
    memory_floor: KubeMemory = Field(
        default=Decimal(100 * MIB), description="Smallest memory request and limit, e.g. 100Mi."
    )
    oom_margin: KubeMemory = Field(
        default=Decimal(100 * MIB), description="After an OOM kill: at least limit plus this, e.g. 100Mi."
    )
    oom_factor: Share = Field(
        default=Decimal("0.2"), ge=0, description="After an OOM kill: at least limit times (1 + this), e.g. 20%."
    )
    min_history: Duration = Field(
        default=3 * 3600.0, description="Warn when a container's history is shorter, e.g. 3h."
    )
    min_samples: int = Field(default=100, ge=1, description="Warn when a container has fewer samples than this.")
    end: datetime | None = Field(
        default=None, description="End of the history, ISO 8601 (default: now, or the file's last sample)."
    )


def cpu_text(cores: float | None) -> str:
    """Cores as Kubernetes writes them: ``300m``, ``2``."""
    if cores is None:
        return "—"
    milli = round(cores * 1000)
    return f"{milli // 1000}" if milli % 1000 == 0 and milli else f"{milli}m"


def memory_text(size: float | None) -> str:
    """Bytes as Kubernetes writes them: ``460Mi``, ``2Gi`` (``≈`` when not a whole MiB)."""
    if size is None:
        return "—"
    if size and size % GIB == 0:
        return f"{int(size // GIB)}Gi"
    if size % MIB == 0:
        return f"{int(size // MIB)}Mi"
    return f"≈{size / MIB:.0f}Mi"
