"""Plain-language explanations of proposals and of unmatched people, in the reader's language.

Everything is read from stored data (the proposal's details, the reason's code
and parameters), so an explanation never needs the engine to run again.
"""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from programmes.availability import SLOT_LABELS
from programmes.forms import LANGUAGES_SPOKEN


def _names(ids, skills) -> str:
    labels = [skills[i].label for i in ids if i in skills]
    if len(labels) <= 1:
        return "".join(labels)
    return _("{} and {}").format(", ".join(labels[:-1]), labels[-1])


def _mid_sentence(label) -> str:
    # French writes weekdays and language names in lower case, English does not.
    text = str(label)
    return text.lower() if (get_language() or "").startswith("fr") else text


def explain_proposal(details: dict, mentor, mentee, skills) -> list[str]:
    """Sentences saying why ``mentor`` (a user) suits ``mentee`` (a user).

    ``skills`` maps skill-area ids to SkillArea objects.
    """
    lines = []
    full = [t["skill"] for t in details.get("taught", []) if t["coverage"] >= 1]
    half = [t["skill"] for t in details.get("taught", []) if 0 < t["coverage"] < 1]
    names = {"mentor": mentor.first_name, "mentee": mentee.first_name}
    if full:
        lines.append(
            _("%(mentor)s teaches %(skills)s at the level %(mentee)s asked for")
            % {**names, "skills": _names(full, skills)}
        )
    if half:
        lines.append(
            _("%(mentor)s teaches %(skills)s one level below what %(mentee)s asked for")
            % {**names, "skills": _names(half, skills)}
        )
    given = [t["skill"] for t in details.get("given_back", []) if t["coverage"] > 0]
    if given:
        lines.append(
            _("%(mentee)s gives back %(skills)s") % {**names, "skills": _names(given, skills)}
        )
    slots = details.get("common_slots", [])
    if slots:
        lines.append(
            _("both are free on %(slots)s")
            % {"slots": ", ".join(_mid_sentence(SLOT_LABELS[s]) for s in slots[:3])}
        )
    else:
        lines.append(_("no common half-day: they will have to find a time"))
    if details.get("format") == "in_person":
        lines.append(_("both can meet in person"))
    elif details.get("format") == "remote":
        lines.append(_("both prefer to meet remotely"))
    languages = dict(LANGUAGES_SPOKEN)
    shared = [_mid_sentence(languages.get(code, code)) for code in details.get("languages", [])]
    if shared:
        lines.append(_("they share %(languages)s") % {"languages": ", ".join(shared)})
    return lines


RULE_TEXT = {
    "SAME_PERSON": lambda n: ngettext("%(n)d is the same person", "%(n)d are the same person", n),
    "REPORTING_LINE": lambda n: ngettext(
        "%(n)d is in the same reporting line", "%(n)d are in the same reporting line", n
    ),
    "SENIORITY_GAP": lambda n: ngettext(
        "%(n)d is not junior enough", "%(n)d are not junior enough", n
    ),
    "UNTRAINED": lambda n: ngettext(
        "%(n)d has not finished the mentor training",
        "%(n)d have not finished the mentor training",
        n,
    ),
    "FORBIDDEN": lambda n: ngettext(
        "%(n)d was forbidden or declined before", "%(n)d were forbidden or declined before", n
    ),
    "NO_SHARED_LANGUAGE": lambda n: ngettext(
        "%(n)d shares no language", "%(n)d share no language", n
    ),
}


def explain_unmatched(code: str, params: dict, skills, *, is_mentor: bool) -> str:
    """Why a participant was left without a pair, in one sentence."""
    if code == "no_mentors":
        return _("There is no approved mentor in this cohort.")
    if code == "no_mentees":
        return _("There is no approved mentee in this cohort.")
    if code == "nothing_to_teach":
        return _("No mentor offers %(skills)s at the level asked.") % {
            "skills": _names(params.get("skills", []), skills)
        }
    if code == "nobody_seeks":
        return _("No mentee seeks what this mentor offers (%(skills)s).") % {
            "skills": _names(params.get("skills", []), skills)
        }
    if code == "blocked":
        counts = params.get("counts", {})
        details = "; ".join(
            RULE_TEXT[name](n) % {"n": n} for name, n in counts.items() if name in RULE_TEXT
        )
        if is_mentor:
            text = ngettext(
                "%(n)d mentee could learn from this mentor, but the rules exclude them",
                "%(n)d mentees could learn from this mentor, but the rules exclude them all",
                params.get("candidates", 0),
            )
        else:
            text = ngettext(
                "%(n)d mentor could teach this person, but the rules exclude them",
                "%(n)d mentors could teach this person, but the rules exclude them all",
                params.get("candidates", 0),
            )
        return _("%(summary)s: %(details)s.") % {
            "summary": text % {"n": params.get("candidates", 0)},
            "details": details,
        }
    if code == "taken":
        if is_mentor:
            return ngettext(
                "The %(n)d mentee this mentor suits got a better-suited mentor.",
                "The %(n)d mentees this mentor suits all got better-suited mentors.",
                params.get("candidates", 0),
            ) % {"n": params.get("candidates", 0)}
        return ngettext(
            "The %(n)d mentor who suits this person is paired with someone they suit better; "
            "lock a pair to decide otherwise.",
            "The %(n)d mentors who suit this person are paired with people they suit better; "
            "lock a pair to decide otherwise.",
            params.get("candidates", 0),
        ) % {"n": params.get("candidates", 0)}
    return code
