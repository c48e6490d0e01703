"""``infrafit import terraform``: a configuration directory, or ``terraform show -json`` output (plan or state),
to a plan draft with every resource accounted for (priced, free or not mapped)."""

from __future__ import annotations

from pathlib import Path

from infrafit.catalog.lookup import Catalog
from infrafit.errors import InputError, Problem
from infrafit.importers import importer
from infrafit.importers.draft import Draft, Finding, Skipped
from infrafit.importers.terraform.mapper import Mapper
from infrafit.importers.terraform.model import TfSource

__all__ = ["import_terraform", "read_source"]


def read_source(path: Path, variables: dict[str, str] | None = None) -> TfSource:
    """Resources from a directory (HCL) or a JSON file (plan, state)."""
    if path.is_dir():
        from infrafit.importers.terraform.hcl import read_directory

        return read_directory(path, variables)
    if not path.exists():
        raise InputError([Problem("no such file or directory", file=str(path))])
    if path.suffix == ".tf":
        from infrafit.importers.terraform.hcl import read_directory

        return read_directory(path.parent, variables)
    from infrafit.importers.terraform.planjson import read_plan_json

    if variables:
        raise InputError([Problem("--var applies to a configuration directory; a plan file already has its values", file=str(path))])
    return read_plan_json(path)


@importer("terraform")
def import_terraform(
    path: Path, *, usage_file: Path | None = None, variables: dict[str, str] | None = None,
    name: str | None = None, catalog: Catalog | None = None,
) -> Draft:
    """A plan draft from Terraform files: resources the catalog covers, free ones counted, the rest listed."""
    source = read_source(path, variables)
    draft = Draft(name=name or (path.name if path.is_dir() else path.stem) or "imported", source=f"{path} ({source.kind})")
    draft.put(("name",), draft.name)
    draft.body["resources"] = {}
    mapper = Mapper(draft, catalog or Catalog())
    types: dict[str, str] = {}
    for res in source.resources:
        mapper.add(res)
        types[res.address] = res.type
    for address, src in source.unresolved_modules:
        draft.unmapped.append(Skipped(
            address=address, type="module",
            reason=f"module source {src!r} is not a local folder (run `terraform init` so .terraform/modules maps it)",
        ))
    for note in source.notes:
        draft.findings.append(Finding(code="import_note", severity="info", subject=str(path), message=note))
    if usage_file is not None:
        from infrafit.importers.terraform.usage import apply_usage_file

        apply_usage_file(usage_file, draft, mapper, types)
    return draft
