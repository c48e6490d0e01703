"""A pool finding names each plan resource once: a section's line on a listed resource is said with it."""

from __future__ import annotations

from infrafit.engine.checks import _subjects, _who


def test_a_section_line_on_a_listed_resource_is_said_with_it() -> None:
    names = ["metrics-cache", "metrics-cache [traffic dashboard]"]
    assert _who(_subjects(names)) == "metrics-cache (with traffic dashboard)"
    assert list(_subjects(names)) == ["metrics-cache"]  # one subject: the finding names its resource


def test_lines_whose_resource_is_not_listed_stay_subjects_of_their_own() -> None:
    names = ["api", "worker [job nightly]", "api [job nightly]", "db"]
    # worker itself draws nothing from the pool, so its job line is the subject; api's job line joins api
    assert _who(_subjects(names)) == "api (with job nightly), worker [job nightly], db"


def test_plain_names_are_kept_in_order() -> None:
    assert _who(_subjects(["b", "a"])) == "b, a"
