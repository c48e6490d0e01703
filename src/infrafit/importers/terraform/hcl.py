"""Read a Terraform configuration directory with python-hcl2 8.x and resolve what the files can say.

python-hcl2 parses but evaluates nothing, so variables come from their defaults, ``terraform.tfvars``,
``*.auto.tfvars`` (and their ``.json`` forms) and ``--var``, in Terraform's order of precedence; ``local.*`` is
resolved on demand; local modules (``source = "./..."``) are followed with their inputs; a registry module is
followed only when ``.terraform/modules/modules.json`` maps it to a folder, else listed as unresolved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem
from infrafit.importers.terraform.expr import Scope, Unknown, resolve
from infrafit.importers.terraform.model import Region, TfResource, TfSource
from infrafit.importers.terraform.parse import parse_files

__all__ = ["read_directory"]

MAX_MODULE_DEPTH = 16


def _blocks(doc: dict[str, Any], kind: str) -> Iterator[tuple[str, Any]]:
    """(label, body) of each top-level block ``kind``; hcl2 gives lists of one-key maps, .tf.json gives maps."""
    raw = doc.get(kind)
    for item in raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []:
        if isinstance(item, dict):
            yield from item.items()


def _resources(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for rtype, by_name in _blocks(doc, "resource"):
        for name, body in (by_name or {}).items():
            for one in body if isinstance(body, list) else [body]:
                yield rtype, name, one if isinstance(one, dict) else {}


def _convert(text: str, declared: Any) -> Any:
    """A ``--var`` or tfvars string as Terraform would convert it for the variable's type."""
    if isinstance(declared, str) and declared in ("number", "${number}"):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    if isinstance(declared, str) and declared in ("bool", "${bool}"):
        return text == "true"
    return text


def _tfvars(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    files: list[Path] = []
    for first in ("terraform.tfvars", "terraform.tfvars.json"):
        if (directory / first).is_file():
            files.append(directory / first)
    files += sorted(p for p in directory.glob("*.auto.tfvars")) + sorted(directory.glob("*.auto.tfvars.json"))
    out = []
    for path in files:
        if path.suffix == ".json":
            try:
                out.append((path, json.loads(path.read_text(encoding="utf-8-sig"))))
            except json.JSONDecodeError as exc:
                raise InputError([Problem(f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno, column=exc.colno)]) from None
        else:
            out.append((path, parse_files([path])[0][1]))
    return out


def _registry_dirs(root: Path) -> dict[str, Path]:
    """Module key -> folder from ``terraform init``'s ``.terraform/modules/modules.json``."""
    manifest = root / ".terraform" / "modules" / "modules.json"
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return {}
    return {str(m.get("Key")): root / str(m.get("Dir")) for m in data.get("Modules", []) if m.get("Key") and m.get("Dir")}


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.source = TfSource(kind="HCL", where=str(root))
        self.registry = _registry_dirs(root)

    def module(
        self, directory: Path, inputs: dict[str, Any], address: str, times: int | Unknown, depth: int, key: str,
        inherited: dict[str, Region] | None = None,
    ) -> None:
        files = sorted(directory.glob("*.tf")) + sorted(directory.glob("*.tf.json"))
        if not files:
            self.source.notes.append(f"{address or directory}: no .tf files in {directory}")
            return
        docs = parse_files(files)
        declared: dict[str, Any] = {}
        defaults: dict[str, Any] = {}
        local_exprs: dict[str, Any] = {}
        for _, doc in docs:
            for name, body in _blocks(doc, "variable"):
                body = body if isinstance(body, dict) else {}
                declared[name] = body.get("type")
                if "default" in body:
                    defaults[name] = body["default"]
            for item in doc.get("locals", []) if isinstance(doc.get("locals"), list) else [doc.get("locals") or {}]:
                if isinstance(item, dict):
                    local_exprs.update(item)
        variables = dict(defaults)
        if depth == 0:
            for _, values in _tfvars(directory):
                variables.update(values)
        for name, value in inputs.items():
            variables[name] = _convert(value, declared.get(name)) if isinstance(value, str) and depth == 0 else value
        for name in declared:
            variables.setdefault(name, Unknown(f"var.{name}"))
        scope = Scope(variables, local_exprs)
        # A child module uses its caller's provider configurations unless it declares its own.
        regions = {**(inherited or {}), **self.provider_regions(docs, scope, variables)}
        prefix = f"{address}." if address else ""
        for path, doc in docs:
            for rtype, name, body in _resources(doc):
                self.resource(rtype, name, body, scope, regions, prefix, times, path)
            for name, body in _blocks(doc, "module"):
                self.child(name, body if isinstance(body, dict) else {}, scope, directory, prefix, times, depth, key, regions)

    def provider_regions(self, docs: list[tuple[Path, dict[str, Any]]], scope: Scope, variables: dict[str, Any]) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        for _, doc in docs:
            for pname, body in _blocks(doc, "provider"):
                body = body if isinstance(body, dict) else {}
                raw = body.get("region")
                value = resolve(raw, scope)
                if isinstance(value, str) and value:
                    origin = f'provider "{pname}"'
                    if isinstance(raw, str) and raw.startswith("${var."):
                        origin += f" ({raw[2:-1]})"
                    alias = resolve(body.get("alias"), scope)
                    regions[f"{pname}.{alias}" if isinstance(alias, str) else pname] = Region(value=value, origin=origin)
        for var in ("region", "aws_region", "gcp_region", "google_region"):
            value = variables.get(var)
            if isinstance(value, str) and value and f"var:{var}" not in regions:
                regions[f"var:{var}"] = Region(value=value, origin=f"var.{var}")
        return regions

    def resource(
        self, rtype: str, name: str, body: dict[str, Any], scope: Scope, regions: dict[str, Region],
        prefix: str, times: int | Unknown, path: Path,
    ) -> None:
        values = resolve({k: v for k, v in body.items() if k not in ("count", "for_each", "lifecycle", "depends_on")}, scope)
        count: int | Unknown = 1
        if "count" in body:
            got = resolve(body["count"], scope)
            count = got if isinstance(got, int) and not isinstance(got, bool) else Unknown(str(body["count"]).strip("${}"))
        elif "for_each" in body:
            got = resolve(body["for_each"], scope)
            count = len(got) if isinstance(got, list | dict) else Unknown(str(body["for_each"]).strip("${}"))
        if isinstance(times, Unknown):
            count = times
        elif isinstance(count, int):
            count *= times
        pkey = str(body["provider"]).strip("${}") if "provider" in body else rtype.split("_", 1)[0]
        region = regions.get(pkey) or regions.get(rtype.split("_", 1)[0])
        if region is None:
            region = next((r for k, r in regions.items() if k.startswith("var:")), None)
        try:
            shown = path.relative_to(self.root)
        except ValueError:
            shown = path
        self.source.resources.append(
            TfResource(
                address=f"{prefix}{rtype}.{name}", type=rtype, name=name, module=prefix.rstrip("."),
                count=count, values=values, provider_region=region, file=str(shown),
            )
        )

    def child(
        self, name: str, body: dict[str, Any], scope: Scope, directory: Path, prefix: str,
        times: int | Unknown, depth: int, key: str, regions: dict[str, Region],
    ) -> None:
        address = f"{prefix}module.{name}"
        src = body.get("source")
        child_key = f"{key}.{name}" if key else name
        if not isinstance(src, str):
            self.source.unresolved_modules.append((address, str(src)))
            return
        if src.startswith(("./", "../")):
            target = (directory / src).resolve()
        elif child_key in self.registry:
            target = self.registry[child_key]
        else:
            self.source.unresolved_modules.append((address, src))
            return
        if depth + 1 > MAX_MODULE_DEPTH or not target.is_dir():
            self.source.unresolved_modules.append((address, src))
            return
        inputs = {k: resolve(v, scope) for k, v in body.items() if k not in ("source", "version", "count", "for_each", "providers", "depends_on")}
        copies: int | Unknown = times
        if "count" in body or "for_each" in body:
            got = resolve(body.get("count", body.get("for_each")), scope)
            n = got if isinstance(got, int) else len(got) if isinstance(got, list | dict) else None
            copies = Unknown(f"{address} count") if n is None or isinstance(times, Unknown) else n * times
        self.module(target, inputs, address, copies, depth + 1, child_key, regions)


def read_directory(directory: Path, overrides: dict[str, str] | None = None) -> TfSource:
    """Every resource of the configuration in ``directory`` and its local modules, values resolved."""
    reader = _Reader(directory)
    reader.module(directory.resolve(), dict(overrides or {}), "", 1, 0, "")
    return reader.source
