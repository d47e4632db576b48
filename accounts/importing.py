"""Read a CSV file of employees and check it, without touching the database.

``parse_employees(text, existing)`` takes the decoded text of the file and the
people already on the platform, and returns an ``ImportPlan``: who would be
created, who would be updated and how, and every problem found, each with its
line (the spreadsheet's row number: the header is line 1) and its column (as
written in the file's header, so HR finds it in their spreadsheet).

Rules a newcomer would otherwise have to reverse-engineer:

- The separator is the one of ``,`` ``;`` or tab that makes the header line
  yield the most known column names (French Excel writes ``;``).
- An empty cell means "not given": a new person gets the default (blank, no
  manager, 0 years, French) and an existing person keeps their current value.
  A hole in a spreadsheet never erases data; HR clears a value by editing the
  person.
- Unknown columns are refused rather than ignored, so that HR never believes
  a column was imported when it was not.
- Any problem blocks the whole import: it is all or nothing.

Only gettext and the email validator come from Django: the validator is the
one the model's EmailField uses, so an address accepted here is one the
person's form accepts later.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_ROWS = 5000
MAX_SENIORITY = 60
DEFAULT_LANGUAGE = "fr"  # settings.LANGUAGE_CODE; a test keeps them equal
DELIMITERS = (";", ",", "\t")

# The model's max_length for each text field; a test keeps them equal.
MAX_LENGTHS = {
    "email": 254,
    "first_name": 150,
    "last_name": 150,
    "department": 100,
    "direction": 100,
    "job_title": 150,
}

# A French "Direction" is the division a department belongs to: its own column,
# not another name for the department.
COLUMN_ALIASES = {
    "email": ("email", "courriel", "e-mail", "mail"),
    "first_name": ("first_name", "prénom", "prenom"),
    "last_name": ("last_name", "nom"),
    "department": ("department", "service", "département", "departement"),
    "direction": ("direction", "division", "business_unit"),
    "job_title": ("job_title", "poste", "fonction"),
    "manager_email": ("manager_email", "email_manager", "manager", "responsable"),
    "seniority": (
        "seniority",
        "seniority_years",
        "ancienneté",
        "anciennete",
        "years of experience",
    ),
    "language": ("language", "langue"),
}
REQUIRED_COLUMNS = ("email", "first_name", "last_name")

LANGUAGE_VALUES = {
    "fr": "fr",
    "français": "fr",
    "francais": "fr",
    "french": "fr",
    "en": "en",
    "anglais": "en",
    "english": "en",
}


class UnreadableFile(ValueError):
    """The bytes are not a UTF-8 text file; the message tells HR what to do."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


_SAVE_AS_HINT = gettext_noop(
    "In Excel, use File › Save as › “CSV UTF-8 (comma delimited) (*.csv)”; "
    "in LibreOffice, choose the character set “Unicode (UTF-8)”."
)
# Control characters never found in a CSV file (tab, line feed and carriage return are fine).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_upload(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8, with or without a byte-order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            _("The file is in UTF-16 (“Unicode text”), not UTF-8. %(hint)s")
            % {"hint": _(_SAVE_AS_HINT)},
            code="bad_encoding",
        )
    not_text = UnreadableFile(
        _(
            "This is not a text file. If it is an Excel workbook or another document, "
            "save it as CSV first. %(hint)s"
        )
        % {"hint": _(_SAVE_AS_HINT)},
        code="not_text",
    )
    if b"\x00" in raw:
        raise not_text
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "Bad encoding: the file is not in UTF-8 (unreadable character at byte "
                "%(position)s). %(hint)s"
            )
            % {"position": error.start + 1, "hint": _(_SAVE_AS_HINT)},
            code="bad_encoding",
        ) from None
    if _BINARY.search(text):
        raise not_text
    if not text.strip():
        raise UnreadableFile(_("The file is empty."), code="empty")
    return text


def _normalise_header(name: str) -> str:
    # "First Name", "first_name" and " FIRST  NAME " are the same column.
    return " ".join(name.replace("_", " ").lower().split())


_COLUMN_BY_NAME = {
    _normalise_header(alias): column
    for column, aliases in COLUMN_ALIASES.items()
    for alias in aliases
}


@dataclass(frozen=True)
class ExistingPerson:
    """A person already on the platform, as the import sees them (emails lower case)."""

    email: str
    first_name: str = ""
    last_name: str = ""
    department: str = ""
    direction: str = ""
    job_title: str = ""
    manager_email: str = ""
    seniority_years: int = 0
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Problem:
    line: int
    column: str  # as written in the file's header; "" for the whole line or file
    message: str


@dataclass
class Row:
    """One person read from the file. ``None`` means the value was not given."""

    line: int
    email: str
    first_name: str
    last_name: str
    department: str | None = None
    direction: str | None = None
    job_title: str | None = None
    manager_email: str | None = None
    seniority_years: int | None = None
    language: str | None = None
    has_problems: bool = field(default=False, compare=False, repr=False)

    def new_person_values(self) -> dict:
        """The User fields of a person created from this row, manager apart."""
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "department": self.department or "",
            "direction": self.direction or "",
            "job_title": self.job_title or "",
            "seniority_years": self.seniority_years or 0,
            "language": self.language or DEFAULT_LANGUAGE,
        }


@dataclass(frozen=True)
class Change:
    field: str  # the User field; for "manager", old and new are email addresses
    old: str | int
    new: str | int


@dataclass
class Update:
    row: Row
    changes: list[Change]


@dataclass
class ImportPlan:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    to_create: list[Row] = field(default_factory=list)
    to_update: list[Update] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)  # matched people with nothing new
    delimiter: str = ","
    labels: dict[str, str] = field(default_factory=dict)  # column -> its name in the file

    @property
    def is_valid(self) -> bool:
        return not self.problems


def parse_employees(text: str, existing: dict[str, ExistingPerson]) -> ImportPlan:
    """Check the file ``text`` against the ``existing`` people (keyed by lower-case email)."""
    plan = ImportPlan()
    text = text.removeprefix("\ufeff")
    if not text.strip():
        plan.problems.append(Problem(1, "", _("The file is empty.")))
        return plan

    header_line = io.StringIO(text, newline="").readline()
    plan.delimiter = _guess_delimiter(header_line)
    records = _records(csv.reader(io.StringIO(text, newline=""), delimiter=plan.delimiter), plan)
    _line, header = next(records, (1, []))
    columns = _read_header(header, plan)
    if columns is None:
        return plan
    if not _read_rows(records, len(header), columns, plan):
        plan.problems.append(Problem(1, "", _("The file has a header line but no one under it.")))
        return plan

    _check_managers(plan, existing)
    plan.problems.sort(key=lambda problem: problem.line)
    _sort_into_create_and_update(plan, existing)
    return plan


def _records(reader, plan: ImportPlan):
    """(line, cells) for each record; a record that breaks the CSV rules ends the reading."""
    line = 0
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            plan.problems.append(
                Problem(
                    line,
                    "",
                    _("This line cannot be read as CSV (%(error)s).") % {"error": error},
                )
            )
            return
        yield line, cells


def _guess_delimiter(header_line: str) -> str:
    def known_columns(delimiter):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return len({_COLUMN_BY_NAME.get(_normalise_header(cell)) for cell in cells} - {None})

    return max(DELIMITERS, key=known_columns)  # first of the best: ";" on a tie


def _read_header(header: list[str], plan: ImportPlan) -> dict[int, str] | None:
    """Map cell index -> column; None if the header is unusable (problems say why)."""
    columns: dict[int, str] = {}
    labels = plan.labels
    problems = plan.problems
    header_problems = []
    for index, cell in enumerate(header):
        name = cell.strip()
        if not name:
            continue  # Excel leaves empty columns at the right: values are checked per line
        column = _COLUMN_BY_NAME.get(_normalise_header(name))
        if column is None:
            header_problems.append(
                Problem(
                    1,
                    name,
                    _(
                        "Unknown column “%(name)s”. Rename it to one of the expected columns "
                        "or delete it."
                    )
                    % {"name": name},
                )
            )
        elif column in labels:
            header_problems.append(
                Problem(
                    1,
                    name,
                    _("The column “%(name)s” repeats the column “%(first)s”.")
                    % {"name": name, "first": labels[column]},
                )
            )
        else:
            columns[index] = column
            labels[column] = name
    if not columns:
        problems.append(
            Problem(
                1,
                "",
                _(
                    "No known column in the first line. Is this a CSV file with a header line, "
                    "with values separated by commas, semicolons or tabs? Expected columns: "
                    "%(columns)s."
                )
                % {"columns": ", ".join(COLUMN_ALIASES)},
            )
        )
        return None
    problems.extend(header_problems)
    missing = [column for column in REQUIRED_COLUMNS if column not in labels]
    for column in missing:
        problems.append(
            Problem(1, column, _("The column “%(name)s” is required.") % {"name": column})
        )
    return None if missing else columns


def _read_rows(records, width: int, columns: dict[int, str], plan: ImportPlan) -> int:
    """Read every person into ``plan``; return how many non-blank lines there were."""
    labels = plan.labels
    first_line_of = {}  # email -> line where it first appears
    people = 0
    for index, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, often at the end of an Excel export
        people += 1
        if people > MAX_ROWS:
            plan.problems.append(
                Problem(
                    index,
                    "",
                    _(
                        "Too many people: a file may hold at most %(max)s. "
                        "Split it into several files."
                    )
                    % {"max": MAX_ROWS},
                )
            )
            return people
        if any(cell.strip() for cell in cells[width:]):
            plan.problems.append(
                Problem(
                    index,
                    "",
                    _(
                        "This line has more values than the header has columns. "
                        "Does a value contain the separator “%(delimiter)s”? "
                        "Put it between double quotes."
                    )
                    % {"delimiter": _delimiter_name(plan.delimiter)},
                )
            )
        values = dict.fromkeys(COLUMN_ALIASES, "")
        for cell_index, column in columns.items():
            if cell_index < len(cells):
                values[column] = cells[cell_index].strip()
        row, problems = _read_row(index, values, labels)
        if row is not None and row.email in first_line_of:
            problems.insert(
                0,
                Problem(
                    index,
                    labels["email"],
                    _("This person is already on line %(line)s.")
                    % {"line": first_line_of[row.email]},
                ),
            )
            plan.problems.extend(problems)
            continue  # only the first occurrence counts
        if row is not None:
            first_line_of[row.email] = index
            plan.rows.append(row)
        plan.problems.extend(problems)
    return people


def _delimiter_name(delimiter: str) -> str:
    return _("tab") if delimiter == "\t" else delimiter


def _read_row(line: int, values: dict[str, str], labels: dict[str, str]):
    """The Row (None if its email is unusable) and the problems of one line."""
    problems = []

    def problem(column, message):
        problems.append(Problem(line, labels.get(column, column), message))

    def too_long(column):
        limit, length = MAX_LENGTHS[column], len(values[column])
        if length > limit:
            problem(
                column,
                _("At most %(limit)s characters (this one has %(length)s).")
                % {"limit": limit, "length": length},
            )
            return True
        return False

    email = values["email"].lower()
    if not email:
        problem("email", _("The email address is missing."))
    elif not too_long("email") and not _is_email(email):
        problem("email", _("“%(value)s” is not a valid email address.") % {"value": email})
    email_ok = not problems

    if not values["first_name"]:
        problem("first_name", _("The first name is missing."))
    if not values["last_name"]:
        problem("last_name", _("The last name is missing."))
    for column in MAX_LENGTHS:
        if column != "email":
            too_long(column)

    manager_email = values["manager_email"].lower() or None
    if manager_email and not _is_email(manager_email):
        problem(
            "manager_email",
            _("“%(value)s” is not a valid email address.") % {"value": manager_email},
        )
        manager_email = None
    elif manager_email and manager_email == email:
        problem("manager_email", _("A person cannot be their own line manager."))
        manager_email = None

    seniority = None
    if values["seniority"]:
        raw = values["seniority"]
        if re.fullmatch(r"\d{1,3}", raw) and int(raw) <= MAX_SENIORITY:
            seniority = int(raw)
        else:
            problem(
                "seniority",
                _("“%(value)s” is not a number of years between 0 and %(max)s.")
                % {"value": raw, "max": MAX_SENIORITY},
            )

    language = None
    if values["language"]:
        language = LANGUAGE_VALUES.get(values["language"].lower())
        if language is None:
            problem(
                "language",
                _("“%(value)s” is not a known language: write fr or en.")
                % {"value": values["language"]},
            )

    if not email_ok:
        return None, problems
    return Row(
        line=line,
        email=email,
        first_name=values["first_name"],
        last_name=values["last_name"],
        department=values["department"] or None,
        direction=values["direction"] or None,
        job_title=values["job_title"] or None,
        manager_email=manager_email,
        seniority_years=seniority,
        language=language,
        has_problems=bool(problems),
    ), problems


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _check_managers(plan: ImportPlan, existing: dict[str, ExistingPerson]) -> None:
    """Unknown managers, then loops in the reporting line once the file is applied."""
    if "manager_email" not in plan.labels:
        return
    label = plan.labels["manager_email"]
    in_file = {row.email for row in plan.rows}
    # The reporting line as it would be after the import: the file's managers
    # over the platform's, an empty cell keeping the current manager.
    manager_of = {email: p.manager_email for email, p in existing.items() if p.manager_email}
    set_by_file = set()
    for row in plan.rows:
        if row.manager_email is None:
            continue
        if row.manager_email not in in_file and row.manager_email not in existing:
            plan.problems.append(
                Problem(
                    row.line,
                    label,
                    _("No one has the email “%(email)s”, in this file or on the platform.")
                    % {"email": row.manager_email},
                )
            )
            row.has_problems = True
            continue
        manager_of[row.email] = row.manager_email
        set_by_file.add(row.email)

    rows_by_email = {row.email: row for row in plan.rows}
    for loop in _loops(manager_of, starts=list(rows_by_email)):
        if not set_by_file.intersection(loop):
            continue  # an old loop in the platform's data, not made by this file
        for position, email in enumerate(loop):
            row = rows_by_email.get(email)
            if row is None:
                continue
            chain = [*loop[position:], *loop[:position], email]
            plan.problems.append(
                Problem(
                    row.line,
                    label,
                    _("Loop in the reporting line: %(chain)s.") % {"chain": " → ".join(chain)},
                )
            )
            row.has_problems = True


def _loops(manager_of: dict[str, str], starts: list[str]) -> list[list[str]]:
    """The loops reachable from ``starts`` in a graph where each person has at most one manager."""
    state: dict[str, bool] = {}  # email -> True while on the current path, False once done
    loops = []
    for start in starts:
        path, node = [], start
        while node is not None and node not in state:
            state[node] = True
            path.append(node)
            node = manager_of.get(node)
        if node is not None and state[node]:
            loops.append(path[path.index(node) :])
        for email in path:
            state[email] = False
    return loops


def _sort_into_create_and_update(plan: ImportPlan, existing: dict[str, ExistingPerson]) -> None:
    # Lines with a problem are left out: the import is refused anyway, and the
    # counts then describe what the clean lines would do.
    for row in plan.rows:
        if row.has_problems:
            continue
        person = existing.get(row.email)
        if person is None:
            plan.to_create.append(row)
            continue
        changes = [
            Change(name, old, new)
            for name, old, new in (
                ("first_name", person.first_name, row.first_name),
                ("last_name", person.last_name, row.last_name),
                ("department", person.department, row.department),
                ("direction", person.direction, row.direction),
                ("job_title", person.job_title, row.job_title),
                ("manager", person.manager_email, row.manager_email),
                ("seniority_years", person.seniority_years, row.seniority_years),
                ("language", person.language, row.language),
            )
            if new is not None and new != old
        ]
        if changes:
            plan.to_update.append(Update(row, changes))
        else:
            plan.unchanged.append(row)


# The downloadable template: French headers and two people, the second
# reporting to the first, so that it imports as it is.
TEMPLATE_ROWS = [
    [
        "courriel",
        "prénom",
        "nom",
        "service",
        "direction",
        "poste",
        "responsable",
        "ancienneté",
        "langue",
    ],
    [
        "claire.dubois@exemple.fr",
        "Claire",
        "Dubois",
        "Direction commerciale",
        "Direction commerciale",
        "Directrice commerciale",
        "",
        "24",
        "fr",
    ],
    [
        "lea.martin@exemple.fr",
        "Léa",
        "Martin",
        "Marketing",
        "Direction commerciale",
        "Chargée de communication digitale",
        "claire.dubois@exemple.fr",
        "3",
        "fr",
    ],
]
