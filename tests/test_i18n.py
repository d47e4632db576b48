"""The French catalogue is complete and the same pages read in English."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from programmes.models import Programme
from tests.factories import CohortFactory, ProgrammeFactory, SkillAreaFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_untranslated_or_fuzzy_string():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        assert compiled[(entry.msgctxt, entry.msgid)][0 if not entry.msgid_plural else 1] == (
            entry.msgstr
            if not entry.msgid_plural
            else {int(k): v for k, v in entry.msgstr_plural.items()}
        ), entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Accueil",
                "Programmes",
                "Domaines de compétences",
                "Nouveau programme",
                "Inscriptions ouvertes",
                "Critères de réussite",
                "Ajouter une cohorte",
            ],
        ),
        (
            "en",
            [
                "Home",
                "Programmes",
                "Skill areas",
                "New programme",
                "Enrolment open",
                "Success criteria",
                "Add a cohort",
            ],
        ),
    ],
)
def test_hr_pages_in_both_languages(client, hr_admin, language, expected):
    hr_admin.language = language
    hr_admin.save()
    client.force_login(hr_admin)
    programme = ProgrammeFactory(
        status=Programme.Status.ENROLMENT, skill_areas=[SkillAreaFactory()]
    )
    CohortFactory(programme=programme)
    text = "".join(
        client.get(url).content.decode()
        for url in (reverse("home"), reverse("programme_detail", args=[programme.pk]))
    )
    for phrase in expected:
        assert phrase in text, phrase


@pytest.mark.django_db
def test_english_dates_put_the_day_first(client, hr_admin):
    hr_admin.language = "en"
    hr_admin.save()
    client.force_login(hr_admin)
    ProgrammeFactory(name="Dated")  # 1 September 2026 to 30 June 2027
    content = client.get(reverse("programme_list")).content.decode()
    assert "01/09/2026 – 30/06/2027" in content


def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """Extract the strings again from a copy of the code: none may be missing."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("GNU gettext is needed to check the catalogue in CI.")
        pytest.skip("GNU gettext is not installed.")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    apps = [p.parent.name for p in base.glob("*/apps.py")] + ["mentoring"]
    for name in [*apps, "templates", "locale"]:
        shutil.copytree(base / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert sorted(extracted - committed) == []
