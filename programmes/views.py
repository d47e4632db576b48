from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import hr_admin_required
from programmes import selectors
from programmes.forms import CohortForm, ProgrammeForm, SkillAreaForm
from programmes.models import Cohort, Programme, SkillArea
from programmes.permissions import can_manage_programmes, programmes_visible_to
from programmes.services import programme_transition

INVALID = 422  # a form with errors is re-rendered with this status


@login_required
def home(request):
    programmes = selectors.programme_list(user=request.user)[:6]
    return render(
        request,
        "home.html",
        {
            "programmes": programmes,
            "status_counts": selectors.programme_status_counts(user=request.user)
            if can_manage_programmes(request.user)
            else None,
        },
    )


@login_required
def programme_list(request):
    status = request.GET.get("status") or None
    context = {
        "programmes": selectors.programme_list(user=request.user, status=status),
        "status": status if status in Programme.Status.values else None,
        "statuses": Programme.Status.choices,
        "can_manage": can_manage_programmes(request.user),
    }
    template = (
        "programmes/_programme_table.html" if request.htmx else "programmes/programme_list.html"
    )
    return render(request, template, context)


def _programme_for(user, pk):
    """The programme if this user may see it; 404 if not, as if it did not exist."""
    return get_object_or_404(
        programmes_visible_to(user).prefetch_related(
            Prefetch("skill_areas", queryset=SkillArea.objects.order_by("category", "name")),
            "cohorts",
        ),
        pk=pk,
    )


@login_required
def programme_detail(request, pk):
    programme = _programme_for(request.user, pk)
    return render(request, "programmes/programme_detail.html", _detail_context(request, programme))


def _detail_context(request, programme, **extra):
    return {
        "programme": programme,
        "can_manage": can_manage_programmes(request.user),
        "transitions": [Programme.Status(s) for s in programme.allowed_transitions],
        **extra,
    }


@hr_admin_required
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        programme = form.save()
        messages.success(request, _("Programme “%(name)s” created.") % {"name": programme})
        return redirect(programme)
    status = INVALID if form.errors else 200
    return render(request, "programmes/programme_form.html", {"form": form}, status=status)


@hr_admin_required
def programme_edit(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    if not programme.is_editable:
        messages.error(request, _("A closed programme can no longer be changed."))
        return redirect(programme)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Programme “%(name)s” saved.") % {"name": programme})
        return redirect(programme)
    status = INVALID if form.errors else 200
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme},
        status=status,
    )


@require_POST
@hr_admin_required
def programme_transition_view(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    try:
        programme = programme_transition(
            programme=programme, to=request.POST.get("to", ""), by=request.user
        )
    except ValidationError as error:
        programme = _programme_for(request.user, pk)
        context = _detail_context(request, programme, transition_errors=error.messages)
        return render(request, "programmes/programme_detail.html", context, status=409)
    messages.success(
        request,
        _("The programme is now “%(status)s”.") % {"status": programme.get_status_display()},
    )
    return redirect(programme)


@hr_admin_required
def cohort_create(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    return _cohort_form(request, programme, Cohort())


@hr_admin_required
def cohort_edit(request, pk, cohort_pk):
    programme = get_object_or_404(Programme, pk=pk)
    cohort = get_object_or_404(programme.cohorts, pk=cohort_pk)
    return _cohort_form(request, programme, cohort)


def _cohort_form(request, programme, cohort):
    """Create or edit a cohort: inline on the programme page with HTMX, or as a page."""
    form = CohortForm(request.POST or None, instance=cohort, programme=programme)
    if request.method == "POST" and form.is_valid():
        creating = cohort.pk is None
        cohort = form.save()
        if creating:
            messages.success(request, _("Cohort “%(name)s” added.") % {"name": cohort})
        else:
            messages.success(request, _("Cohort “%(name)s” saved.") % {"name": cohort})
        if request.htmx:
            return render(
                request,
                "programmes/_cohorts.html",
                {"programme": programme, "cohorts": programme.cohorts.all(), "can_manage": True},
            )
        return redirect(programme)
    status = INVALID if form.errors else 200
    context = {
        "programme": programme,
        "cohorts": programme.cohorts.all(),
        "cohort": cohort,
        "form": form,
        "can_manage": True,
    }
    template = "programmes/_cohorts.html" if request.htmx else "programmes/cohort_form.html"
    return render(request, template, context, status=status)


@hr_admin_required
def skill_area_list(request):
    return render(
        request,
        "programmes/skill_area_list.html",
        {"skill_areas": selectors.skill_area_list(), "form": SkillAreaForm()},
    )


@hr_admin_required
def skill_area_create(request):
    form = SkillAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        skill_area = form.save()
        messages.success(request, _("Skill area “%(name)s” added.") % {"name": skill_area})
        return redirect("skill_area_list")
    status = INVALID if form.errors else 200
    return render(request, "programmes/skill_area_form.html", {"form": form}, status=status)


@hr_admin_required
def skill_area_edit(request, pk):
    skill_area = get_object_or_404(selectors.skill_area_list(), pk=pk)
    form = SkillAreaForm(request.POST or None, instance=skill_area)
    if request.method == "POST" and form.is_valid():
        skill_area = form.save()
        if request.htmx:
            return render(request, "programmes/_skill_area_item.html", {"area": skill_area})
        messages.success(request, _("Skill area “%(name)s” saved.") % {"name": skill_area})
        return redirect("skill_area_list")
    status = INVALID if form.errors else 200
    if request.htmx and request.GET.get("cancel"):
        return render(request, "programmes/_skill_area_item.html", {"area": skill_area})
    template = (
        "programmes/_skill_area_item_form.html"
        if request.htmx
        else "programmes/skill_area_form.html"
    )
    return render(request, template, {"form": form, "area": skill_area}, status=status)
