"""Kept for code that draws its own Rich tables (the catalog views): the terminal text maker lives in
:mod:`infrafit.report.terminal`."""

from infrafit.report.terminal import to_text

__all__ = ["to_text"]
