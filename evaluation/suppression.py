"""What managers may read of a snapshot: aggregates only, no group of fewer than 5 people.

Pure Python. Hiding the small groups is not enough: a figure shown for the
whole and for every group but one gives the last one away by subtraction
(the programme's total minus the visible cohorts, a direction minus its
visible departments). So, among groups that add up to a visible whole
("siblings"), the hidden ones must together stand for at least 5 people:
when they do not, the smallest visible sibling is hidden too, then the next,
until they do (complementary suppression, as statistics offices do).

The same rule runs three times:

- on whole rows, with the number of people of each group;
- on each figure of the rows left visible, with the number of people behind
  that figure (a department of 12 where 3 answered a check-in shows no
  satisfaction, and neither does the sibling that would give it away);
- on the points of the monthly series and on the skill areas, whose parts
  add up to the totals shown above them.

Departments are nested in directions: a hidden direction hides all its
departments (they would add up to it), and the departments of a visible
direction are siblings of one another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

MINIMUM_GROUP = 5


def hidden_siblings(
    sizes: Mapping[Hashable, int],
    minimum: int = MINIMUM_GROUP,
    hidden: set | frozenset = frozenset(),
) -> set:
    """The siblings to hide: those under ``minimum`` and enough others to cover them.

    ``sizes`` maps each sibling to the number of people behind it (0: no data,
    nothing to protect); ``hidden`` are siblings already hidden for another
    reason. The result's sizes add up to 0 or to at least ``minimum``, unless
    every sibling is hidden (then the whole is under ``minimum`` and hidden
    by its own parent's rule).
    """
    result = {key for key in hidden if key in sizes}
    result |= {key for key, size in sizes.items() if 0 < size < minimum}
    visible = sorted(
        (size, str(key), key) for key, size in sizes.items() if key not in result and size > 0
    )
    while 0 < sum(sizes[key] for key in result) < minimum and visible:
        result.add(visible.pop(0)[2])
    return result


def _cell(value, hidden: bool) -> dict:
    return {"value": None if hidden else value, "hidden": hidden}


def _rows_view(rows: list[dict], metric_keys: list[str], protect: bool) -> list[dict]:
    """Rows of one dimension, siblings of each other within the same ``parent``."""
    families: dict[object, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        families[row.get("parent")].append(index)
    hidden_rows: set[int] = set()
    hidden_cells: dict[str, set[int]] = {key: set() for key in metric_keys}
    if protect:
        for indexes in families.values():
            sizes = {i: rows[i]["people"] for i in indexes}
            family_hidden = hidden_siblings(sizes)
            hidden_rows |= family_hidden
            for key in metric_keys:
                cell_sizes = {i: rows[i]["n"].get(key, 0) for i in indexes}
                hidden_cells[key] |= hidden_siblings(cell_sizes, hidden=family_hidden)
    view = []
    for index, row in enumerate(rows):
        row_hidden = index in hidden_rows
        view.append(
            {
                "key": row["key"],
                "label": row["label"],
                "parent": row.get("parent"),
                "pilot": row.get("pilot", False),
                "hidden": row_hidden,
                "people": None if row_hidden else row["people"],
                "cells": {
                    key: _cell(row["values"].get(key), index in hidden_cells[key])
                    for key in metric_keys
                },
            }
        )
    return view


def _series_view(series: dict, protect: bool) -> dict:
    months = series.get("months", [])
    view = {"months": months}
    for key, size_key in (
        ("sessions", "sessions_n"),
        ("hours", "sessions_n"),
        ("satisfaction", "answers_n"),
        ("confidence", "answers_n"),
    ):
        sizes = dict(enumerate(series.get(size_key, [])))
        hidden = hidden_siblings(sizes) if protect else set()
        view[key] = [
            None if index in hidden else value for index, value in enumerate(series.get(key, []))
        ]
        view[f"{key}_hidden"] = len(hidden)
    return view


def _uplift_view(rows: list[dict], protect: bool) -> list[dict]:
    hidden: set[int] = set()
    if protect:
        by_side: dict[str, dict[int, int]] = defaultdict(dict)
        for index, row in enumerate(rows):
            by_side[row["side"]][index] = row["people"]
        for sizes in by_side.values():
            hidden |= hidden_siblings(sizes)
    return [
        {**row, "hidden": True, "people": None, "baseline": None, "final": None, "uplift": None}
        if index in hidden
        else {**row, "hidden": False}
        for index, row in enumerate(rows)
    ]


def dashboard_view(document: dict, metric_keys: list[str], *, protect: bool) -> dict:
    """A snapshot made ready to show; with ``protect`` (managers), small groups hidden.

    Every figure becomes {"value", "hidden"}, so one template shows both
    views. Pair-level lists (the pairs needing attention) never reach it.
    """
    people = document.get("people", 0)
    whole_hidden = protect and 0 < people < MINIMUM_GROUP
    totals = {}
    for key in metric_keys:
        size = document.get("n", {}).get(key, 0)
        hidden = whole_hidden or (protect and 0 < size < MINIMUM_GROUP)
        totals[key] = _cell(document.get("values", {}).get(key), hidden)
    groups = document.get("groups", {})
    directions = _rows_view(groups.get("direction", []), metric_keys, protect)
    hidden_directions = {row["key"] for row in directions if row["hidden"]}
    departments = _rows_view(groups.get("department", []), metric_keys, protect)
    for row in departments:
        if row["parent"] in hidden_directions and not row["hidden"]:
            row.update(
                hidden=True,
                people=None,
                cells={key: _cell(None, True) for key in metric_keys},
            )
    funnel = [
        {**step, "people": None, "hidden": True}
        if protect and 0 < step["people"] < MINIMUM_GROUP
        else {**step, "hidden": False}
        for step in document.get("funnel", [])
    ]
    if whole_hidden:
        return {
            "people": None,
            "hidden": True,
            "totals": totals,
            "groups": {"cohort": [], "direction": [], "department": []},
            "series": {"months": []},
            "uplift": [],
            "funnel": [],
        }
    return {
        "people": people,
        "hidden": False,
        "totals": totals,
        "groups": {
            "cohort": _rows_view(groups.get("cohort", []), metric_keys, protect),
            "direction": directions,
            "department": departments,
        },
        "series": _series_view(document.get("series", {}), protect),
        "uplift": _uplift_view(document.get("uplift", []), protect),
        "funnel": funnel,
    }
