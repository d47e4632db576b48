"""The evaluation metrics: each one defined once, here, as a function of plain facts.

Pure Python, no Django, so the formulas can be tested and benchmarked alone.
``evaluation.metrics`` reads the facts from the database (one ``Person`` per
enrolment, one ``Membership`` per person and pair) and stores what
``summarise`` returns in the snapshots; dashboards, exports and the pilot
verdict only read those snapshots.

Every metric is registered with ``@metric``: its label and its definition are
the texts the dashboards show (translated there), and the definition becomes
the function's docstring. A metric returns ``(value, n)``: ``n`` is the number
of people behind the value, which is what the managers' view suppresses on.

Counts of pairs and of sessions count each pair once; averages and rates are
taken over people (a pair counts once for each member in the group), so the
same definition reads the same for a whole programme and for a department.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

DAYS_PER_MONTH = 30.4375
STARTED = ("active", "ended")

Value = float | int | None


def gettext_noop(text: str) -> str:
    """Marks a text for the translation catalogue; the page translates it when it shows it."""
    return text


@dataclass(frozen=True)
class Person:
    """One volunteer's enrolment in the programme."""

    participant: int
    role: str  # "mentor" or "mentee"
    status: str  # pending, approved, declined or withdrawn
    cohort: int
    department: str = ""
    direction: str = ""


@dataclass
class Membership:
    """A person's place in one pair (declined pairs are left out), with what happened there.

    ``sessions_held``, ``minutes_held`` and ``sessions_by_month`` are the
    pair's; the rest is this member's own: their check-in answers, the goals
    they are learning towards, and their self-ratings.
    """

    participant: int
    pairing: int
    side: str  # "mentor" or "mentee"
    status: str  # proposed, active or ended
    outcome: str = ""  # completed or ended_early once ended
    stalled: bool = False
    months: float = 0.0  # how long the pair has worked: start to end (or today)
    sessions_held: int = 0
    minutes_held: int = 0
    sessions_by_month: dict[str, tuple[int, int]] = field(default_factory=dict)  # (held, min)
    checkins_due: int = 0  # periodic check-ins whose grace period is over
    checkins_answered: int = 0
    satisfaction_sum: int = 0
    progress_sum: int = 0
    confidence_sum: int = 0
    answers_by_month: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # n, sat, conf
    recommend_yes: int = 0
    recommend_answers: int = 0
    goals: int = 0  # not dropped
    goals_achieved: int = 0
    goals_on_time: int = 0
    ratings: dict[int, tuple[int, int]] = field(default_factory=dict)  # skill: (baseline, final)

    @property
    def started(self) -> bool:
        return self.status in STARTED

    @property
    def ended_early(self) -> bool:
        return self.status == "ended" and self.outcome == "ended_early"


@dataclass
class Group:
    """The people of a programme, a cohort, a department or a direction, and their pairs."""

    people: list[Person]
    memberships: list[Membership]

    @cached_property  # read by most metrics: worked out once per group
    def started(self) -> list[Membership]:
        return [m for m in self.memberships if m.started]

    def pairs(self, condition: Callable[[Membership], bool]) -> dict[int, Membership]:
        """One membership per pair meeting ``condition``, to count each pair once."""
        return {m.pairing: m for m in self.memberships if condition(m)}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # count, average, percent, score (1 to 5), points, hours or per_month
    definition: str
    compute: Callable[[Group], tuple[Value, int]]


METRICS: dict[str, Metric] = {}


def metric(key: str, *, label: str, unit: str, definition: str):
    """Register a metric; its definition is both its docstring and the text on the page."""

    def register(compute: Callable[[Group], tuple[Value, int]]):
        compute.__doc__ = definition
        METRICS[key] = Metric(key, label, unit, definition, compute)
        return compute

    return register


def _ratio(part: float, whole: float, scale: float = 1, digits: int = 1) -> float | None:
    return round(scale * part / whole, digits) if whole else None


def _people(memberships: Iterable[Membership]) -> int:
    return len({m.participant for m in memberships})


# Volunteers and matching.


@metric(
    "volunteers",
    label=gettext_noop("Volunteers"),
    unit="count",
    definition=gettext_noop("Everyone who enrolled, whatever became of their application."),
)
def volunteers(group: Group):
    return len(group.people), len(group.people)


@metric(
    "volunteers_mentors",
    label=gettext_noop("Volunteer mentors"),
    unit="count",
    definition=gettext_noop("Volunteers who enrolled to teach digital skills (the juniors)."),
)
def volunteers_mentors(group: Group):
    count = sum(1 for p in group.people if p.role == "mentor")
    return count, count


@metric(
    "volunteers_mentees",
    label=gettext_noop("Volunteer mentees"),
    unit="count",
    definition=gettext_noop("Volunteers who enrolled to learn digital skills (the seniors)."),
)
def volunteers_mentees(group: Group):
    count = sum(1 for p in group.people if p.role == "mentee")
    return count, count


@metric(
    "approval_rate",
    label=gettext_noop("Approval rate"),
    unit="percent",
    definition=gettext_noop(
        "Applications approved by HR out of those decided (approved or declined); "
        "pending and withdrawn ones are left out."
    ),
)
def approval_rate(group: Group):
    approved = sum(1 for p in group.people if p.status == "approved")
    decided = approved + sum(1 for p in group.people if p.status == "declined")
    return _ratio(approved, decided, 100), decided


def _eligible_and_matched(group: Group) -> tuple[set[int], set[int]]:
    matched = {m.participant for m in group.memberships}
    eligible = {p.participant for p in group.people if p.status == "approved"} | matched
    return eligible, matched


@metric(
    "match_rate",
    label=gettext_noop("Match rate"),
    unit="percent",
    definition=gettext_noop(
        "Eligible volunteers (approved, or already in a pair) who were given a partner and "
        "did not decline; a common target is 7 in 10."
    ),
)
def match_rate(group: Group):
    eligible, matched = _eligible_and_matched(group)
    return _ratio(len(matched), len(eligible), 100), len(eligible)


# Pairs.


def _pair_count(group: Group, condition: Callable[[Membership], bool]):
    pairs = group.pairs(condition)
    return len(pairs), _people(m for m in group.memberships if m.pairing in pairs)


@metric(
    "pairs_intro",
    label=gettext_noop("Pairs at the intro meeting"),
    unit="count",
    definition=gettext_noop("Pairs published by HR that have not both accepted yet."),
)
def pairs_intro(group: Group):
    return _pair_count(group, lambda m: m.status == "proposed")


@metric(
    "pairs_active",
    label=gettext_noop("Active pairs"),
    unit="count",
    definition=gettext_noop("Pairs in which both accepted and that have not ended."),
)
def pairs_active(group: Group):
    return _pair_count(group, lambda m: m.status == "active")


@metric(
    "pairs_stalled",
    label=gettext_noop("Stalled pairs"),
    unit="count",
    definition=gettext_noop(
        "Active pairs with no session held for twice the cadence (since their start if they "
        "never met), or with a check-in unanswered a week after it was due."
    ),
)
def pairs_stalled(group: Group):
    return _pair_count(group, lambda m: m.status == "active" and m.stalled)


@metric(
    "pairs_completed",
    label=gettext_noop("Completed pairs"),
    unit="count",
    definition=gettext_noop("Pairs that went to the end of their programme."),
)
def pairs_completed(group: Group):
    return _pair_count(group, lambda m: m.status == "ended" and not m.ended_early)


@metric(
    "pairs_ended_early",
    label=gettext_noop("Pairs ended early"),
    unit="count",
    definition=gettext_noop("Pairs stopped before the end, by a member or by HR, with a reason."),
)
def pairs_ended_early(group: Group):
    return _pair_count(group, lambda m: m.ended_early)


# Sessions.


@metric(
    "sessions_held",
    label=gettext_noop("Sessions held"),
    unit="count",
    definition=gettext_noop("Sessions logged as held by the pairs that started."),
)
def sessions_held(group: Group):
    pairs = group.pairs(lambda m: m.started)
    return sum(m.sessions_held for m in pairs.values()), _people(group.started)


@metric(
    "hours_held",
    label=gettext_noop("Hours of mentoring"),
    unit="hours",
    definition=gettext_noop("The actual length of the sessions held, added up, in hours."),
)
def hours_held(group: Group):
    pairs = group.pairs(lambda m: m.started)
    return round(sum(m.minutes_held for m in pairs.values()) / 60, 1), _people(group.started)


@metric(
    "sessions_per_pair",
    label=gettext_noop("Sessions per pair"),
    unit="average",
    definition=gettext_noop("Sessions held, on average, by the pairs that started."),
)
def sessions_per_pair(group: Group):
    started = group.started
    return _ratio(sum(m.sessions_held for m in started), len(started), digits=2), _people(started)


@metric(
    "sessions_per_month",
    label=gettext_noop("Sessions per pair per month"),
    unit="per_month",
    definition=gettext_noop(
        "Sessions held divided by the months the pairs have worked (from their start to their "
        "end, or today); compare with the cadence the programme asks for."
    ),
)
def sessions_per_month(group: Group):
    started = [m for m in group.started if m.months > 0]
    months = sum(m.months for m in started)
    return _ratio(sum(m.sessions_held for m in started), months, digits=2), _people(started)


# Goals.


def _goals(group: Group, attribute: str):
    own = [m for m in group.memberships if m.goals]
    reached = sum(getattr(m, attribute) for m in own)
    return _ratio(reached, sum(m.goals for m in own), 100), _people(own)


@metric(
    "goal_completion",
    label=gettext_noop("Goal completion"),
    unit="percent",
    definition=gettext_noop("Goals achieved out of the goals set, dropped ones aside."),
)
def goal_completion(group: Group):
    return _goals(group, "goals_achieved")


@metric(
    "goals_on_time",
    label=gettext_noop("Goals achieved on time"),
    unit="percent",
    definition=gettext_noop(
        "Goals achieved on or before their deadline, out of the goals set, dropped ones aside."
    ),
)
def goals_on_time(group: Group):
    return _goals(group, "goals_on_time")


# Check-ins.


@metric(
    "checkin_response_rate",
    label=gettext_noop("Check-in response rate"),
    unit="percent",
    definition=gettext_noop(
        "Check-ins answered out of the check-ins due, counted once their week of grace is over."
    ),
)
def checkin_response_rate(group: Group):
    due = [m for m in group.memberships if m.checkins_due]
    answered = sum(min(m.checkins_answered, m.checkins_due) for m in due)
    return _ratio(answered, sum(m.checkins_due for m in due), 100), _people(due)


def _average(group: Group, attribute: str):
    answering = [m for m in group.memberships if m.checkins_answered]
    total = sum(getattr(m, attribute) for m in answering)
    count = sum(m.checkins_answered for m in answering)
    return _ratio(total, count, digits=2), _people(answering)


@metric(
    "satisfaction",
    label=gettext_noop("Satisfaction"),
    unit="score",
    definition=gettext_noop(
        "Average of the check-in answers to “How satisfied are you?” (1 to 5)."
    ),
)
def satisfaction(group: Group):
    return _average(group, "satisfaction_sum")


@metric(
    "progress",
    label=gettext_noop("Felt progress"),
    unit="score",
    definition=gettext_noop(
        "Average of the check-in answers on progress towards one's goals (1 to 5)."
    ),
)
def progress(group: Group):
    return _average(group, "progress_sum")


@metric(
    "confidence",
    label=gettext_noop("Confidence in the relationship"),
    unit="score",
    definition=gettext_noop(
        "Average of the check-in answers on trust in the relationship (1 to 5)."
    ),
)
def confidence(group: Group):
    return _average(group, "confidence_sum")


@metric(
    "recommend_rate",
    label=gettext_noop("Would recommend"),
    unit="percent",
    definition=gettext_noop(
        "People who would recommend the programme, out of those who answered the closing "
        "questionnaire."
    ),
)
def recommend_rate(group: Group):
    answering = [m for m in group.memberships if m.recommend_answers]
    yes = sum(m.recommend_yes for m in answering)
    return _ratio(yes, sum(m.recommend_answers for m in answering), 100), _people(answering)


# Skills.


def _uplift(memberships: Iterable[Membership]):
    rated = [m for m in memberships if m.ratings]
    gains = [final - baseline for m in rated for baseline, final in m.ratings.values()]
    return _ratio(sum(gains), len(gains), digits=2), _people(rated)


@metric(
    "skill_uplift",
    label=gettext_noop("Skill uplift"),
    unit="points",
    definition=gettext_noop(
        "Average gain, in points on the 1 to 5 scale, between a person's self-rating of a skill "
        "before the first session and at the end, over every skill rated both times."
    ),
)
def skill_uplift(group: Group):
    return _uplift(group.memberships)


@metric(
    "uplift_mentees",
    label=gettext_noop("Digital uplift of the mentees"),
    unit="points",
    definition=gettext_noop(
        "Skill uplift of the mentees on the digital skills they learned from their mentor."
    ),
)
def uplift_mentees(group: Group):
    return _uplift(m for m in group.memberships if m.side == "mentee")


@metric(
    "uplift_mentors",
    label=gettext_noop("Leadership uplift of the mentors"),
    unit="points",
    definition=gettext_noop(
        "Skill uplift of the mentors on the leadership and business skills their mentee gave back."
    ),
)
def uplift_mentors(group: Group):
    return _uplift(m for m in group.memberships if m.side == "mentor")


@metric(
    "retention",
    label=gettext_noop("Retention"),
    unit="percent",
    definition=gettext_noop(
        "People in a pair that started who are still in it or finished it, rather than "
        "having stopped early."
    ),
)
def retention(group: Group):
    started = group.started
    kept = [m for m in started if not m.ended_early]
    return _ratio(len(kept), len(started), 100), _people(started)


# Whole documents.

FUNNEL = ("volunteers", "eligible", "matched", "started", "completed")


def summarise(group: Group) -> dict:
    """Every metric of the group: {"people", "values": {key: value}, "n": {key: people}}."""
    values, counts = {}, {}
    for key, item in METRICS.items():
        values[key], counts[key] = item.compute(group)
    return {"people": len(group.people), "values": values, "n": counts}


def funnel(group: Group) -> list[dict]:
    """From the volunteers to the people whose pair completed, one step at a time."""
    eligible, matched = _eligible_and_matched(group)
    started = {m.participant for m in group.started}
    completed = {m.participant for m in group.memberships if m.status == "ended"} - {
        m.participant for m in group.memberships if m.ended_early
    }
    steps = (len(group.people), len(eligible), len(matched), len(started), len(completed))
    return [{"step": step, "people": count} for step, count in zip(FUNNEL, steps, strict=True)]


def series(group: Group, months: list[str]) -> dict:
    """Month by month: sessions held and hours, and the check-ins' satisfaction and confidence.

    Each point keeps the number of people behind it ("*_n"): pairs' members
    for sessions, respondents for the answers.
    """
    sessions, minutes, session_people = defaultdict(int), defaultdict(int), defaultdict(set)
    for m in group.pairs(lambda m: m.started).values():
        for month, (held, length) in m.sessions_by_month.items():
            sessions[month] += held
            minutes[month] += length
    for m in group.started:
        for month in m.sessions_by_month:
            session_people[month].add(m.participant)
    answers, sat, conf, respondents = (defaultdict(int) for _ in range(4))
    for m in group.memberships:
        for month, (count, sat_sum, conf_sum) in m.answers_by_month.items():
            answers[month] += count
            sat[month] += sat_sum
            conf[month] += conf_sum
            respondents[month] += 1
    return {
        "months": months,
        "sessions": [sessions[month] for month in months],
        "hours": [round(minutes[month] / 60, 1) for month in months],
        "sessions_n": [len(session_people[month]) for month in months],
        "satisfaction": [_ratio(sat[month], answers[month], digits=2) for month in months],
        "confidence": [_ratio(conf[month], answers[month], digits=2) for month in months],
        "answers_n": [respondents[month] for month in months],
    }


def uplift_by_skill(group: Group) -> list[dict]:
    """Per skill area and side: people rated twice, average baseline, final and gain."""
    cells: dict[tuple[int, str], list[tuple[int, int, int]]] = defaultdict(list)
    for m in group.memberships:
        for skill, (baseline, final) in m.ratings.items():
            cells[(skill, m.side)].append((m.participant, baseline, final))
    rows = []
    for (skill, side), ratings in sorted(cells.items()):
        count = len(ratings)
        rows.append(
            {
                "skill_area": skill,
                "side": side,
                "people": len({participant for participant, _, _ in ratings}),
                "baseline": round(sum(r[1] for r in ratings) / count, 2),
                "final": round(sum(r[2] for r in ratings) / count, 2),
                "uplift": round(sum(r[2] - r[1] for r in ratings) / count, 2),
            }
        )
    return rows


def split(group: Group, key: Callable[[Person], Hashable]) -> dict[Hashable, Group]:
    """The group cut by a property of its people (cohort, department...)."""
    people: dict[Hashable, list[Person]] = defaultdict(list)
    for person in group.people:
        people[key(person)].append(person)
    where = {p.participant: key(p) for p in group.people}
    memberships: dict[Hashable, list[Membership]] = defaultdict(list)
    for m in group.memberships:
        memberships[where[m.participant]].append(m)
    return {name: Group(members, memberships[name]) for name, members in people.items()}
