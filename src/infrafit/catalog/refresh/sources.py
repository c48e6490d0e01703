"""Tell downloaded price-list files apart by their first top-level keys, read without loading the file.

An AWS offer file opens with ``formatVersion``, ``offerCode``, ``version``, ``publicationDate`` then ``products``;
a region index has ``regions``, the offer index ``offers``, a Cloud Billing SKU page ``skus``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem

KINDS = {
    "products": "aws_offer",
    "terms": "aws_offer",
    "regions": "aws_region_index",
    "offers": "aws_offer_index",
    "skus": "gcp_skus",
}
PROVIDER_OF = {"aws_offer": "aws", "aws_region_index": "aws", "aws_offer_index": "aws", "gcp_skus": "gcp"}


@dataclass(slots=True, kw_only=True)
class Head:
    """A file's kind and the top-level scalars before its first container."""

    path: Path
    kind: str
    scalars: dict[str, Any] = field(default_factory=dict)


def ijson_module() -> Any:
    """ijson with its fastest backend (yajl2_c when built; the pure-Python one otherwise)."""
    import ijson

    for name in ("yajl2_c", "yajl2_cffi"):
        try:
            return ijson.get_backend(name)
        except Exception:
            continue
    return ijson


def head(path: Path) -> Head:
    """Read ``path`` up to its first top-level object or array; refuse what is not a price-list file."""
    ijson = ijson_module()
    scalars: dict[str, Any] = {}
    try:
        with path.open("rb") as fh:
            for prefix, event, value in ijson.parse(fh, multiple_values=True):
                if prefix == "" and event in ("start_map", "map_key"):
                    continue
                if "." not in prefix and event in ("start_map", "start_array"):
                    kind = KINDS.get(prefix)
                    if kind is None:
                        break
                    return Head(path=path, kind=kind, scalars=scalars)
                if "." not in prefix and event in ("string", "number", "boolean", "null"):
                    scalars[prefix] = value
                else:
                    break
    except ijson.JSONError as exc:
        raise InputError([Problem(f"not valid JSON: {exc}", file=str(path))]) from None
    raise InputError(
        [
            Problem(
                "not a price-list file (an AWS offer file, region index or offer index, or a Cloud Billing SKU "
                "listing)",
                file=str(path),
            )
        ]
    )


def collect(paths: list[Path], provider: str) -> list[Head]:
    """Every price-list file under ``paths`` (files, or folders read recursively for *.json) for ``provider``;
    a file of the other provider is an error naming it, so a mixed folder is not half read silently."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.exists():
            files.append(path)
        else:
            raise InputError([Problem("no such file or folder", file=str(path))])
    if not files:
        raise InputError([Problem("no *.json price-list file here", file=", ".join(str(p) for p in paths))])
    heads = [head(f) for f in files]
    wrong = [h for h in heads if PROVIDER_OF[h.kind] != provider]
    if wrong:
        raise InputError(
            [
                Problem(
                    f"a {PROVIDER_OF[h.kind]} price list, not {provider}; refresh {PROVIDER_OF[h.kind]} with it",
                    file=str(h.path),
                )
                for h in wrong
            ]
        )
    return heads
