from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_read_programmes, hr_admin_required, is_hr_admin
from evaluation import reports
from evaluation.exports import pairs_export_rows
from evaluation.forms import AssessmentForm, CheckInForm
from evaluation.formulas import METRICS
from evaluation.models import Assessment, CheckIn
from evaluation.selectors import (
    assessment_skills,
    checkins_due,
    dashboard_context,
    latest_snapshot,
    my_progress_context,
    verdict_context,
)
from evaluation.services import assessment_submit, checkin_answer
from evaluation.suppression import dashboard_view
from evaluation.tasks import engagement_snapshot_task
from mentoring.utils import id_param
from pairs.permissions import pairing_for_member
from programmes.models import Cohort, Programme


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
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("programme_pairings", pk=programme.pk)


@hr_admin_required
def programme_dashboard(request, pk):
    """HR's dashboard of a programme, or of one cohort with ?cohort=, read from the snapshots."""
    programme = get_object_or_404(Programme, pk=pk)
    cohort = None
    if "cohort" in request.GET:
        cohort = get_object_or_404(
            Cohort, pk=id_param(request.GET["cohort"]) or 0, programme=programme
        )
    context = dashboard_context(programme, cohort, protect=False)
    return render(request, "evaluation/dashboard.html", context)


@login_required
def programme_overview(request, pk):
    """The managers' (sponsors') dashboard: aggregates only, groups under 5 people hidden."""
    if not can_read_programmes(request.user):
        raise PermissionDenied
    programme = get_object_or_404(Programme, pk=pk)
    context = dashboard_context(programme, None, protect=True)
    return render(request, "evaluation/dashboard.html", context)


@login_required
def my_progress(request):
    """A participant's own progress: their goals, their sessions, their skills before and after."""
    context = my_progress_context(request.user)
    return render(request, "evaluation/my_progress.html", context)


def _cohort_of(pk, cohort_pk) -> Cohort:
    return get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk, programme=pk)


@hr_admin_required
def cohort_verdict(request, pk, cohort_pk):
    """The pilot verdict of a cohort: each success criterion, met or not, and what to do."""
    cohort = _cohort_of(pk, cohort_pk)
    context = verdict_context(cohort, timezone.localdate())
    return render(request, "evaluation/verdict.html", context)


@hr_admin_required
def cohort_verdict_pdf(request, pk, cohort_pk):
    cohort = _cohort_of(pk, cohort_pk)
    context = verdict_context(cohort, timezone.localdate())
    if context["verdict"] is None:
        messages.error(request, _("There are no figures for this cohort yet."))
        return redirect("cohort_verdict", pk=pk, cohort_pk=cohort.pk)
    pdf = reports.verdict_pdf(context)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{cohort.programme.name}-{cohort.name}") or "cohort"
    response["Content-Disposition"] = f'attachment; filename="verdict-{name}.pdf"'
    return response


SPREADSHEET_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _spreadsheet(fmt: str, name: str, sheets: list[tuple]) -> HttpResponse:
    """The sheets as an XLSX workbook, or the first one alone as CSV."""
    if fmt == "csv":
        _title, header, rows = sheets[0]
        content = reports.to_csv(header, rows)
    else:
        content = reports.to_xlsx(sheets)
    response = HttpResponse(content, content_type=SPREADSHEET_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def metrics_export(request, pk, fmt):
    """The programme's figures by cohort, direction and department; managers' as they see them."""
    if fmt not in SPREADSHEET_TYPES:
        raise Http404
    if not can_read_programmes(request.user):
        raise PermissionDenied
    programme = get_object_or_404(Programme, pk=pk)
    snapshot = latest_snapshot(programme)
    view = dashboard_view(
        snapshot.metrics if snapshot else {},
        list(METRICS),
        protect=not is_hr_admin(request.user),
    )
    header, rows = reports.metrics_rows(view, programme.name)
    sheets = [(_("Metrics"), header, rows), (_("Definitions"), *reports.definitions_rows())]
    return _spreadsheet(fmt, f"metrics-{slugify(programme.name) or programme.pk}", sheets)


@hr_admin_required
def pairs_export(request, pk, fmt):
    """One row per pair, with names: for HR only."""
    if fmt not in SPREADSHEET_TYPES:
        raise Http404
    programme = get_object_or_404(Programme, pk=pk)
    header, rows = pairs_export_rows(programme, timezone.localdate())
    sheets = [(_("Pairs"), header, rows)]
    return _spreadsheet(fmt, f"pairs-{slugify(programme.name) or programme.pk}", sheets)
