"""How the figures are shown and handed over: sections, formats, exports and the verdict PDF.

The figures themselves come from ``evaluation.formulas`` through the
snapshots; here they are only laid out, in the reader's language.
"""

import csv
import io
from datetime import date

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from evaluation.formulas import METRICS
from evaluation.suppression import MINIMUM_GROUP, dashboard_view
from programmes.models import SkillArea

SECTIONS = (
    (
        _("Volunteers and matching"),
        ("volunteers", "volunteers_mentors", "volunteers_mentees", "approval_rate", "match_rate"),
    ),
    (
        _("Pairs"),
        (
            "pairs_intro",
            "pairs_active",
            "pairs_stalled",
            "pairs_completed",
            "pairs_ended_early",
            "retention",
        ),
    ),
    (
        _("Sessions"),
        ("sessions_held", "hours_held", "sessions_per_pair", "sessions_per_month"),
    ),
    (
        _("Goals and skills"),
        ("goal_completion", "goals_on_time", "skill_uplift", "uplift_mentees", "uplift_mentors"),
    ),
    (
        _("Check-ins"),
        ("checkin_response_rate", "satisfaction", "progress", "confidence", "recommend_rate"),
    ),
)
# The columns of the tables by cohort, direction and department.
TABLE_METRICS = (
    "match_rate",
    "pairs_active",
    "sessions_per_month",
    "goal_completion",
    "checkin_response_rate",
    "satisfaction",
    "skill_uplift",
    "retention",
)
FUNNEL_LABELS = {
    "volunteers": _("Volunteers"),
    "eligible": _("Eligible"),
    "matched": _("Matched"),
    "started": _("Pair started"),
    "completed": _("Pair completed"),
}


def format_value(value, unit: str) -> str:
    """A figure as the reader writes it: 88,9 % in French, 88.9% in English."""
    if value is None:
        return "–"
    if unit == "count":
        return formats.number_format(value, 0)
    if unit == "percent":
        return gettext("%(value)s%%") % {"value": formats.number_format(value, 1)}
    if unit == "score":
        return gettext("%(value)s / 5") % {"value": formats.number_format(value, 2)}
    if unit == "points":
        sign = "+" if value > 0 else ""
        return gettext("%(value)s pts") % {"value": sign + formats.number_format(value, 2)}
    if unit == "hours":
        return gettext("%(value)s h") % {"value": formats.number_format(value, 1)}
    return formats.number_format(value, 2)


def metric_card(key: str, cell: dict) -> dict:
    item = METRICS[key]
    return {
        "key": key,
        "label": gettext(item.label),
        "definition": gettext(item.definition),
        "unit": item.unit,
        "hidden": cell["hidden"],
        "value": cell["value"],
        "text": format_value(cell["value"], item.unit),
    }


def sections(totals: dict) -> list[dict]:
    return [
        {"title": title, "metrics": [metric_card(key, totals[key]) for key in keys]}
        for title, keys in SECTIONS
    ]


def table(rows: list[dict]) -> dict:
    """A dimension's rows with the table's columns, each cell formatted."""
    return {
        "columns": [
            {"key": key, "label": gettext(METRICS[key].label), "unit": METRICS[key].unit}
            for key in TABLE_METRICS
        ],
        "rows": [
            {
                **row,
                "values": [
                    {
                        "hidden": row["cells"][key]["hidden"],
                        "text": format_value(row["cells"][key]["value"], METRICS[key].unit),
                    }
                    for key in TABLE_METRICS
                ],
            }
            for row in rows
        ],
    }


def month_label(month: str) -> str:
    year, number = month.split("-")
    return formats.date_format(date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def chart_data(view: dict, skill_labels: dict[int, str]) -> dict:
    """What the dashboard's charts draw (read by static/js/dashboard.js, never run as code)."""
    series = view["series"]
    skills = sorted(
        {row["skill_area"] for row in view["uplift"]}, key=lambda pk: skill_labels.get(pk, "")
    )
    uplift = {(row["skill_area"], row["side"]): row["uplift"] for row in view["uplift"]}
    return {
        "months": [month_label(month) for month in series.get("months", [])],
        "sessions": series.get("sessions", []),
        "hours": series.get("hours", []),
        "satisfaction": series.get("satisfaction", []),
        "confidence": series.get("confidence", []),
        "uplift": {
            "labels": [skill_labels.get(pk, "?") for pk in skills],
            "mentee": [uplift.get((pk, "mentee")) for pk in skills],
            "mentor": [uplift.get((pk, "mentor")) for pk in skills],
        },
        "funnel": {
            "labels": [str(FUNNEL_LABELS[step["step"]]) for step in view["funnel"]],
            "values": [step["people"] for step in view["funnel"]],
        },
        "labels": {
            "sessions": gettext("Sessions held"),
            "hours": gettext("Hours"),
            "satisfaction": gettext("Satisfaction"),
            "confidence": gettext("Confidence"),
            "mentee": gettext("Mentees (digital skills)"),
            "mentor": gettext("Mentors (leadership)"),
            "people": gettext("People"),
        },
    }


# Exports.


def spreadsheet_safe(value):
    """Spreadsheets run a cell starting with = + - @ as a formula: neutralise it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def metrics_rows(view: dict, programme_name: str) -> tuple[list[str], list[list]]:
    """Every figure of a dashboard view, one row per group, for CSV and XLSX.

    A hidden figure (managers' exports) is an empty cell, and its row says so.
    """
    keys = list(METRICS)
    header = [
        gettext("Scope"),
        gettext("Group"),
        gettext("Part of"),
        gettext("People"),
        *[gettext(METRICS[key].label) for key in keys],
        gettext("Hidden (fewer than 5 people)"),
    ]
    rows = [
        [
            gettext("Programme"),
            programme_name,
            "",
            view["people"],
            *[view["totals"][key]["value"] for key in keys],
            gettext("yes") if view["hidden"] else "",
        ]
    ]
    scopes = (
        ("cohort", gettext("Cohort")),
        ("direction", gettext("Direction")),
        ("department", gettext("Department")),
    )
    for dimension, scope in scopes:
        for row in view["groups"][dimension]:
            hidden = row["hidden"] or any(cell["hidden"] for cell in row["cells"].values())
            rows.append(
                [
                    scope,
                    row["label"] or gettext("Not given"),
                    row["parent"] or "",
                    row["people"],
                    *[row["cells"][key]["value"] for key in keys],
                    gettext("yes") if hidden else "",
                ]
            )
    return header, [[spreadsheet_safe(value) for value in row] for row in rows]


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a BOM and semicolons, which French Excel opens as it should."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def cell(value):
        # XLSX cannot hold most control characters, which forms accept in names:
        # openpyxl would raise (a 500); drop them.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for header_cell in sheet[1]:
            header_cell.font = Font(bold=True)
        for row in rows:
            sheet.append([cell(value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def definitions_rows() -> tuple[list[str], list[list]]:
    return (
        [gettext("Metric"), gettext("Definition")],
        [[gettext(item.label), gettext(item.definition)] for item in METRICS.values()],
    )


def figures_context(document: dict, *, protect: bool) -> dict:
    """The figures of a snapshot document laid out for the page: cards, tables, charts."""
    view = dashboard_view(document, list(METRICS), protect=protect)
    skill_ids = {row["skill_area"] for row in view["uplift"]}
    skills = (
        {s.pk: s.label for s in SkillArea.objects.filter(pk__in=skill_ids)} if skill_ids else {}
    )
    for row in view["uplift"]:
        row["skill_label"] = skills.get(row["skill_area"], "?")
    return {
        "snapshot": True,
        "view": view,
        "sections": sections(view["totals"]),
        "tables": {
            dimension: table(view["groups"][dimension])
            for dimension in ("cohort", "direction", "department")
        },
        "chart": chart_data(view, skills),
        "uplift": view["uplift"],
        "expected_sessions_per_month": document.get("context", {}).get(
            "expected_sessions_per_month"
        ),
        "minimum_group": MINIMUM_GROUP,
    }


# A day: a snapshot's rendering never goes stale (a refresh changes computed_at, hence the key),
# so this only bounds how long a renamed skill area keeps its old name on a dashboard.
FIGURES_CACHE_SECONDS = 24 * 3600


def dashboard_figures(snapshot, *, protect: bool) -> str:
    """The figures part of a dashboard, rendered once per snapshot, view and language.

    Many people read the same snapshot until the next one is computed: laying
    out a large programme's figures (a few hundred cells, four charts) costs
    tens of milliseconds, reading them back from the cache well under one.
    """
    key = ":".join(
        (
            "dashboard-figures",
            str(snapshot.pk),
            snapshot.computed_at.isoformat(),
            "protected" if protect else "full",
            get_language() or "",
        )
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "evaluation/_dashboard_figures.html", figures_context(snapshot.metrics, protect=protect)
        )
        cache.set(key, html, FIGURES_CACHE_SECONDS)
    # render_to_string gives a SafeString (our template escaped every value), and the
    # cache pickles it, class and all: no mark_safe needed on the way back.
    return html


def verdict_pdf(context: dict) -> bytes:
    """The verdict as a PDF a sponsor can read on its own (WeasyPrint, no browser)."""
    from weasyprint import HTML

    html = render_to_string("evaluation/verdict_pdf.html", context)
    return HTML(string=html).write_pdf()
