"""``infrafit import compose``: each service of a Compose file as a self-hosted component of one machine.

Read the way Docker Compose reads it: ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``,
``${VAR:+alt}`` and ``$$`` from the environment, then ``.env`` beside the file; services with ``profiles`` only
when one is enabled; ``deploy.replicas`` (or ``scale``); CPU and memory from ``deploy.resources.limits``, else
``cpus``/``mem_limit``, else the reservations. Compose byte units are binary (``1.5G`` = 1.5 GiB), as compose-go
parses them. GPU reservations, host networking, images built from source and end-of-life images are findings.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem
from infrafit.importers import importer
from infrafit.importers.draft import Draft, Finding, Skipped
from infrafit.importers.files import read_yaml
from infrafit.importers.tables import table

__all__ = ["compose_bytes", "import_compose", "interpolate", "read_env_file"]

_BYTES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$", re.IGNORECASE)
_POWERS = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def compose_bytes(value: Any) -> Decimal:
    """Bytes from a Compose size: ``1.5G`` = 1.5 × 2^30, ``512m`` = 512 × 2^20, ``300000`` = 300,000."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    m = _BYTES.match(str(value))
    if m is None:
        raise ValueError(f"{value!r} is not a Compose byte size such as 512m, 1.5G or 1073741824")
    return Decimal(m.group(1)) * (Decimal(1024) ** _POWERS[m.group(2).lower()])


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a ``.env`` file (comments, ``export``, single and double quotes)."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        text = line.strip()
        if not text or text.startswith("#") or "=" not in text:
            continue
        key, _, value = text.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key.strip()] = value
    return out


def _braced(body: str, env: dict[str, str], where: str) -> str:
    for op in (":-", ":?", ":+", "-", "?", "+"):
        name, sep, arg = body.partition(op)
        if sep and _NAME.fullmatch(name):
            value = env.get(name)
            empty = value is None or (op.startswith(":") and value == "")
            if op.endswith("-"):
                return interpolate(arg, env, where) if empty else str(value)
            if op.endswith("?"):
                if empty:
                    raise InputError([Problem(f"required variable {name} is not set: {arg or 'no message'}", file=where)])
                return str(value)
            return "" if empty else interpolate(arg, env, where)
    return env.get(body, "")


def interpolate(text: str, env: dict[str, str], where: str = "") -> str:
    """Compose's variable substitution on one string (defaults may hold ``${...}`` themselves)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "$" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "{":
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                if text[j] == "}":
                    depth -= 1
                j += 1
            if depth:
                raise InputError([Problem(f"unclosed ${{ in {text!r}", file=where)])
            out.append(_braced(text[i + 2 : j - 1], env, where))
            i = j
        else:
            m = _NAME.match(text, i + 1)
            if m is None:
                out.append(ch)
                i += 1
            else:
                out.append(env.get(m.group(0), ""))
                i = m.end()
    return "".join(out)


def _deep(node: Any, env: dict[str, str], where: str) -> Any:
    if isinstance(node, dict):
        return {k: _deep(v, env, where) for k, v in node.items()}
    if isinstance(node, list):
        return [_deep(v, env, where) for v in node]
    if isinstance(node, str) and "$" in node:
        return interpolate(node, env, where)
    return node


def _load(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        raise InputError([Problem("a Compose file has a `services:` mapping", file=str(path))])
    return data


def _image_name(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: name.rfind(":")]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts)


def _gpu(svc: dict[str, Any]) -> bool:
    devices = ((svc.get("deploy") or {}).get("resources") or {}).get("reservations", {}) or {}
    for device in devices.get("devices") or []:
        if "gpu" in [str(c).lower() for c in device.get("capabilities") or []] or device.get("driver") == "nvidia":
            return True
    return bool(svc.get("gpus")) or svc.get("runtime") == "nvidia"


def _component(name: str, svc: dict[str, Any], project: str, draft: Draft) -> dict[str, Any]:
    resources = (svc.get("deploy") or {}).get("resources") or {}
    limits, reserved = resources.get("limits") or {}, resources.get("reservations") or {}
    comp: dict[str, Any] = {}
    path = ("selfhost", "components", name)
    image = svc.get("image")
    if image:
        comp["image"] = str(image)
    else:
        comp["image"] = f"{project}-{name}"
        draft.comments[(*path, "image")] = "built from source (build: without image:); Compose names it so"
    replicas = (svc.get("deploy") or {}).get("replicas", svc.get("scale", 1))
    comp["replicas"] = int(replicas)
    cpus = limits.get("cpus", svc.get("cpus", reserved.get("cpus")))
    memory = limits.get("memory", svc.get("mem_limit", reserved.get("memory")))
    if cpus is not None:
        comp["cpu"] = Decimal(str(cpus)).normalize()
    else:
        comp["cpu"] = Decimal("0.1")
        draft.comments[(*path, "cpu")] = "FILL no CPU limit in the file: average CPUs it uses"
    if memory is not None:
        mib = compose_bytes(memory) / (1024 * 1024)
        comp["memory"] = f"{mib.normalize():f}MiB"
        draft.comments[(*path, "memory")] = f"{memory} in Compose (binary units)"
    else:
        comp["memory"] = "256MiB"
        draft.comments[(*path, "memory")] = "FILL no memory limit in the file: memory it uses"
    if _gpu(svc):
        comp["gpu"] = True
        draft.findings.append(Finding(
            code="gpu_required", severity="warning", subject=name,
            message="reserves a GPU device: the machine needs a GPU (and its power draw) for this service",
        ))
    if svc.get("network_mode") == "host":
        comp["network"] = "host"
        draft.findings.append(Finding(
            code="host_network", severity="info", subject=name,
            message="network_mode: host shares the machine's ports; it runs only on a Linux host, as one replica per port",
        ))
    eol = (table("compose").get("end_of_life") or {}).get(_image_name(str(image or "")))
    if eol:
        draft.findings.append(Finding(
            code="eol_component", severity="warning", subject=name, message=f"{image}: {eol['message']} ({eol['source']})",
        ))
    return comp


@importer("compose")
def import_compose(path: Path, *, profiles: list[str] | None = None, name: str | None = None) -> Draft:
    """A plan draft whose ``selfhost:`` components are the file's services (machine left to fill)."""
    raw = _load(path)
    env = {**read_env_file(path.parent / ".env"), **os.environ}
    data = _deep(raw, env, str(path))
    project = str(name or data.get("name") or path.resolve().parent.name or "compose")
    draft = Draft(name=project, source=f"{path} (Compose)")
    draft.put(("name",), project)
    draft.put(("resources",), {})
    draft.comments[("resources",)] = "cloud services still used beside the machine, if any"
    draft.put(("selfhost", "machine", "cpus"), 4, "FILL the machine's CPU cores")
    draft.put(("selfhost", "machine", "memory"), "16GiB", "FILL the machine's memory")
    draft.put(("selfhost", "machine", "price"), "0 USD", "FILL what the machine cost")
    draft.put(("selfhost", "components"), {})
    enabled = set(profiles or [])
    for svc_name, svc in (data.get("services") or {}).items():
        svc = svc if isinstance(svc, dict) else {}
        wanted = [str(p) for p in svc.get("profiles") or []]
        if wanted and not enabled.intersection(wanted):
            draft.unmapped.append(Skipped(
                address=str(svc_name), type="service", reason=f"in profile(s) {', '.join(wanted)} (not enabled; --profile)",
            ))
            continue
        try:
            comp = _component(str(svc_name), svc, project, draft)
        except (ValueError, TypeError) as exc:
            raise InputError([Problem(str(exc), file=str(path), path=("services", str(svc_name)))]) from None
        draft.body["selfhost"]["components"][str(svc_name)] = comp
    comps = draft.body["selfhost"]["components"].values()
    cpu = sum((Decimal(str(c["cpu"])) * c["replicas"] for c in comps), Decimal(0))
    mib = sum((Decimal(str(c["memory"]).removesuffix("MiB")) * c["replicas"] for c in comps), Decimal(0))
    draft.comments[("selfhost", "components")] = (
        f"together: {cpu.normalize():f} CPUs and {(mib / 1024).quantize(Decimal('0.01'))} GiB (limits × replicas)"
    )
    return draft
