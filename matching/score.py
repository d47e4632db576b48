"""How well a mentor suits a mentee: five parts in [0, 1], a weighted mean, and hard rules.

The mentor is the junior who teaches digital skills; the mentee is the senior who gives back
leadership, strategy or business knowledge. Levels run from 1 (beginner) to 4 (expert).
Availability is a bitmask of the ten weekly half-days: bit ``2 * day + half`` with day 0 =
Monday ... 4 = Friday and half 0 = morning, 1 = afternoon (bit 2 = Tuesday morning).

Parts
-----
``coverage(offered, wished)``
    1.0 if offered >= wished; 0.5 if offered == wished - 1 (one level short: still useful);
    0.0 otherwise, and 0.0 when the skill is not offered at all.
``teach``
    Mean, over the skills the mentee seeks, of ``coverage(mentor.offers[k], mentee.seeks[k])``.
    0 if the mentee seeks nothing.
``give_back``
    The reverse direction: mean, over the skills the mentor seeks, of
    ``coverage(mentee.offers[k], mentor.seeks[k])``. 0.5 if the mentor seeks nothing
    (neutral: nothing asked, nothing missing).
``availability``
    ``min(1, popcount(mentor.availability & mentee.availability) / 2)``: two common half-days
    a week give full marks, one is enough for a fortnightly session and gives 0.5.
``format``
    1 if either says "either" or both say the same; 0 for "in_person" against "remote".
``language``
    1 if both have the same preferred language and it is in both language sets; 0.5 if they
    only share some other language; 0 if they share none.

Total
-----
``total = sum(w_k * part_k) / sum(w_k)`` over ``PARTS``, with the programme's ``Weights``
(all >= 0, ``teach`` > 0). ``total`` is exactly 0.0 where a hard rule blocks the pair; the
parts keep their values there, so an explanation can still say what the pair would have had.
Because ``teach`` > 0 on every allowed pair (``NOTHING_TO_TEACH`` blocks the others) and its
weight is positive, an allowed pair always has ``total > 0``: the solver relies on it.

Hard rules (``Block`` flags, several may apply to one pair)
---------------------------------------------------------
SAME_PERSON         same ``user_id`` on both sides.
REPORTING_LINE      the mentor's user is in the mentee's ``manager_chain`` or the reverse.
SENIORITY_GAP       ``mentee.seniority - mentor.seniority < rules.min_seniority_gap``.
UNTRAINED           ``rules.training_required`` and the mentor has not finished training.
FORBIDDEN           ``(mentor.id, mentee.id)`` is in ``rules.forbidden``.
NO_SHARED_LANGUAGE  the language part is 0.
NOTHING_TO_TEACH    the teach part is 0.

Worked example (default weights 4, 2, 2, 1, 1; their sum is 10)
-------------------------------------------------------------
Mentor Léa offers Power BI (skill 1) at 3 and Python (skill 2) at 2, seeks strategy (skill 10)
at 3, is free on Tuesday and Thursday mornings (bits 2 and 6), wants "remote", speaks fr and
en and prefers fr. Mentee Marc seeks Power BI at 3, Python at 3 and SQL (skill 3) at 2, offers
strategy at 2, is free on Tuesday morning and afternoon (bits 2 and 3), says "either", speaks
fr and prefers fr.

- teach = (coverage(3, 3) + coverage(2, 3) + coverage(-, 2)) / 3 = (1 + 0.5 + 0) / 3 = 0.5
- give_back = coverage(2, 3) / 1 = 0.5
- availability = min(1, popcount(bits 2, 6 & bits 2, 3) / 2) = min(1, 1 / 2) = 0.5
- format = 1 (Marc accepts either); language = 1 (both prefer fr)
- total = (4 * 0.5 + 2 * 0.5 + 2 * 0.5 + 1 * 1 + 1 * 1) / 10 = 6 / 10 = 0.6

Numbers
-------
``score()`` computes the whole cohort at once with numpy and stores float32, so its values
agree with ``score_pair()`` (plain Python floats) to about 1e-7.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag

import numpy as np

SLOTS = (
    10  # weekly half-days: bit 0 = Monday morning, bit 1 = Monday afternoon, ..., bit 9 = Fri pm
)
LEVELS = (1, 2, 3, 4)  # 1 beginner, 2 intermediate, 3 advanced, 4 expert
FORMATS = ("in_person", "remote", "either")

# Rows of mentees handled at once by score(): the temporaries stay around
# ROW_CHUNK x n_mentors cells (20 MB per float32 temporary for 5,000 mentors).
ROW_CHUNK = 1024


@dataclass(frozen=True)
class Person:
    id: int  # participant id (unique among mentors, and among mentees)
    user_id: int  # the employee; the same user_id on both sides = same person
    seniority: int  # years of professional experience
    manager_chain: frozenset[int]  # user ids of every manager above this person (transitive)
    offers: dict[int, int]  # skill_area_id -> level they can teach / give back (1..4)
    seeks: dict[int, int]  # skill_area_id -> level they wish to reach (1..4)
    availability: int  # bitmask of SLOTS half-days
    format: str  # "in_person" | "remote" | "either"
    languages: frozenset[str]  # e.g. frozenset({"fr", "en"})
    preferred_language: str  # e.g. "fr"
    capacity: int = 1  # mentors only: how many mentees at most
    trained: bool = True  # mentors only: finished the mentor training


@dataclass(frozen=True)
class Weights:
    teach: float = 4.0
    give_back: float = 2.0
    availability: float = 2.0
    format: float = 1.0
    language: float = 1.0


@dataclass(frozen=True)
class Rules:
    min_seniority_gap: int = 0  # mentee.seniority - mentor.seniority must be >= this
    training_required: bool = False
    # (mentor.id, mentee.id) pairs: declined before, or forbidden by HR
    forbidden: frozenset[tuple[int, int]] = frozenset()


class Block(IntFlag):
    """Why a pair is impossible (hard rules); 0 = allowed."""

    SAME_PERSON = 1
    REPORTING_LINE = 2  # either one is in the other's manager_chain
    SENIORITY_GAP = 4
    UNTRAINED = 8  # only when rules.training_required
    FORBIDDEN = 16
    NO_SHARED_LANGUAGE = 32
    NOTHING_TO_TEACH = 64  # teach part == 0


PARTS = ("teach", "give_back", "availability", "format", "language")


@dataclass
class ScoreMatrix:
    """Scores of every (mentee, mentor) pair of a cohort; rows are mentees, columns mentors."""

    mentors: list[Person]
    mentees: list[Person]
    parts: dict[str, np.ndarray]  # name -> float32 (n_mentees, n_mentors), each in [0, 1]
    total: np.ndarray  # float32 (n_mentees, n_mentors): weighted mean of parts; 0.0 where blocked
    blocks: np.ndarray  # uint8 (n_mentees, n_mentors): Block bit flags, 0 = allowed

    @property
    def feasible(self) -> np.ndarray:
        """bool (n_mentees, n_mentors): True where no hard rule blocks the pair."""
        return self.blocks == 0


def coverage(offered: int | None, wished: int) -> float:
    """How much of a wished level an offered level covers (None = not offered)."""
    if offered is None:
        return 0.0
    if offered >= wished:
        return 1.0
    if offered == wished - 1:
        return 0.5
    return 0.0


def _mean_coverage(
    offers: dict[int, int], seeks: dict[int, int], if_nothing_sought: float
) -> float:
    if not seeks:
        return if_nothing_sought
    return sum(coverage(offers.get(k), wished) for k, wished in seeks.items()) / len(seeks)


def _format_agreed(a: str, b: str) -> str | None:
    """The format both accept, "either" if both accept anything, None if incompatible."""
    if a == "either":
        return b
    if b == "either" or a == b:
        return a
    return None


def _check_weights(weights: Weights) -> tuple[float, ...]:
    values = tuple(float(getattr(weights, name)) for name in PARTS)
    if not all(np.isfinite(v) and v >= 0 for v in values):
        raise ValueError(f"Weights must be finite and >= 0, got {weights}.")
    if values[0] <= 0:
        raise ValueError("The teach weight must be > 0: teaching is what a pair is for.")
    return values


def _check_person(person: Person) -> None:
    for kind, levels in (("offers", person.offers), ("seeks", person.seeks)):
        for skill, level in levels.items():
            if level not in LEVELS:
                raise ValueError(
                    f"Participant {person.id} {kind} skill {skill} at level {level}, "
                    f"expected one of {LEVELS}."
                )
    if not 0 <= person.availability < 1 << SLOTS:
        raise ValueError(f"Participant {person.id} has availability {person.availability}.")
    if person.format not in FORMATS:
        raise ValueError(f"Participant {person.id} has format {person.format!r}.")
    if person.capacity < 0:
        raise ValueError(f"Participant {person.id} has capacity {person.capacity}.")


def score_pair(
    mentor: Person, mentee: Person, weights: Weights, rules: Rules
) -> tuple[float, dict[str, float], Block]:
    """(total, parts, blocks) of one pair: the same numbers as score(), in plain Python."""
    w = _check_weights(weights)
    _check_person(mentor)
    _check_person(mentee)
    shared_languages = mentor.languages & mentee.languages
    same_preferred = (
        mentor.preferred_language == mentee.preferred_language
        and mentor.preferred_language in shared_languages
    )
    parts = {
        "teach": _mean_coverage(mentor.offers, mentee.seeks, 0.0),
        "give_back": _mean_coverage(mentee.offers, mentor.seeks, 0.5),
        "availability": min(1.0, (mentor.availability & mentee.availability).bit_count() / 2),
        "format": 0.0 if _format_agreed(mentor.format, mentee.format) is None else 1.0,
        "language": 1.0 if same_preferred else 0.5 if shared_languages else 0.0,
    }

    blocks = Block(0)
    if mentor.user_id == mentee.user_id:
        blocks |= Block.SAME_PERSON
    if mentor.user_id in mentee.manager_chain or mentee.user_id in mentor.manager_chain:
        blocks |= Block.REPORTING_LINE
    if mentee.seniority - mentor.seniority < rules.min_seniority_gap:
        blocks |= Block.SENIORITY_GAP
    if rules.training_required and not mentor.trained:
        blocks |= Block.UNTRAINED
    if (mentor.id, mentee.id) in rules.forbidden:
        blocks |= Block.FORBIDDEN
    if parts["language"] == 0:
        blocks |= Block.NO_SHARED_LANGUAGE
    if parts["teach"] == 0:
        blocks |= Block.NOTHING_TO_TEACH

    if blocks:
        return 0.0, parts, blocks
    weighted = sum(wk * parts[name] for wk, name in zip(w, PARTS, strict=True))
    return weighted / sum(w), parts, blocks


def pair_details(mentor: Person, mentee: Person) -> dict:
    """JSON-serialisable facts behind the parts of a pair, to write its explanation."""

    def covered(offers: dict[int, int], seeks: dict[int, int]) -> list[dict]:
        rows = []
        for skill in sorted(seeks):
            cov = coverage(offers.get(skill), seeks[skill])
            if cov > 0:
                rows.append(
                    {
                        "skill": skill,
                        "offered": offers[skill],
                        "wished": seeks[skill],
                        "coverage": cov,
                    }
                )
        return rows

    common = mentor.availability & mentee.availability
    return {
        "taught": covered(mentor.offers, mentee.seeks),
        "given_back": covered(mentee.offers, mentor.seeks),
        "common_slots": [slot for slot in range(SLOTS) if common >> slot & 1],
        "format": _format_agreed(mentor.format, mentee.format),
        "languages": sorted(mentor.languages & mentee.languages),
    }


# --- Vectorised scoring -----------------------------------------------------------------------
#
# Every part is a sum over a few features, so each one is a single matrix product
# (n_mentees x F) @ (F x n_mentors) with F <= 4 x number of skill areas: BLAS fills the
# 25M-cell result without any Python loop over pairs, and every sum is of small integers or
# halves, which float32 holds exactly.

# _COVER[offered, wished - 1] = coverage(offered, wished); offered 0 = not offered.
_COVER = np.array(
    [[coverage(o or None, w) for w in LEVELS] for o in range(len(LEVELS) + 1)], dtype=np.float32
)


def _levels(people: list[Person], attr: str, column: dict[int, int]) -> np.ndarray:
    """int8 (n, K): the level of each skill area, 0 where absent."""
    out = np.zeros((len(people), len(column)), dtype=np.int8)
    for i, person in enumerate(people):
        for skill, level in getattr(person, attr).items():
            out[i, column[skill]] = level
    return out


def _wished_onehot(levels: np.ndarray) -> np.ndarray:
    """float32 (n, 4K): column 4k + w - 1 is 1 where skill k is sought at level w."""
    n, k = levels.shape
    stacked = np.stack([levels == w for w in LEVELS], axis=2)
    return stacked.reshape(n, k * len(LEVELS)).astype(np.float32)


def _offered_coverage(levels: np.ndarray) -> np.ndarray:
    """float32 (n, 4K): column 4k + w - 1 is coverage(offered level of k, w)."""
    n, k = levels.shape
    return _COVER[levels].reshape(n, k * len(LEVELS))


def _slot_bits(people: list[Person]) -> np.ndarray:
    masks = np.array([p.availability for p in people], dtype=np.int64).reshape(-1, 1)
    return ((masks >> np.arange(SLOTS)) & 1).astype(np.float32)


def _language_features(
    people: list[Person], column: dict[str, int], pref_weight: float
) -> np.ndarray:
    """float32 (n, 2L): spoken languages, then the preferred one (if spoken) x pref_weight."""
    out = np.zeros((len(people), 2 * len(column)), dtype=np.float32)
    for i, person in enumerate(people):
        for language in person.languages:
            out[i, column[language]] = 1
        if person.preferred_language in person.languages:
            out[i, len(column) + column[person.preferred_language]] = pref_weight
    return out


def _index(people: list[Person], key: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for i, person in enumerate(people):
        found.setdefault(getattr(person, key), []).append(i)
    return found


def _sparse_blocks(
    mentors: list[Person], mentees: list[Person], rules: Rules, blocks: np.ndarray
) -> None:
    """Set SAME_PERSON, REPORTING_LINE and FORBIDDEN from short lists of (mentee, mentor) pairs.

    Chains are a handful of ids each, so looking each id up in a user -> index map costs
    O(people x chain length) instead of comparing every pair.
    """
    mentors_of_user = _index(mentors, "user_id")
    mentees_of_user = _index(mentees, "user_id")

    def apply(pairs: list[tuple[int, int]], flag: Block) -> None:
        if pairs:
            rows, cols = np.array(pairs, dtype=np.intp).T
            # OR is idempotent, so duplicated pairs in the fancy index are harmless.
            blocks[rows, cols] |= np.uint8(flag)

    apply(
        [(s, m) for s, e in enumerate(mentees) for m in mentors_of_user.get(e.user_id, ())],
        Block.SAME_PERSON,
    )
    line = [
        (s, m)
        for s, e in enumerate(mentees)
        for boss in e.manager_chain
        for m in mentors_of_user.get(boss, ())
    ]
    line += [
        (s, m)
        for m, r in enumerate(mentors)
        for boss in r.manager_chain
        for s in mentees_of_user.get(boss, ())
    ]
    apply(line, Block.REPORTING_LINE)

    mentor_of_id = {p.id: i for i, p in enumerate(mentors)}
    mentee_of_id = {p.id: i for i, p in enumerate(mentees)}
    # Forbidden pairs may name participants of other cohorts: those are simply not here.
    apply(
        [
            (mentee_of_id[b], mentor_of_id[a])
            for a, b in rules.forbidden
            if a in mentor_of_id and b in mentee_of_id
        ],
        Block.FORBIDDEN,
    )


def score(
    mentors: list[Person], mentees: list[Person], weights: Weights, rules: Rules
) -> ScoreMatrix:
    """Score every (mentee, mentor) pair of a cohort at once (formulas in the module docstring).

    Memory is the result itself, 25 bytes per pair (five float32 parts, a float32 total and
    uint8 flags: about 625 MB for 5,000 x 5,000), plus temporaries for ROW_CHUNK mentees.
    """
    w = _check_weights(weights)
    for person in (*mentors, *mentees):
        _check_person(person)
    for side, people in (("mentor", mentors), ("mentee", mentees)):
        if len({p.id for p in people}) != len(people):
            raise ValueError(f"Two {side}s share the same participant id.")
    n_s, n_m = len(mentees), len(mentors)

    skills = sorted({k for p in (*mentors, *mentees) for k in (*p.offers, *p.seeks)})
    skill_col = {k: i for i, k in enumerate(skills)}
    teach_s = _wished_onehot(_levels(mentees, "seeks", skill_col))
    teach_m = _offered_coverage(_levels(mentors, "offers", skill_col)).T
    back_s = _offered_coverage(_levels(mentees, "offers", skill_col))
    back_m = _wished_onehot(_levels(mentors, "seeks", skill_col)).T
    # Dividing a row by its count of sought skills turns the coverage sum into the mean.
    n_sought_s = np.array([max(len(p.seeks), 1) for p in mentees], dtype=np.float32)
    n_sought_m = np.array([max(len(p.seeks), 1) for p in mentors], dtype=np.float32)
    mentor_seeks_nothing = np.array([not p.seeks for p in mentors], dtype=bool)

    slots_s, slots_m = _slot_bits(mentees), _slot_bits(mentors).T
    # format clash = in_person(mentee) x remote(mentor) + remote(mentee) x in_person(mentor)
    format_s = np.array([[p.format == "in_person", p.format == "remote"] for p in mentees])
    format_m = np.array([[p.format == "remote", p.format == "in_person"] for p in mentors])
    format_s = format_s.astype(np.float32).reshape(n_s, 2)
    format_m = format_m.astype(np.float32).reshape(n_m, 2).T
    # The product counts shared languages, plus `pref` when the preferred ones match; with
    # pref above any possible count, ">= pref" reads the match back from the sum.
    languages = sorted({lang for p in (*mentors, *mentees) for lang in p.languages})
    language_col = {lang: i for i, lang in enumerate(languages)}
    pref = float(len(languages) + 1)
    language_s = _language_features(mentees, language_col, pref)
    language_m = _language_features(mentors, language_col, 1.0).T

    seniority_s = np.array([p.seniority for p in mentees], dtype=np.int64)
    seniority_m = np.array([p.seniority for p in mentors], dtype=np.int64)
    untrained = np.array(
        [rules.training_required and not p.trained for p in mentors], dtype=bool
    ).nonzero()[0]

    parts = {name: np.empty((n_s, n_m), dtype=np.float32) for name in PARTS}
    total = np.empty((n_s, n_m), dtype=np.float32)
    blocks = np.zeros((n_s, n_m), dtype=np.uint8)
    _sparse_blocks(mentors, mentees, rules, blocks)

    for start in range(0, n_s, ROW_CHUNK):
        rows = slice(start, min(start + ROW_CHUNK, n_s))
        teach = np.matmul(teach_s[rows], teach_m, out=parts["teach"][rows])
        teach /= n_sought_s[rows, None]

        back = np.matmul(back_s[rows], back_m, out=parts["give_back"][rows])
        back /= n_sought_m
        back[:, mentor_seeks_nothing] = 0.5

        avail = np.matmul(slots_s[rows], slots_m, out=parts["availability"][rows])
        np.minimum(avail, 2, out=avail)
        avail *= 0.5

        fmt = np.matmul(format_s[rows], format_m, out=parts["format"][rows])
        np.subtract(1, fmt, out=fmt)

        lang = np.matmul(language_s[rows], language_m, out=parts["language"][rows])
        same_preferred = lang >= pref
        np.minimum(lang, 1, out=lang)
        lang *= 0.5
        np.add(lang, 0.5, out=lang, where=same_preferred)

        blk = blocks[rows]
        too_senior = np.subtract.outer(seniority_s[rows], seniority_m) < rules.min_seniority_gap
        np.bitwise_or(blk, np.uint8(Block.SENIORITY_GAP), out=blk, where=too_senior)
        if len(untrained):
            blk[:, untrained] |= np.uint8(Block.UNTRAINED)
        np.bitwise_or(blk, np.uint8(Block.NO_SHARED_LANGUAGE), out=blk, where=lang == 0)
        np.bitwise_or(blk, np.uint8(Block.NOTHING_TO_TEACH), out=blk, where=teach == 0)

        # Accumulate in float64 (chunk-sized) so the stored total is the float32 rounding of
        # the exact weighted mean of the stored parts.
        acc = np.zeros((rows.stop - rows.start, n_m), dtype=np.float64)
        for wk, name in zip(w, PARTS, strict=True):
            if wk:
                acc += wk * parts[name][rows].astype(np.float64)
        acc /= sum(w)
        acc[blk != 0] = 0.0
        total[rows] = acc

    return ScoreMatrix(mentors=mentors, mentees=mentees, parts=parts, total=total, blocks=blocks)
