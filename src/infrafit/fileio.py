"""Writing a report to a path without losing anything that was there.

A regular file (or a new one) is written atomically: a temporary file in the real folder, then a rename, so a
reader never sees half a report and a failed write leaves the old file whole. Anything else at the path is
respected: a symlink is followed (the link stays a link; its target gets the report), a device or FIFO is
written as a stream (``-o /dev/null`` must never replace the device node), a folder is refused, and so is a
path that is one of the command's own input files (``check plan.yaml -o plan.yaml`` would destroy the plan).
Every failure is an :class:`~infrafit.errors.InputError` naming the path and the reason, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from infrafit.errors import InputError, Problem

__all__ = ["write_atomic", "write_output"]


def _refuse(path: str, message: str) -> InputError:
    return InputError([Problem(message, file=path or "''")])


def _reason(exc: OSError) -> str:
    """The OS's reason in plain words, with a hint for the usual causes."""
    text = exc.strerror or str(exc)
    text = text[:1].lower() + text[1:]
    hints = {
        errno.EACCES: "; check the folder's permissions or write elsewhere",
        errno.EPERM: "; check the folder's permissions or write elsewhere",
        errno.EROFS: "; the file system is read-only",
        errno.ENOSPC: "; free some space or write elsewhere",
        errno.EDQUOT: "; free some space or write elsewhere",
        errno.EFBIG: "; the report is larger than this process may write (ulimit -f)",
    }
    return text + hints.get(exc.errno or 0, "")


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def write_output(path: str | Path, text: str, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``text`` to ``path``: atomically for a regular file, as a stream for a device or FIFO.

    ``inputs`` are the files the command read; writing onto one of them (by any name: a symlink, a hard link,
    ``./plan.yaml``) is refused. Raises :class:`InputError` for every refusal and every OS error.
    """
    name = str(path)
    if not name.strip():
        raise _refuse(name, "an empty output path; give a file name to -o")
    try:
        here: os.stat_result | None = os.stat(name)  # follows links, /dev/stdout's to a pipe included
    except FileNotFoundError:
        here = None
    except OSError as exc:
        raise _refuse(name, f"cannot write the report: {_reason(exc)}") from None
    if here is not None:
        for source in inputs:
            try:
                theirs = os.stat(source)
            except OSError:
                continue  # not a file (a git revision, a name that does not exist): nothing to protect
            if stat.S_ISREG(theirs.st_mode) and _same_file(here, theirs):
                raise _refuse(name, f"-o names an input of this command ({source}); write the report to another file")
        if stat.S_ISDIR(here.st_mode):
            raise _refuse(name, "is a directory; give a file name, e.g. -o report.txt")
        if not stat.S_ISREG(here.st_mode):
            _write_stream(name, text)
            return
    real = os.path.realpath(name)  # the link's target is replaced, never the link itself
    try:
        write_atomic(real, text)
    except OSError as exc:
        raise _refuse(name, f"cannot write the report: {_reason(exc)}") from None


def _write_stream(name: str, text: str) -> None:
    """Write into a device, FIFO or socket in place (opening it for writing, never replacing it)."""
    try:
        with open(name, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise _refuse(name, f"cannot write the report: {_reason(exc)}") from None


def write_atomic(path: str | Path, text: str) -> None:
    """Write a regular file through a temporary file and a rename (raises OSError; see :func:`write_output`).

    A file that exists keeps its permissions; a new one gets what a plain ``open()`` would (0666 less the umask).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, mode)  # mkstemp makes the file 0600
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
