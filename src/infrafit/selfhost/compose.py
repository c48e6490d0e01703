"""A Compose file for the counterparts, checked against the Compose specification's JSON Schema (vendored).

Every container gets a pinned image (or a build context for the plan's own code), a restart policy, a named volume
for its data, a health check where the image has one, resource limits from its estimated needs, and one network.
Compose byte values are binary: ``512M`` is 512 MiB.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from infrafit.selfhost.footprint import Sized

__all__ = ["NETWORK", "ComposeInvalid", "compose_file", "compose_text", "schema", "validate"]

NETWORK = "selfhost"
MIB = Decimal(2**20)
LIMIT_CPU, MIN_LIMIT_CPU, LIMIT_MEMORY = Decimal(4), Decimal("0.5"), Decimal("1.5")
"""Reservations are the estimate; limits leave room for peaks: 4x the cores (at least half a core), 1.5x memory."""


class ComposeInvalid(ValueError):
    """The file does not satisfy the Compose specification's schema; the message names each failing key."""


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources.files("infrafit.selfhost") / "compose-spec.json").read_text(encoding="utf-8")
    )
    return data


def validate(document: dict[str, Any]) -> None:
    """Raise :class:`ComposeInvalid` listing every schema error (path: message)."""
    import jsonschema

    # The file names draft 2019-09 by an address jsonschema does not know (http, with "draft/"): say it outright.
    errors = sorted(jsonschema.Draft201909Validator(schema()).iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors]
        raise ComposeInvalid("not valid against the Compose specification: " + "; ".join(lines))


def _cpus(cores: Decimal) -> str:
    """Cores rounded up to 0.05, at least 0.05: Compose's ``cpus`` string."""
    steps = max(1, math.ceil(float(cores) / 0.05 - 1e-9))
    return f"{steps * 0.05:.2f}"


def _memory(size: Decimal) -> str:
    """Bytes rounded up to 16 MiB, at least 16: ``512M`` (binary in Compose)."""
    mib = max(16, math.ceil(float(size / MIB) / 16 - 1e-9) * 16)
    return f"{mib}M"


def _service(box: Sized) -> dict[str, Any]:
    comp = box.component
    out: dict[str, Any] = {}
    if comp.build or comp.image is None:
        out["build"] = {"context": f"./{box.name}"}
    else:
        out["image"] = comp.image
    if comp.command:
        out["command"] = list(comp.command)
    out["restart"] = "unless-stopped"
    if comp.volume:
        out["volumes"] = [f"{box.name}-data:{comp.volume}"]
    if comp.healthcheck:
        out["healthcheck"] = {
            "test": list(comp.healthcheck),
            "interval": "30s",
            "timeout": "5s",
            "retries": 3,
            "start_period": "30s",
        }
    deploy: dict[str, Any] = {}
    if box.replicas != 1:
        deploy["replicas"] = box.replicas
    deploy["resources"] = {
        "limits": {
            "cpus": _cpus(max(box.cpu * LIMIT_CPU, MIN_LIMIT_CPU)),
            "memory": _memory(box.memory * LIMIT_MEMORY),
        },
        "reservations": {"cpus": _cpus(box.cpu), "memory": _memory(box.memory)},
    }
    out["deploy"] = deploy
    out["networks"] = [NETWORK]
    return out


def compose_file(containers: list[Sized]) -> dict[str, Any]:
    """The Compose document for ``containers`` (validated before it is returned)."""
    services = {box.name: _service(box) for box in containers}
    volumes: dict[str, Any] = {f"{box.name}-data": {} for box in containers if box.component.volume}
    document: dict[str, Any] = {"services": services, "networks": {NETWORK: {}}}
    if volumes:
        document["volumes"] = volumes
    validate(document)
    return document


def compose_text(document: dict[str, Any], header: str) -> str:
    """YAML with a comment header (Compose has no top-level key for provenance in every revision)."""
    import yaml

    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True)
