"""Text from a plan made safe for a terminal: no escape sequences, no control characters.

Apart from the terminal renderer so that a command printing only a reason (``fail: ...``) need not load Rich.
"""

from __future__ import annotations

import re

__all__ = ["clean"]

# C0 and C1 control characters (ESC starts ANSI sequences), except newline and tab; a whole CSI/OSC sequence
# goes at once so no "[2J" is left behind.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (names come from untrusted plans)."""
    if not text.isprintable():
        text = _CONTROL.sub("", _ANSI.sub("", text))
    return text
