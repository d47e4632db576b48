from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_read_programmes, hr_admin_required
from matching.models import MatchRun, PairRule
from matching.services import (
    candidates_for,
    match_run_publish,
    match_run_start,
    pair_rule_set,
)
from matching.texts import explain_proposal, explain_unmatched
from mentoring.utils import id_param
from programmes.models import Cohort, Participant, SkillArea


def _latest_run(cohort):
    return cohort.match_runs.order_by("-created_at", "-id").first()


@login_required
def cohort_matching(request, pk):
    """HR's review of a cohort's matching: proposals, unmatched people, locks."""
    if not can_read_programmes(request.user):
        raise PermissionDenied
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    run = _latest_run(cohort)
    skills = SkillArea.objects.in_bulk()
    proposals, unmatched = [], []
    if run and run.status == MatchRun.Status.DONE:
        for proposal in run.proposals.select_related("mentor__user", "mentee__user"):
            proposal.why = explain_proposal(
                proposal.details, proposal.mentor.user, proposal.mentee.user, skills
            )
            proposals.append(proposal)
        for item in run.unmatched.select_related("participant__user"):
            item.why = explain_unmatched(
                item.code, item.params, skills, is_mentor=item.participant.is_mentor
            )
            unmatched.append(item)
    rules = PairRule.objects.filter(cohort=cohort).select_related("mentor__user", "mentee__user")
    approved = cohort.participants.filter(status=Participant.Status.APPROVED).aggregate(
        mentors=Count("pk", filter=Q(role=Participant.Role.MENTOR)),
        mentees=Count("pk", filter=Q(role=Participant.Role.MENTEE)),
    )
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "run": run,
        "proposals": proposals,
        "unmatched": unmatched,
        "rules": rules,
        "can_manage": request.user.is_hr_admin,
        "approved_mentors": approved["mentors"],
        "approved_mentees": approved["mentees"],
        "start_errors": [],
    }
    return render(request, "matching/cohort_matching.html", context)


@require_POST
@hr_admin_required
def match_run_start_view(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    try:
        match_run_start(cohort=cohort, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("cohort_matching", pk=cohort.pk)


@login_required
def match_run_status(request, pk):
    """Polled by HTMX while a run is in progress; reloads the page when it ends."""
    if not can_read_programmes(request.user):
        raise PermissionDenied
    run = get_object_or_404(MatchRun, pk=pk)
    if not run.in_progress:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "matching/_run_progress.html", {"run": run})


@hr_admin_required
def candidates(request, pk, mentee_pk):
    run = get_object_or_404(MatchRun.objects.select_related("cohort__programme"), pk=pk)
    mentee = get_object_or_404(
        run.cohort.participants.select_related("user"), pk=mentee_pk, role=Participant.Role.MENTEE
    )
    ranked = candidates_for(run=run, mentee=mentee)
    return render(
        request,
        "matching/_candidates.html",
        {"run": run, "mentee": mentee, "candidates": ranked[:15]},
    )


@require_POST
@hr_admin_required
def pair_rule_create(request, pk):
    """Lock or forbid a pair; "pick" locks it and runs the matching again."""
    cohort = get_object_or_404(Cohort, pk=pk)
    mentor = get_object_or_404(cohort.participants, pk=id_param(request.POST.get("mentor")))
    mentee = get_object_or_404(cohort.participants, pk=id_param(request.POST.get("mentee")))
    kind = request.POST.get("kind", "")
    try:
        pair_rule_set(cohort=cohort, mentor=mentor, mentee=mentee, kind=kind, by=request.user)
        if request.POST.get("rerun"):
            match_run_start(cohort=cohort, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if kind == PairRule.Kind.LOCK:
            messages.success(
                request,
                _("%(mentor)s and %(mentee)s are locked together.")
                % {"mentor": mentor.user, "mentee": mentee.user},
            )
        else:
            messages.success(
                request,
                _("%(mentor)s and %(mentee)s will not be proposed together.")
                % {"mentor": mentor.user, "mentee": mentee.user},
            )
    return redirect("cohort_matching", pk=cohort.pk)


@require_POST
@hr_admin_required
def pair_rule_delete(request, pk, rule_pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    rule = get_object_or_404(cohort.pair_rules, pk=rule_pk)
    if rule.source == PairRule.Source.DECLINED:
        messages.error(request, _("A pair that declined each other stays apart."))
    else:
        rule.delete()
        messages.success(request, _("Rule removed."))
    return redirect("cohort_matching", pk=cohort.pk)


@require_POST
@hr_admin_required
def match_run_publish_view(request, pk):
    run = get_object_or_404(MatchRun, pk=pk)
    try:
        pairings = match_run_publish(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("cohort_matching", pk=run.cohort_id)
    messages.success(
        request,
        _("%(n)d pairs published: both members of each pair have been told.")
        % {"n": len(pairings)},
    )
    return redirect("cohort_matching", pk=run.cohort_id)
