"""Read ``terraform show -json`` output (a plan or a state) and raw ``terraform.tfstate``, as real files come.

Real files arrive UTF-16 (PowerShell's ``>`` redirection), wrapped in CI noise (setup-terraform's ``[command]`` and
``::debug::`` lines), wrapped in one top-level key (``{"tfplan": {...}}`` for policy tools), as a state rendering
(``values.root_module``) instead of a plan, or with every resource in nested child modules. The priced world is
the post-plan one: ``planned_values`` (a replaced resource appears once, a deleted one not at all); data
sources are skipped. Any ``format_version`` 0.x or 1.x is read; 2.x is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem
from infrafit.importers.terraform.model import Region, TfResource, TfSource

__all__ = ["decode", "read_plan_json"]

_MARKERS = ("format_version", "planned_values", "values", "resource_changes", "terraform_version")


def decode(raw: bytes) -> str:
    """Text from bytes in the encodings plan files come in (UTF-8 with or without BOM, UTF-16 either way)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if len(raw) >= 4 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        return raw.decode("utf-16-le")
    if len(raw) >= 4 and raw[0:1] == b"\x00" and raw[2:3] == b"\x00":
        return raw.decode("utf-16-be")
    return raw.decode("utf-8")


def _is_plan(doc: Any) -> bool:
    return isinstance(doc, dict) and (any(k in doc for k in _MARKERS) or ("version" in doc and "resources" in doc))


def _find_object(text: str, path: str) -> dict[str, Any]:
    """The JSON object in ``text``: the whole text, or the first ``{...}`` in it that is a plan or state."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as first:
        decoder = json.JSONDecoder()
        start = text.find("{")
        while start != -1:
            try:
                doc, _ = decoder.raw_decode(text, start)
            except json.JSONDecodeError:
                start = text.find("{", start + 1)
                continue
            if _is_plan(doc) or (isinstance(doc, dict) and len(doc) == 1 and _is_plan(next(iter(doc.values())))):
                return doc  # type: ignore[no-any-return]
            start = text.find("{", start + 1)
        raise InputError([Problem(
            f"no Terraform plan or state JSON found ({first.msg}); write it with `terraform show -json PLANFILE > plan.json`",
            file=path, line=first.lineno, column=first.colno,
        )]) from None
    if not isinstance(doc, dict):
        raise InputError([Problem("expected a JSON object from `terraform show -json`", file=path)])
    return doc


def _unwrap(doc: dict[str, Any], path: str) -> dict[str, Any]:
    if not _is_plan(doc) and len(doc) == 1:
        inner = next(iter(doc.values()))
        if _is_plan(inner):
            return inner  # type: ignore[no-any-return]
    if not _is_plan(doc):
        raise InputError([Problem(
            "this JSON is not a Terraform plan or state (no format_version, planned_values or values)", file=path
        )])
    return doc


def _version(doc: dict[str, Any], path: str) -> None:
    version = str(doc.get("format_version", "1.0"))
    major = version.split(".", 1)[0]
    if major not in ("0", "1"):
        raise InputError([Problem(
            f"format_version {version} is not supported (infrafit reads 0.x and 1.x, which Terraform writes today)",
            file=path,
        )])


def _walk(module: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    out: list[tuple[dict[str, Any], str]] = []
    stack = [module]
    while stack:
        mod = stack.pop(0)
        for res in mod.get("resources") or []:
            out.append((res, str(mod.get("address") or "")))
        stack.extend(mod.get("child_modules") or [])
    return out


def _provider_regions(doc: dict[str, Any]) -> dict[str, Region]:
    config = (doc.get("configuration") or {}).get("provider_config") or {}
    variables = doc.get("variables") or {}
    regions: dict[str, Region] = {}
    for key, body in config.items():
        expr = ((body or {}).get("expressions") or {}).get("region") or {}
        if "constant_value" in expr and isinstance(expr["constant_value"], str):
            regions[key] = Region(value=expr["constant_value"], origin=f'provider "{key}"')
            continue
        for ref in expr.get("references") or []:
            if isinstance(ref, str) and ref.startswith("var."):
                value = (variables.get(ref[4:]) or {}).get("value")
                if isinstance(value, str):
                    regions[key] = Region(value=value, origin=f'provider "{key}" ({ref})')
                    break
    for name in ("region", "aws_region", "gcp_region"):
        value = (variables.get(name) or {}).get("value")
        if isinstance(value, str) and "var" not in regions:
            regions["var"] = Region(value=value, origin=f"var.{name}")
    return regions


def _short_provider(name: str) -> str:
    """registry.terraform.io/hashicorp/aws -> aws; provider["registry.terraform.io/hashicorp/aws"].west -> aws.west"""
    text = name.replace('provider["', "").replace('"]', "")
    alias = ""
    last = text.split("/")[-1]
    if "." in last:
        last, alias = last.split(".", 1)
    return f"{last}.{alias}" if alias else last


def _group(rows: list[tuple[str, str, str, str, dict[str, Any], str]], regions: dict[str, Region], source: TfSource) -> None:
    """Instances of one address (``web[0]``, ``web[1]``) become one resource with their count."""
    by_address: dict[str, TfResource] = {}
    for address, rtype, name, module, values, provider in rows:
        base = address
        if base.endswith("]"):
            base = base[: base.rfind("[")]
        hit = by_address.get(base)
        if hit is not None and isinstance(hit.count, int):
            hit.count += 1
            continue
        region = regions.get(provider) or regions.get(provider.split(".")[0]) or regions.get("var")
        by_address[base] = TfResource(
            address=base, type=rtype, name=name, module=module, count=1, values=values, provider_region=region,
            file=source.where,
        )
    source.resources.extend(by_address.values())


def read_plan_json(path: Path) -> TfSource:
    """Resources of a plan (post-plan values) or a state, from the JSON as it came."""
    where = str(path)
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        raise InputError([Problem("not UTF-8 or UTF-16 text", file=where)]) from None
    doc = _unwrap(_find_object(text, where), where)
    _version(doc, where)
    rows: list[tuple[str, str, str, str, dict[str, Any], str]] = []
    if "planned_values" in doc or "values" in doc:
        kind = "plan JSON" if "planned_values" in doc else "state JSON"
        root = ((doc.get("planned_values") or doc.get("values")) or {}).get("root_module") or {}
        for res, module in _walk(root):
            if res.get("mode", "managed") != "managed":
                continue
            rows.append((
                str(res.get("address", "")), str(res.get("type", "")), str(res.get("name", "")), module,
                res.get("values") or {}, _short_provider(str(res.get("provider_name", ""))),
            ))
    elif "resources" in doc:  # raw terraform.tfstate (version 4)
        kind = "state file"
        for res in doc.get("resources") or []:
            if res.get("mode", "managed") != "managed":
                continue
            module = str(res.get("module") or "")
            prefix = f"{module}." if module else ""
            for inst in res.get("instances") or []:
                key = inst.get("index_key")
                suffix = "" if key is None else f"[{json.dumps(key)}]"
                rows.append((
                    f"{prefix}{res.get('type')}.{res.get('name')}{suffix}", str(res.get("type", "")),
                    str(res.get("name", "")), module, inst.get("attributes") or {},
                    _short_provider(str(res.get("provider", ""))),
                ))
    else:
        kind = "plan JSON"
    source = TfSource(kind=kind, where=where)
    if kind == "plan JSON" and not rows and doc.get("resource_changes"):
        source.notes.append("planned_values is empty: every change in this plan deletes")
    _group(rows, _provider_regions(doc), source)
    return source
