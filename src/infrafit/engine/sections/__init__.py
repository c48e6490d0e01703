"""Plan sections evaluated beside `resources:` (see :mod:`infrafit.sections` for the registry)."""

from infrafit.engine.sections.base import Line, Outcome, Section, SectionEnv

__all__ = ["Line", "Outcome", "Section", "SectionEnv"]
