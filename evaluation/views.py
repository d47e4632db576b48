from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import hr_admin_required
from evaluation.forms import AssessmentForm, CheckInForm
from evaluation.models import Assessment, CheckIn
from evaluation.selectors import assessment_skills, checkins_due
from evaluation.services import assessment_submit, checkin_answer
from evaluation.tasks import engagement_snapshot_task
from mentoring.utils import id_param
from pairs.permissions import pairing_for_member
from programmes.models import Programme


@login_required
def checkin_respond(request, pk):
    """The member's oldest unanswered check-in; the number travels with the form.

    Posting a number already answered (a second tab, a double click) is
    refused with 409 and nothing is saved.
    """
    pairing, _side = pairing_for_member(request.user, pk)
    today = timezone.localdate()
    due = checkins_due(pairing, request.user, today)
    if request.method == "POST":
        number = id_param(request.POST.get("number"))
        form = CheckInForm(request.POST)
        if form.is_valid():
            checkin = form.save(commit=False)
            checkin.kind = CheckIn.Kind.PERIODIC
            checkin.number = number
            try:
                checkin_answer(pairing=pairing, by=request.user, checkin=checkin, today=today)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 409 if getattr(error, "code", None) == "answered_twice" else 422
                return _checkin_page(request, pairing, form, number, due, status=status)
            messages.success(request, _("Thank you! Your answers help the programme."))
            return redirect(pairing)
        return _checkin_page(request, pairing, form, number, due, status=422)
    if not due:
        messages.info(request, _("No check-in is due. We will tell you when the next one is."))
        return redirect(pairing)
    return _checkin_page(request, pairing, CheckInForm(), due[0]["number"], due)


def _checkin_page(request, pairing, form, number, due, status=200):
    due_on = next((row["due_on"] for row in due if row["number"] == number), None)
    return render(
        request,
        "evaluation/checkin_form.html",
        {"pairing": pairing, "form": form, "number": number, "due_on": due_on, "closing": False},
        status=status,
    )


@login_required
def closing_respond(request, pk):
    pairing, _side = pairing_for_member(request.user, pk)
    form = CheckInForm(request.POST or None, closing=True)
    if request.method == "POST" and form.is_valid():
        checkin = form.save(commit=False)
        checkin.kind = CheckIn.Kind.CLOSING
        try:
            checkin_answer(pairing=pairing, by=request.user, checkin=checkin)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 409 if getattr(error, "code", None) == "answered_twice" else 422
        else:
            messages.success(request, _("Thank you for your feedback on the whole journey."))
            return redirect(pairing)
    else:
        status = 422 if form.errors else 200
    return render(
        request,
        "evaluation/checkin_form.html",
        {"pairing": pairing, "form": form, "closing": True},
        status=status,
    )


@login_required
def assessment_respond(request, pk, kind):
    if kind not in Assessment.Kind.values:
        raise Http404
    pairing, side = pairing_for_member(request.user, pk)
    state = assessment_skills(pairing, side, timezone.localdate())
    form = AssessmentForm(request.POST or None, skills=state["skills"])
    status = 200
    if kind not in state["open"] and request.method == "GET":
        if kind in state["done"]:
            messages.info(request, _("You have already answered this self-assessment."))
        else:
            messages.info(request, _("This self-assessment is not open now."))
        return redirect(pairing)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                assessment_submit(pairing=pairing, by=request.user, kind=kind, levels=form.levels())
            except ValidationError as error:
                form.add_error(None, error)
                status = 409 if error.code == "twice" else 422
            else:
                messages.success(request, _("Thank you! Your self-assessment is saved."))
                return redirect(pairing)
    return render(
        request,
        "evaluation/assessment_form.html",
        {
            "pairing": pairing,
            "form": form,
            "kind": kind,
            "kind_label": Assessment.Kind(kind).label,
        },
        status=status,
    )


@require_POST
@hr_admin_required
def snapshot_refresh(request, pk):
    """HR asks for fresh engagement figures now rather than tonight."""
    programme = get_object_or_404(Programme, pk=pk)
    transaction.on_commit(lambda: engagement_snapshot_task.delay(programme.pk))
    messages.success(request, _("The figures are being computed; they will be ready shortly."))
    return redirect("programme_pairings", pk=programme.pk)
