"""Terraform resources to plan resources, by the mapping table (``catalog/data/import/terraform.yaml``).

Every resource ends up in exactly one place: a plan resource (with the fields the configuration gives, the region
and where it came from, and FILL placeholders for usage), the free list (networks, IAM), or the not-mapped list
with the reason. Values the catalog does not know (an instance type, a region) are kept or reported, never
silently replaced.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from infrafit.catalog.lookup import Catalog
from infrafit.catalog.model import GigabyteBase, Service
from infrafit.importers.draft import Draft, Finding, Skipped
from infrafit.importers.tables import table
from infrafit.importers.terraform.expr import Unknown
from infrafit.importers.terraform.model import Region, TfResource

__all__ = ["Mapper", "zone_region"]

_AWS_AZ = re.compile(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$")
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


def zone_region(zone: str) -> str | None:
    """The region of an AWS availability zone (us-east-1a) or a Google zone (us-central1-a); None otherwise."""
    m = _AWS_AZ.match(zone) or _GCP_ZONE.match(zone)
    return m.group(1) if m else None


def _get(values: Any, path: str) -> Any:
    node = values
    for part in path.split("."):
        if isinstance(node, list):
            node = node[0] if node else None
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    if isinstance(node, list) and len(node) == 1 and isinstance(node[0], dict | Unknown):
        node = node[0]
    return node


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return None
    return None


def _text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


class Mapper:
    """Builds the draft's ``resources:`` from Terraform resources, one call of :meth:`add` each."""

    def __init__(self, draft: Draft, catalog: Catalog) -> None:
        self.draft = draft
        self.catalog = catalog
        data = table("terraform")
        self.types: dict[str, dict[str, Any]] = data["types"]
        self.free = set(data.get("free") or [])
        self.free_prefixes = tuple(data.get("free_prefixes") or [])
        self.names: set[str] = set()
        self.by_address: dict[str, str] = {}  # Terraform address -> plan resource name
        self._services: dict[str, Service] = {}

    # -- placing one resource ---------------------------------------------------------------------------------
    def add(self, res: TfResource) -> None:
        if res.type in self.free or res.type.startswith(self.free_prefixes):
            self.draft.free.append(Skipped(address=res.address, type=res.type, reason="free"))
            return
        spec = self.types.get(res.type)
        if spec is None:
            self.draft.unmapped.append(Skipped(
                address=res.address, type=res.type, reason="no mapping for this type yet (not priced)"
            ))
            return
        for attr, reasons in (spec.get("unsupported") or {}).items():
            value = _get(res.values, attr)
            if isinstance(value, str) and value in reasons:
                self.draft.unmapped.append(Skipped(address=res.address, type=res.type, reason=reasons[value]))
                return
        name = self._name(res)
        self.by_address[res.address] = name
        self._resource(name, res, spec)
        for attach in spec.get("attach") or []:
            block = _get(res.values, attach["block"])
            if block is None and not attach.get("always"):
                continue
            sub = TfResource(
                address=f"{res.address}.{attach['block']}", type=res.type, name=res.name, module=res.module,
                count=res.count, values=block if isinstance(block, dict) else {}, provider_region=res.provider_region,
                file=res.file,
            )
            sub_name = self._unique(f"{name}_{attach['suffix']}")
            self.by_address[sub.address] = sub_name
            self._resource(sub_name, sub, attach, region_from=res)
        for attr, message in (spec.get("warn") or {}).items():
            if _get(res.values, attr) is True:
                self.draft.findings.append(Finding(code="import_not_priced", severity="warning", subject=res.address, message=message))

    def _name(self, res: TfResource) -> str:
        modules = [p for p in res.module.split(".") if p and p != "module"]
        return self._unique("_".join([*modules, res.name]))

    def _unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}_{n}", n + 1
        self.names.add(name)
        return name

    def _service(self, key: str) -> Service:
        if key not in self._services:
            self._services[key] = self.catalog.service(key)[1]
        return self._services[key]

    def _resource(self, name: str, res: TfResource, spec: dict[str, Any], region_from: TfResource | None = None) -> None:
        draft, base = self.draft, ("resources", name)
        service_key: str = spec["service"]
        service = self._service(service_key)
        draft.put((*base, "service"), service_key, f"{res.address} ({res.file})" if res.file else res.address)
        self._region(base, region_from or res, spec if region_from is None else self.types[res.type], service)
        takes_count = "count" in service.fields
        copies = res.count if isinstance(res.count, int) else 1
        if isinstance(res.count, Unknown):
            if takes_count:
                draft.put((*base, "count"), 1, f"FILL count depends on {res.count.text}, which the files do not give")
            else:
                draft.findings.append(Finding(
                    code="import_count_unknown", severity="warning", subject=res.address,
                    message=f"count depends on {res.count.text}; the usage below is for one copy",
                ))
        elif copies != 1 and takes_count:
            draft.put((*base, "count"), copies)
        elif copies != 1:
            draft.comments[(*base, "service")] += f"; {copies} copies, usage below is for all of them"
        for key, fs in (spec.get("fields") or {}).items():
            self._value(base, key, fs, res, service, copies, takes_count, usage=False)
        if "plan_fill" in spec:
            draft.put((*base, "plan"), spec["plan_fill"]["value"], spec["plan_fill"]["says"])
        for key, fs in (spec.get("usage") or {}).items():
            self._value((*base, "usage"), key, fs, res, service, copies, takes_count, usage=True)
        for key, fs in (spec.get("fill") or {}).items():
            draft.put((*base, "usage", key), fs["value"], fs["says"])

    def _region(self, base: tuple[str, ...], res: TfResource, spec: dict[str, Any], service: Service) -> None:
        found: Region | None = None
        for rule in spec.get("region") or []:
            if "zone" in rule:
                zone = _get(res.values, rule["zone"])
                if isinstance(zone, str) and zone:
                    region = zone_region(zone)
                    if region is None:
                        self.draft.findings.append(Finding(
                            code="import_zone_unreadable", severity="info", subject=res.address,
                            message=f"{rule['zone']} {zone!r} is not a zone name; the provider's region is used",
                        ))
                        continue
                    found = Region(value=region, origin=f"from {rule['zone']} {zone}")
                    break
            elif "attr" in rule:
                value = _get(res.values, rule["attr"])
                if isinstance(value, str) and value:
                    found = Region(value=value.lower(), origin=f"from {rule['attr']}")
                    break
        if found is None and res.provider_region is not None:
            found = Region(value=res.provider_region.value, origin=f"from {res.provider_region.origin}")
        if not service.regions:
            return  # a global service: no region to set
        if found is None:
            self.draft.comments[(*base, "service")] += f"; no region in the files: {service.default_region} (the catalog's default)"
            return
        if found.value in service.regions:
            self.draft.put((*base, "region"), found.value, found.origin)
            return
        self.draft.findings.append(Finding(
            code="import_region_not_in_catalog", severity="warning", subject=res.address,
            message=f"region {found.value} ({found.origin}) is not in the catalog for {self.draft.body['resources'][base[1]]['service']} "
            f"(it has {', '.join(service.regions)}); priced at {service.default_region} until it is added",
        ))

    def _value(
        self, base: tuple[str, ...], key: str, fs: dict[str, Any], res: TfResource, service: Service,
        copies: int, takes_count: bool, *, usage: bool,
    ) -> None:
        says = fs.get("says")
        if "fixed" in fs:
            fixed = fs["fixed"]
            if fs.get("per_count") and not takes_count and isinstance(fixed, int):
                fixed *= copies
            self.draft.put((*base, key), fixed, says)
            return
        raw = _get(res.values, fs["from"])
        comment = None
        if isinstance(raw, Unknown):
            if "default" not in fs:
                self.draft.put((*base, key), f"FILL-{key}", f"FILL {fs['from']} depends on {raw.text}")
                return
            comment = f"{fs['from']} depends on {raw.text}: default assumed"
            raw = None
        if raw is None:
            if "default" not in fs:
                return
            raw = fs["default"]
            comment = comment or says or f"{fs['from']} not set: the provider's default"
        value: Any = raw
        if "map" in fs:
            value = fs["map"].get(str(raw).lower() if isinstance(raw, bool) else str(raw), fs.get("default", raw))
        if fs.get("lower") and isinstance(value, str):
            value = value.lower()
        if fs.get("kube") == "cpu":
            from infrafit.kube.quantity import QuantityError, parse_quantity

            try:
                value = _text(parse_quantity(value))
                value = int(value) if value.isdigit() else Decimal(value)
            except QuantityError:
                pass
        elif "unit" in fs:
            number = _number(value)
            if number is not None:
                if fs.get("per_count") and not takes_count:
                    number *= copies
                value = f"{_text(number)}{fs['unit']}"
        if key == "type" and not usage:
            known = set(service.types) | set(service.variants)
            if known and value not in known:
                self.draft.findings.append(Finding(
                    code="import_type_not_in_catalog", severity="warning", subject=res.address,
                    message=f"{value} is not in the catalog for {self.draft.body['resources'][base[1]]['service']}; "
                    "`infrafit catalog show` lists the types it prices",
                ))
        self.draft.put((*base, key), value, comment)

    # -- infracost usage ----------------------------------------------------------------------------------------
    def gb_unit(self, service_key: str, unit: str) -> str:
        """GB in a usage file means the provider's billing GB: 2^30 bytes where the catalog says binary."""
        provider = self.catalog.provider(service_key.split(".", 1)[0])
        if provider.bytes is not None and provider.bytes.gb is GigabyteBase.BINARY:
            return unit.replace("GB", "GiB").replace("TB", "TiB")
        return unit
