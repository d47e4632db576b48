"""The CSV parser and its checks, without a database."""

import pytest
from django.conf import settings
from django.utils import translation

from accounts.importing import (
    MAX_LENGTHS,
    TEMPLATE_ROWS,
    Change,
    ExistingPerson,
    Problem,
    Row,
    UnreadableFile,
    decode_upload,
    parse_employees,
)
from accounts.models import User

HEADER = "email;first_name;last_name;department;job_title;manager_email;seniority;language"


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English, whatever the catalogues hold later.
    with translation.override("en"):
        yield


def lines(*rows):
    return "\n".join(rows) + "\n"


def problems(plan):
    return [(p.line, p.column, p.message) for p in plan.problems]


def parse(*rows, existing=None):
    return parse_employees(lines(*rows), existing or {})


# --- good files ------------------------------------------------------------


def test_good_file_with_semicolons():
    plan = parse(
        HEADER,
        "claire.dubois@example.org;Claire;Dubois;Direction;Directrice;;24;fr",
        "Lea.Martin@Example.org;Léa;Martin;Marketing;Chargée de com;claire.dubois@example.org;3;en",
    )
    assert plan.problems == []
    assert plan.delimiter == ";"
    assert plan.to_update == [] and plan.unchanged == []
    assert plan.to_create == [
        Row(
            2,
            "claire.dubois@example.org",
            "Claire",
            "Dubois",
            "Direction",
            None,
            "Directrice",
            None,
            24,
            "fr",
        ),
        Row(
            3,
            "lea.martin@example.org",
            "Léa",
            "Martin",
            "Marketing",
            None,
            "Chargée de com",
            "claire.dubois@example.org",
            3,
            "en",
        ),
    ]


def test_good_file_with_commas_and_quotes():
    plan = parse(
        "email,first_name,last_name,job_title",
        'marc@example.org,Marc,Petit,"Responsable achats, France"',
    )
    assert plan.problems == []
    assert plan.delimiter == ","
    assert plan.to_create == [
        Row(2, "marc@example.org", "Marc", "Petit", job_title="Responsable achats, France")
    ]


def test_good_file_with_tabs():
    plan = parse("email\tfirst_name\tlast_name", "marc@example.org\tMarc\tPetit")
    assert plan.problems == []
    assert plan.delimiter == "\t"
    assert [row.email for row in plan.to_create] == ["marc@example.org"]


def test_byte_order_mark_is_ignored():
    plan = parse_employees("\ufeffemail;first_name;last_name\nmarc@example.org;Marc;Petit\n", {})
    assert plan.problems == []
    assert plan.labels["email"] == "email"
    assert [row.email for row in plan.to_create] == ["marc@example.org"]


def test_french_headers_and_values():
    plan = parse(
        "Courriel;Prénom;Nom;Service;Fonction;Responsable;Ancienneté;Langue",
        "claire@example.org;Claire;Dubois;Direction;Directrice;;24;Français",
        "lea@example.org;Léa;Martin;Marketing;Chargée de com;claire@example.org;3;anglais",
    )
    assert plan.problems == []
    assert plan.to_create == [
        Row(
            2,
            "claire@example.org",
            "Claire",
            "Dubois",
            "Direction",
            None,
            "Directrice",
            None,
            24,
            "fr",
        ),
        Row(
            3,
            "lea@example.org",
            "Léa",
            "Martin",
            "Marketing",
            None,
            "Chargée de com",
            "claire@example.org",
            3,
            "en",
        ),
    ]


@pytest.mark.parametrize(
    "header",
    [
        " EMAIL , First Name,LAST_NAME, Years of Experience ",
        "e-mail,prenom,nom,seniority_years",
        "mail,first_name,last_name,anciennete",
    ],
)
def test_header_names_are_case_and_space_insensitive(header):
    plan = parse(header, "marc@example.org,Marc,Petit,7")
    assert plan.problems == []
    assert plan.to_create[0].seniority_years == 7


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("fr", "fr"),
        ("EN", "en"),
        ("french", "fr"),
        ("English", "en"),
        ("francais", "fr"),
        ("", None),
    ],
)
def test_language_values(value, language):
    plan = parse("email,first_name,last_name,language", f"marc@example.org,Marc,Petit,{value}")
    assert plan.problems == []
    assert plan.to_create[0].language == language


def test_new_person_gets_the_defaults_for_empty_cells():
    plan = parse(HEADER, "marc@example.org;Marc;Petit;;;;;")
    assert plan.to_create[0].new_person_values() == {
        "email": "marc@example.org",
        "first_name": "Marc",
        "last_name": "Petit",
        "department": "",
        "direction": "",
        "job_title": "",
        "seniority_years": 0,
        "language": "fr",
    }


def test_blank_lines_are_skipped_but_counted_in_line_numbers():
    plan = parse(
        "email,first_name,last_name",
        "a@example.org,A,Aa",
        "",
        ",,",
        "b@example.org,B,Bb",
        "",
    )
    assert plan.problems == []
    assert [(row.line, row.email) for row in plan.to_create] == [
        (2, "a@example.org"),
        (5, "b@example.org"),
    ]


def test_a_value_on_several_lines_is_one_spreadsheet_row():
    plan = parse(
        "email,first_name,last_name,job_title",
        'a@example.org,A,Aa,"Chef\nde projet"',
        "b@example.org,B,",
    )
    assert problems(plan) == [(3, "last_name", "The last name is missing.")]


# --- updates ---------------------------------------------------------------


def existing_people():
    return {
        "claire@example.org": ExistingPerson(
            email="claire@example.org", first_name="Claire", last_name="Dubois"
        ),
        "paul@example.org": ExistingPerson(
            email="paul@example.org", first_name="Paul", last_name="Roux"
        ),
        "lea@example.org": ExistingPerson(
            email="lea@example.org",
            first_name="Léa",
            last_name="Martin",
            department="Marketing",
            job_title="Stagiaire",
            manager_email="claire@example.org",
            seniority_years=1,
            language="fr",
        ),
    }


def test_existing_people_are_updated_with_the_changes_listed():
    plan = parse(
        HEADER,
        "LEA@example.org;Léa;Martin-Durand;Finance;Stagiaire;paul@example.org;2;en",
        "claire@example.org;Claire;Dubois;;;;;",
        "new@example.org;Nora;Ben;;;lea@example.org;;",
        existing=existing_people(),
    )
    assert plan.problems == []
    assert [row.email for row in plan.to_create] == ["new@example.org"]
    assert [row.email for row in plan.unchanged] == ["claire@example.org"]
    assert len(plan.to_update) == 1
    assert plan.to_update[0].row.line == 2
    assert plan.to_update[0].changes == [
        Change("last_name", "Martin", "Martin-Durand"),
        Change("department", "Marketing", "Finance"),
        Change("manager", "claire@example.org", "paul@example.org"),
        Change("seniority_years", 1, 2),
        Change("language", "fr", "en"),
    ]


def test_an_empty_cell_keeps_the_current_value():
    plan = parse(HEADER, "lea@example.org;Léa;Martin;;;;;", existing=existing_people())
    assert plan.problems == []
    assert plan.to_update == []
    assert [row.email for row in plan.unchanged] == ["lea@example.org"]


# --- direction ---------------------------------------------------------------


def test_a_direction_column_gives_new_people_their_direction():
    plan = parse(
        "email;first_name;last_name;department;direction",
        "nora@example.org;Nora;Benali;Comptabilité;Direction financière",
        "yanis@example.org;Yanis;Morel;;",
    )
    assert plan.problems == []
    assert [(row.email, row.department, row.direction) for row in plan.to_create] == [
        ("nora@example.org", "Comptabilité", "Direction financière"),
        ("yanis@example.org", None, None),
    ]
    assert plan.to_create[0].new_person_values()["direction"] == "Direction financière"
    assert plan.to_create[1].new_person_values()["direction"] == ""


def test_the_french_header_direction_is_the_direction_not_the_department():
    plan = parse(
        "Courriel;Prénom;Nom;Service;Direction",
        "nora@example.org;Nora;Benali;Comptabilité;Direction financière",
    )
    assert plan.problems == []
    assert plan.labels == {
        "email": "Courriel",
        "first_name": "Prénom",
        "last_name": "Nom",
        "department": "Service",
        "direction": "Direction",
    }
    assert (plan.to_create[0].department, plan.to_create[0].direction) == (
        "Comptabilité",
        "Direction financière",
    )

    plan = parse("Courriel;Prénom;Nom;Direction", "nora@example.org;Nora;Benali;Direction RH")
    assert plan.problems == []
    assert (plan.to_create[0].department, plan.to_create[0].direction) == (None, "Direction RH")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("direction", "direction"),
        ("Division", "direction"),
        ("business_unit", "direction"),
        ("Business Unit", "direction"),
        ("department", "department"),
        ("service", "department"),
        ("Département", "department"),
        ("departement", "department"),
    ],
)
def test_direction_and_department_aliases(header, column):
    plan = parse(f"email,first_name,last_name,{header}", "nora@example.org,Nora,Benali,Ventes")
    assert plan.problems == []
    assert plan.labels[column] == header
    row = plan.to_create[0]
    assert (row.department, row.direction) == (
        ("Ventes", None) if column == "department" else (None, "Ventes")
    )


def test_an_over_long_direction_is_refused_with_its_line_and_column():
    plan = parse(
        "email;first_name;last_name;Direction",
        "nora@example.org;Nora;Benali;" + "D" * 100,
        "yanis@example.org;Yanis;Morel;" + "D" * 101,
    )
    assert problems(plan) == [(3, "Direction", "At most 100 characters (this one has 101).")]
    assert [row.email for row in plan.to_create] == ["nora@example.org"]


def direction_people():
    return {
        "lea@example.org": ExistingPerson(
            email="lea@example.org",
            first_name="Léa",
            last_name="Martin",
            department="Marketing",
            direction="Direction commerciale",
        ),
    }


def test_an_empty_direction_cell_keeps_the_current_direction():
    plan = parse(
        "email;first_name;last_name;department;direction",
        "lea@example.org;Léa;Martin;Marketing;",
        existing=direction_people(),
    )
    assert plan.problems == []
    assert plan.to_update == []
    assert [row.email for row in plan.unchanged] == ["lea@example.org"]


def test_the_same_direction_is_no_change():
    plan = parse(
        "email;first_name;last_name;direction",
        "lea@example.org;Léa;Martin;Direction commerciale",
        existing=direction_people(),
    )
    assert plan.to_update == []
    assert [row.email for row in plan.unchanged] == ["lea@example.org"]


def test_a_new_direction_is_listed_in_the_changes():
    plan = parse(
        "email;first_name;last_name;department;direction",
        "lea@example.org;Léa;Martin;Communication;Direction générale",
        existing=direction_people(),
    )
    assert plan.problems == []
    assert [update.changes for update in plan.to_update] == [
        [
            Change("department", "Marketing", "Communication"),
            Change("direction", "Direction commerciale", "Direction générale"),
        ]
    ]


# --- problems --------------------------------------------------------------


def test_missing_and_invalid_emails():
    plan = parse(
        "email,first_name,last_name",
        ",Marc,Petit",
        "marc.example.org,Marc,Petit",
        "marc@,Marc,Petit",
    )
    assert problems(plan) == [
        (2, "email", "The email address is missing."),
        (3, "email", "“marc.example.org” is not a valid email address."),
        (4, "email", "“marc@” is not a valid email address."),
    ]
    assert plan.to_create == []


def test_missing_names():
    plan = parse(
        "courriel;prénom;nom", "a@example.org;;Petit", "b@example.org;Marc;", "c@example.org;;"
    )
    assert problems(plan) == [
        (2, "prénom", "The first name is missing."),
        (3, "nom", "The last name is missing."),
        (4, "prénom", "The first name is missing."),
        (4, "nom", "The last name is missing."),
    ]
    assert plan.to_create == []


def test_duplicate_row_reports_the_second_occurrence_and_the_first_line():
    plan = parse(
        "email,first_name,last_name",
        "a@example.org,A,Aa",
        "b@example.org,B,Bb",
        "A@Example.org,A,Autre",
    )
    assert problems(plan) == [(4, "email", "This person is already on line 2.")]
    assert [row.email for row in plan.rows] == ["a@example.org", "b@example.org"]


def test_unknown_manager():
    plan = parse(
        "email,first_name,last_name,manager",
        "a@example.org,A,Aa,ghost@example.org",
        "b@example.org,B,Bb,claire@example.org",
        "c@example.org,C,Cc,a@example.org",
        "d@example.org,D,Dd,not-an-email",
        existing=existing_people(),
    )
    assert problems(plan) == [
        (
            2,
            "manager",
            "No one has the email “ghost@example.org”, in this file or on the platform.",
        ),
        (5, "manager", "“not-an-email” is not a valid email address."),
    ]
    assert [row.email for row in plan.to_create] == ["b@example.org", "c@example.org"]


def test_own_manager():
    plan = parse("email,first_name,last_name,manager_email", "a@example.org,A,Aa,A@example.org")
    assert problems(plan) == [
        (2, "manager_email", "A person cannot be their own line manager."),
    ]


def test_manager_loop_within_the_file_reports_every_line():
    plan = parse(
        "email,first_name,last_name,manager_email",
        "a@example.org,A,Aa,b@example.org",
        "top@example.org,T,Top,",
        "b@example.org,B,Bb,c@example.org",
        "c@example.org,C,Cc,a@example.org",
    )
    loop = "Loop in the reporting line: {}."
    assert problems(plan) == [
        (
            2,
            "manager_email",
            loop.format("a@example.org → b@example.org → c@example.org → a@example.org"),
        ),
        (
            4,
            "manager_email",
            loop.format("b@example.org → c@example.org → a@example.org → b@example.org"),
        ),
        (
            5,
            "manager_email",
            loop.format("c@example.org → a@example.org → b@example.org → c@example.org"),
        ),
    ]
    assert [row.email for row in plan.to_create] == ["top@example.org"]


def test_manager_loop_through_existing_people():
    # On the platform Léa reports to Claire; the file makes Claire report to Léa.
    plan = parse(
        "email,first_name,last_name,manager_email",
        "claire@example.org,Claire,Dubois,lea@example.org",
        existing=existing_people(),
    )
    assert problems(plan) == [
        (
            2,
            "manager_email",
            "Loop in the reporting line: "
            "claire@example.org → lea@example.org → claire@example.org.",
        ),
    ]


def test_a_loop_already_on_the_platform_is_not_blamed_on_the_file():
    existing = {
        "x@example.org": ExistingPerson("x@example.org", "X", "X", manager_email="y@example.org"),
        "y@example.org": ExistingPerson("y@example.org", "Y", "Y", manager_email="x@example.org"),
    }
    plan = parse(
        "email,first_name,last_name,manager_email",
        "x@example.org,X,X,",
        "z@example.org,Z,Z,x@example.org",
        existing=existing,
    )
    assert plan.problems == []


def test_a_file_can_break_a_loop_it_would_otherwise_create():
    # Claire now reports to Paul; Léa (under Claire on the platform) becomes Paul's manager.
    plan = parse(
        "email,first_name,last_name,manager_email",
        "claire@example.org,Claire,Dubois,paul@example.org",
        "paul@example.org,Paul,Roux,lea@example.org",
        "lea@example.org,Léa,Martin,top@example.org",
        "top@example.org,Top,Boss,",
        existing=existing_people(),
    )
    assert plan.problems == []


@pytest.mark.parametrize("value", ["abc", "61", "-1", "5.5", "5 ans", "1000"])
def test_seniority_must_be_a_whole_number_from_0_to_60(value):
    plan = parse("email;first_name;last_name;ancienneté", f"a@example.org;A;Aa;{value}")
    assert problems(plan) == [
        (2, "ancienneté", f"“{value}” is not a number of years between 0 and 60."),
    ]


@pytest.mark.parametrize("value", ["0", "60", " 12 "])
def test_seniority_limits_are_accepted(value):
    plan = parse("email;first_name;last_name;seniority", f"a@example.org;A;Aa;{value}")
    assert plan.problems == []
    assert plan.to_create[0].seniority_years == int(value)


def test_unknown_language():
    plan = parse("email,first_name,last_name,langue", "a@example.org,A,Aa,de")
    assert problems(plan) == [(2, "langue", "“de” is not a known language: write fr or en.")]


def test_over_long_values():
    plan = parse(
        "email,first_name,last_name,department,job_title",
        f"{'a' * 250}@example.org,{'F' * 151},Petit,{'D' * 101},{'J' * 150}",
    )
    assert problems(plan) == [
        (2, "email", "At most 254 characters (this one has 262)."),
        (2, "first_name", "At most 150 characters (this one has 151)."),
        (2, "department", "At most 100 characters (this one has 101)."),
    ]


def test_the_parser_limits_match_the_model():
    assert {name: User._meta.get_field(name).max_length for name in MAX_LENGTHS} == MAX_LENGTHS
    # Every free-text column of the file is checked against its field's limit.
    assert set(MAX_LENGTHS) == {
        "email",
        "first_name",
        "last_name",
        "department",
        "direction",
        "job_title",
    }
    assert User._meta.get_field("language").default == "fr"
    assert settings.LANGUAGE_CODE == "fr"
    assert {code for code, _name in settings.LANGUAGES} == {"fr", "en"}


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(text):
    plan = parse_employees(text, {})
    assert problems(plan) == [(1, "", "The file is empty.")]


@pytest.mark.parametrize(
    "text", ["email;first_name;last_name\n", "email,first_name,last_name\n\n,,\n"]
)
def test_header_without_anyone(text):
    plan = parse_employees(text, {})
    assert problems(plan) == [(1, "", "The file has a header line but no one under it.")]


def test_too_many_rows():
    rows = [f"p{n}@example.org,P,{n}" for n in range(5001)]
    plan = parse("email,first_name,last_name", *rows)
    assert problems(plan) == [
        (5002, "", "Too many people: a file may hold at most 5000. Split it into several files.")
    ]


def test_five_thousand_rows_are_fine():
    rows = [f"p{n}@example.org,P,{n}" for n in range(5000)]
    plan = parse("email,first_name,last_name", *rows)
    assert plan.problems == []
    assert len(plan.to_create) == 5000


def test_unknown_column_is_refused():
    plan = parse("email,first_name,last_name,badge", "a@example.org,A,Aa,1234")
    assert problems(plan) == [
        (
            1,
            "badge",
            "Unknown column “badge”. Rename it to one of the expected columns or delete it.",
        ),
    ]


def test_the_same_column_twice_is_refused():
    plan = parse("email,first_name,last_name,courriel", "a@example.org,A,Aa,a@example.org")
    assert problems(plan) == [
        (1, "courriel", "The column “courriel” repeats the column “email”."),
    ]


def test_a_required_column_is_missing():
    plan = parse("email;first_name;service", "a@example.org;A;Marketing")
    assert problems(plan) == [(1, "last_name", "The column “last_name” is required.")]
    assert plan.rows == []


@pytest.mark.parametrize(
    "text",
    [
        "email|first_name|last_name\na@example.org|A|Aa\n",
        "Hello,\nthis is a letter, not a CSV file.\n",
    ],
)
def test_wrong_delimiter_or_not_a_csv(text):
    plan = parse_employees(text, {})
    assert problems(plan) == [
        (
            1,
            "",
            "No known column in the first line. Is this a CSV file with a header line, "
            "with values separated by commas, semicolons or tabs? Expected columns: email, "
            "first_name, last_name, department, direction, job_title, manager_email, seniority, "
            "language.",
        )
    ]


def test_more_values_than_columns():
    plan = parse("email;first_name;last_name", "a@example.org;A;Aa;surplus")
    assert problems(plan) == [
        (
            2,
            "",
            "This line has more values than the header has columns. Does a value contain "
            "the separator “;”? Put it between double quotes.",
        )
    ]


def test_trailing_empty_columns_from_excel_are_ignored():
    plan = parse("email;first_name;last_name;;", "a@example.org;A;Aa;;")
    assert plan.problems == []


def test_problems_are_sorted_by_line():
    plan = parse(
        "email,first_name,last_name,manager_email,seniority",
        "a@example.org,A,Aa,z@example.org,",
        "b@example.org,B,Bb,,99",
    )
    assert [p.line for p in plan.problems] == [2, 3]
    assert isinstance(plan.problems[0], Problem)


def test_the_downloadable_template_imports_as_it_is():
    text = "\n".join(";".join(row) for row in TEMPLATE_ROWS)
    plan = parse_employees(text, {})
    assert plan.problems == []
    assert [(row.email, row.manager_email) for row in plan.to_create] == [
        ("claire.dubois@exemple.fr", None),
        ("lea.martin@exemple.fr", "claire.dubois@exemple.fr"),
    ]
    assert [(row.department, row.direction) for row in plan.to_create] == [
        ("Direction commerciale", "Direction commerciale"),
        ("Marketing", "Direction commerciale"),
    ]


# --- decoding the uploaded bytes -----------------------------------------------

SAVE_AS_HINT = (
    "In Excel, use File › Save as › “CSV UTF-8 (comma delimited) (*.csv)”; "
    "in LibreOffice, choose the character set “Unicode (UTF-8)”."
)


def test_decode_utf8_with_and_without_byte_order_mark():
    assert decode_upload("email\nLéa\n".encode()) == "email\nLéa\n"
    assert decode_upload(b"\xef\xbb\xbf" + "email\nLéa\n".encode()) == "email\nLéa\n"


def test_decode_refuses_windows_1252_with_a_hint():
    with pytest.raises(UnreadableFile) as error:
        decode_upload("email;first_name\nlea@example.org;Léa\n".encode("cp1252"))
    assert error.value.code == "bad_encoding"
    assert str(error.value) == (
        "Bad encoding: the file is not in UTF-8 (unreadable character at byte 35). " + SAVE_AS_HINT
    )


def test_decode_refuses_utf16():
    with pytest.raises(UnreadableFile) as error:
        decode_upload("email\n".encode("utf-16"))
    assert error.value.code == "bad_encoding"
    assert str(error.value) == "The file is in UTF-16 (“Unicode text”), not UTF-8. " + SAVE_AS_HINT


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx workbook
        b"email\x07first_name\n",
    ],
)
def test_decode_refuses_binary_files(raw):
    with pytest.raises(UnreadableFile) as error:
        decode_upload(raw)
    assert error.value.code == "not_text"
    assert str(error.value) == (
        "This is not a text file. If it is an Excel workbook or another document, "
        "save it as CSV first. " + SAVE_AS_HINT
    )


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b" \r\n"])
def test_decode_refuses_empty_files(raw):
    with pytest.raises(UnreadableFile) as error:
        decode_upload(raw)
    assert (error.value.code, str(error.value)) == ("empty", "The file is empty.")
