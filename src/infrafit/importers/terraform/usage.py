"""Infracost usage files (``infracost-usage.yml``) to plan ``usage:``, by the key table in
``catalog/data/import/infracost.yaml``. Real usage files carry misspelt keys and addresses that no longer exist:
each is reported with a suggestion, never dropped silently."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem, did_you_mean
from infrafit.importers.draft import Draft, Finding
from infrafit.importers.files import read_yaml
from infrafit.importers.tables import table
from infrafit.importers.terraform.mapper import Mapper

__all__ = ["apply_usage_file"]

_INDEX = re.compile(r"\[[^\]]*\]")


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (node or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        else:
            out[name] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("resource_usage", {}), dict):
        raise InputError([Problem("an infracost usage file has `version: 0.1` and `resource_usage: {ADDRESS: {key: value}}`", file=str(path))])
    return data


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f")


def apply_usage_file(path: Path, draft: Draft, mapper: Mapper, types: dict[str, str]) -> None:
    """Set usage from the file on the draft's resources (``types``: Terraform address -> resource type)."""
    data = _read(path)
    keys: dict[str, dict[str, Any]] = table("infracost")["keys"]
    products: dict[str, dict[str, Any]] = table("infracost").get("products") or {}
    for address, body in (data.get("resource_usage") or {}).items():
        base = _INDEX.sub("", str(address))
        name = mapper.by_address.get(base)
        if name is None:
            draft.findings.append(Finding(
                code="usage_address_unknown", severity="warning", subject=str(address),
                message=f"{path.name}: no imported resource has this address{did_you_mean(base, mapper.by_address)}",
            ))
            continue
        rtype = types[base]
        service = draft.body["resources"][name]["service"]
        known = keys.get(rtype, {})
        flat = _flat(body if isinstance(body, dict) else {})
        for combo_key, combo in (products.get(rtype) or {}).items():
            parts = [flat.pop(k, None) for k in combo["of"]]
            if all(isinstance(p, int | float) for p in parts):
                total = Decimal(1)
                for p in parts:
                    total *= Decimal(str(p))
                total /= Decimal(str(combo.get("divide", 1)))
                draft.put(("resources", name, "usage", combo_key), f"{_fmt(total)}{combo['unit']}", f"from {path.name}: {' × '.join(combo['of'])}")
        for key, value in flat.items():
            rule = known.get(key)
            if rule is None:
                draft.findings.append(Finding(
                    code="usage_key_unknown", severity="warning", subject=f"{address}.{key}",
                    message=f"{path.name}: infrafit has no usage for this key on {rtype}{did_you_mean(key, known) if known else ''}",
                ))
                continue
            number = Decimal(str(value)) if isinstance(value, int | float) and not isinstance(value, bool) else None
            if number is None:
                draft.findings.append(Finding(
                    code="usage_value_unreadable", severity="warning", subject=f"{address}.{key}",
                    message=f"{path.name}: {value!r} is not a number",
                ))
                continue
            unit = mapper.gb_unit(service, str(rule.get("unit", "")))
            shown: Any = f"{_fmt(number)}{unit}" if unit else (int(number) if number == number.to_integral_value() else number)
            draft.put(("resources", name, "usage", rule["usage"]), shown, f"from {path.name}: {key}")
