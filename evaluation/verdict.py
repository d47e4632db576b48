"""The pilot verdict: each success criterion against its measured value, and a recommendation.

Pure Python. The criteria are set on the programme (``target_*`` fields);
the values come from a cohort's snapshot (``evaluation.formulas``). The rule:

- **scale up** when every criterion is met;
- **stop** when fewer than half are met, or when both satisfaction and
  retention miss their targets (people neither like it nor stay);
- **adjust** otherwise: the pilot works, but not on every count.

A criterion that cannot be measured yet (nobody rated their skills twice,
say) counts as not met, and says so. Before the cohort's end the verdict is
provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# (metric, programme field holding its target), in the order the report shows them.
CRITERIA = (
    ("match_rate", "target_match_rate"),
    ("sessions_per_pair", "target_sessions_per_pair"),
    ("satisfaction", "target_satisfaction"),
    ("goal_completion", "target_goal_completion"),
    ("skill_uplift", "target_skill_uplift"),
    ("retention", "target_retention"),
)

SCALE_UP = "scale_up"
ADJUST = "adjust"
STOP = "stop"


@dataclass(frozen=True)
class Criterion:
    metric: str
    target: float
    value: float | None

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.target

    @property
    def gap(self) -> float | None:
        return None if self.value is None else round(self.value - self.target, 2)


@dataclass(frozen=True)
class Verdict:
    criteria: tuple[Criterion, ...]
    recommendation: str
    provisional: bool

    @property
    def met(self) -> int:
        return sum(1 for criterion in self.criteria if criterion.met)

    @property
    def missed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.measured and not c.met)

    @property
    def unmeasured(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.measured)


def pilot_verdict(values: dict, targets: dict, *, ends_on: date, today: date) -> Verdict:
    """Judge a cohort's figures (``values``) against the programme's ``targets``."""
    criteria = tuple(
        Criterion(metric, float(targets[field]), values.get(metric)) for metric, field in CRITERIA
    )
    met = {c.metric for c in criteria if c.met}
    if len(met) == len(criteria):
        recommendation = SCALE_UP
    elif 2 * len(met) < len(criteria) or not met & {"satisfaction", "retention"}:
        recommendation = STOP
    else:
        recommendation = ADJUST
    return Verdict(criteria, recommendation, provisional=today < ends_on)
