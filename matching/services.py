"""Running the matching engine over a cohort, HR's locks and forbids, publishing."""

import logging
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from matching.explain import unmatched_reasons
from matching.models import MatchRun, PairRule, Proposal, Unmatched
from matching.score import Block, Person, Rules, Weights, pair_details, score, score_pair
from matching.solve import solve
from pairs.models import Pairing
from programmes.models import Cohort, Participant
from programmes.selectors import trained_mentor_ids

logger = logging.getLogger(__name__)


class Pool:
    """Who can be matched in a cohort right now, as the engine sees them."""

    def __init__(self, cohort: Cohort):
        self.cohort = cohort
        programme = cohort.programme
        approved = (
            Participant.objects.filter(cohort=cohort, status=Participant.Status.APPROVED)
            .select_related("user")
            .prefetch_related("skills")
        )
        live = Pairing.objects.filter(cohort=cohort, status__in=Pairing.LIVE)
        paired_mentees = set(live.values_list("mentee_id", flat=True))
        used = dict(live.values("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n"))
        participants = list(approved)
        # Mentors at capacity stay out; so do mentees already in a pair.
        self.mentors = [
            p
            for p in participants
            if p.role == Participant.Role.MENTOR and used.get(p.pk, 0) < p.capacity
        ]
        self.mentees = [
            p
            for p in participants
            if p.role == Participant.Role.MENTEE and p.pk not in paired_mentees
        ]
        self.capacity_used = [used.get(p.pk, 0) for p in self.mentors]
        self.weights = Weights(
            teach=programme.weight_teach,
            give_back=programme.weight_give_back,
            availability=programme.weight_availability,
            format=programme.weight_format,
            language=programme.weight_language,
        )
        rules = PairRule.objects.filter(cohort=cohort)
        self.rules = Rules(
            min_seniority_gap=programme.min_seniority_gap,
            training_required=programme.mentor_training_required,
            forbidden=frozenset(
                rules.filter(kind=PairRule.Kind.FORBID).values_list("mentor_id", "mentee_id")
            ),
        )
        self.locks = list(
            rules.filter(kind=PairRule.Kind.LOCK).values_list("mentor_id", "mentee_id")
        )
        trained = trained_mentor_ids(programme=programme)
        chains = _manager_chains()
        self.mentor_people = [_person(p, chains, p.pk in trained) for p in self.mentors]
        self.mentee_people = [_person(p, chains, True) for p in self.mentees]

    def settings_used(self) -> dict:
        return {
            "weights": vars(self.weights),
            "min_seniority_gap": self.rules.min_seniority_gap,
            "training_required": self.rules.training_required,
        }


def _manager_chains() -> dict[int, frozenset[int]]:
    """Every user's chain of managers, from one query over the reporting lines."""
    manager_of = dict(User.objects.values_list("id", "manager_id"))
    chains: dict[int, frozenset[int]] = {}
    for user_id in manager_of:
        chain, seen, node = [], {user_id}, manager_of.get(user_id)
        while node is not None and node not in seen:
            chain.append(node)
            seen.add(node)
            node = manager_of.get(node)
        chains[user_id] = frozenset(chain)
    return chains


def _person(participant: Participant, chains, trained: bool) -> Person:
    skills = participant.skills.all()
    return Person(
        id=participant.pk,
        user_id=participant.user_id,
        seniority=participant.user.seniority_years,
        manager_chain=chains.get(participant.user_id, frozenset()),
        offers={s.skill_area_id: s.level for s in skills if s.direction == "offer"},
        seeks={s.skill_area_id: s.level for s in skills if s.direction == "seek"},
        availability=participant.availability,
        format=participant.format,
        languages=frozenset(participant.languages),
        preferred_language=participant.user.language,
        capacity=participant.capacity,
        trained=trained,
    )


def match_run_start(*, cohort: Cohort, by) -> MatchRun:
    """Queue a matching run for the cohort; the worker does the work.

    Refused when nobody can be matched, or while another run is in progress.
    """
    approved = Participant.objects.filter(cohort=cohort, status=Participant.Status.APPROVED)
    roles = set(approved.values_list("role", flat=True))
    if roles != {Participant.Role.MENTOR, Participant.Role.MENTEE}:
        raise ValidationError(
            _("Nobody to match yet: approve at least one mentor and one mentee in this cohort."),
            code="empty",
        )
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(cohort=cohort, started_by=by)
    except IntegrityError:
        raise ValidationError(
            _("A matching run is already in progress for this cohort."), code="in_progress"
        ) from None
    from matching.tasks import match_run_execute_task

    transaction.on_commit(lambda: match_run_execute_task.delay(run.pk))
    return run


def _progress(run: MatchRun, percent: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(progress=percent)


def match_run_execute(*, run_id: int) -> None:
    """Load the cohort, score every pair, solve, and store proposals with reasons.

    Safe to call twice: only a queued run is claimed, by an atomic update.
    """
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return
    run = MatchRun.objects.select_related("cohort__programme").get(pk=run_id)
    try:
        _execute(run)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )


def _execute(run: MatchRun) -> None:
    clock = time.perf_counter()
    timings = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 4)
        clock = now

    pool = Pool(run.cohort)
    lap("load_s")
    _progress(run, 20)
    matrix = score(pool.mentor_people, pool.mentee_people, pool.weights, pool.rules)
    lap("score_s")
    _progress(run, 50)
    mentor_index = {p.pk: i for i, p in enumerate(pool.mentors)}
    mentee_index = {p.pk: i for i, p in enumerate(pool.mentees)}
    locked = [
        (mentee_index[mentee], mentor_index[mentor])
        for mentor, mentee in pool.locks
        if mentor in mentor_index and mentee in mentee_index
    ]
    assignment = solve(matrix, locked=locked, capacity_used=pool.capacity_used)
    lap("solve_s")
    _progress(run, 80)
    mentee_reasons, mentor_reasons = unmatched_reasons(matrix, assignment)
    lap("reasons_s")
    locked_set = set(locked)
    proposals = []
    for i, j in assignment.pairs:
        mentor, mentee = pool.mentor_people[j], pool.mentee_people[i]
        proposals.append(
            Proposal(
                run=run,
                mentor=pool.mentors[j],
                mentee=pool.mentees[i],
                total=float(matrix.total[i, j]),
                details=pair_details(mentor, mentee),
                locked=(i, j) in locked_set,
                **{name: float(matrix.parts[name][i, j]) for name in matrix.parts},
            )
        )
    unmatched = [
        Unmatched(run=run, participant=pool.mentees[i], code=r.code, params=r.params)
        for i, r in mentee_reasons.items()
    ] + [
        Unmatched(run=run, participant=pool.mentors[j], code=r.code, params=r.params)
        for j, r in mentor_reasons.items()
    ]
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals, batch_size=1000)
        Unmatched.objects.bulk_create(unmatched, batch_size=1000)
        run.status = MatchRun.Status.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.total_score = assignment.total
        run.n_mentors = len(pool.mentors)
        run.n_mentees = len(pool.mentees)
        lap("store_s")
        run.settings_used = {**pool.settings_used(), "timings": timings}
        run.save()


def candidates_for(*, run: MatchRun, mentee: Participant) -> list[dict]:
    """Every mentor of the cohort ranked for this mentee, allowed ones first."""
    pool = Pool(run.cohort)
    mentee_person = next((p for p in pool.mentee_people if p.id == mentee.pk), None)
    if mentee_person is None:
        return []
    taken = dict(run.proposals.values_list("mentor_id", "mentee_id"))
    ranked = []
    for participant, person in zip(pool.mentors, pool.mentor_people, strict=True):
        total, parts, blocks = score_pair(person, mentee_person, pool.weights, pool.rules)
        ranked.append(
            {
                "mentor": participant,
                "total": total,
                "parts": parts,
                "blocks": [b.name for b in Block if b & blocks],
                "current": taken.get(participant.pk) == mentee.pk,
            }
        )
    ranked.sort(key=lambda c: (bool(c["blocks"]), -c["total"], c["mentor"].user.last_name))
    return ranked


@transaction.atomic
def pair_rule_set(*, cohort: Cohort, mentor: Participant, mentee: Participant, kind: str, by):
    """Lock a pair into every later run, or forbid it. A lock replaces the mentee's old lock."""
    if kind not in PairRule.Kind.values:
        raise ValidationError(_("Unknown rule."), code="unknown")
    if (
        mentor.cohort_id != cohort.pk
        or mentee.cohort_id != cohort.pk
        or mentor.role != Participant.Role.MENTOR
        or mentee.role != Participant.Role.MENTEE
    ):
        raise ValidationError(_("These two are not a mentor and a mentee of this cohort."))
    if kind == PairRule.Kind.LOCK:
        pool = Pool(cohort)
        people = {p.id: p for p in pool.mentor_people + pool.mentee_people}
        if mentor.pk not in people or mentee.pk not in people:
            raise ValidationError(_("Only approved volunteers without a pair can be locked."))
        _total, _parts, blocks = score_pair(
            people[mentor.pk], people[mentee.pk], pool.weights, pool.rules
        )
        if blocks:
            raise ValidationError(
                _("This pair breaks a rule: %(rules)s.")
                % {"rules": ", ".join(str(BLOCK_LABELS[b]) for b in Block if b & blocks)},
                code="blocked",
            )
        PairRule.objects.filter(mentee=mentee, kind=PairRule.Kind.LOCK).exclude(
            mentor=mentor
        ).delete()
        locks = PairRule.objects.filter(mentor=mentor, kind=PairRule.Kind.LOCK).exclude(
            mentee=mentee
        )
        used = Pairing.objects.filter(mentor=mentor, status__in=Pairing.LIVE).count()
        if locks.count() + used + 1 > mentor.capacity:
            raise ValidationError(
                _("%(name)s cannot take another mentee.") % {"name": mentor.user},
                code="capacity",
            )
    rule, _created = PairRule.objects.update_or_create(
        mentor=mentor,
        mentee=mentee,
        defaults={"cohort": cohort, "kind": kind, "source": PairRule.Source.HR, "created_by": by},
    )
    return rule


@transaction.atomic
def match_run_publish(*, run: MatchRun, by) -> list[Pairing]:
    """Turn a run's proposals into pairings and tell both people. Once only."""
    run = MatchRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)
    if run.published_at:
        raise ValidationError(_("This matching has already been published."), code="published")
    if run.status != MatchRun.Status.DONE:
        raise ValidationError(_("Only a finished run can be published."), code="not_done")
    latest = MatchRun.objects.filter(cohort=run.cohort).order_by("-created_at", "-id").first()
    if latest.pk != run.pk:
        raise ValidationError(_("A newer run exists: publish that one."), code="stale")
    proposals = list(run.proposals.select_related("mentor", "mentee"))
    if not proposals:
        raise ValidationError(_("This run proposes no pair."), code="empty")
    live = Pairing.objects.filter(cohort=run.cohort, status__in=Pairing.LIVE)
    if live.filter(mentee__in=[p.mentee for p in proposals]).exists():
        raise ValidationError(
            _("Someone in this run has been paired since: run the matching again."),
            code="stale",
        )
    pairings = Pairing.objects.bulk_create(
        Pairing(cohort=run.cohort, mentor=p.mentor, mentee=p.mentee, proposal=p) for p in proposals
    )
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["published_at", "published_by"])
    from notifications.planning import plan_match_published
    from notifications.services import notifications_enqueue

    # Through the outbox: both members hear of their match once, after the commit.
    notifications_enqueue([due for pairing in pairings for due in plan_match_published(pairing)])
    return pairings


BLOCK_LABELS = {
    Block.SAME_PERSON: gettext_lazy("same person"),
    Block.REPORTING_LINE: gettext_lazy("reporting line"),
    Block.SENIORITY_GAP: gettext_lazy("seniority gap too small"),
    Block.UNTRAINED: gettext_lazy("mentor training not finished"),
    Block.FORBIDDEN: gettext_lazy("pair forbidden or declined before"),
    Block.NO_SHARED_LANGUAGE: gettext_lazy("no shared language"),
    Block.NOTHING_TO_TEACH: gettext_lazy("the mentor teaches nothing the mentee seeks"),
}
