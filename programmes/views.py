from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import hr_admin_required
from mentoring.utils import id_param
from pairs.permissions import pairings_visible_to
from programmes import selectors
from programmes.forms import (
    CohortForm,
    EnrolmentForm,
    ProgrammeForm,
    SkillAreaForm,
    TrainingModuleForm,
)
from programmes.models import Cohort, Participant, Programme, SkillArea, TrainingModule
from programmes.permissions import (
    can_manage_programmes,
    participation_of,
    programmes_visible_to,
)
from programmes.services import participant_decide as participant_decide_service
from programmes.services import (
    participant_enrol,
    participant_withdraw,
    programme_transition,
    training_mark,
)

INVALID = 422  # a form with errors is re-rendered with this status


@login_required
def home(request):
    programmes = selectors.programme_list(user=request.user)[:6]
    return render(
        request,
        "home.html",
        {
            "programmes": programmes,
            "my_pairings": pairings_visible_to(request.user)
            .filter(Q(mentor__user=request.user) | Q(mentee__user=request.user))
            .exclude(status="declined")[:5],
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
        "participation": participation_of(request.user, programme),
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


@login_required
def enrol(request, pk, role=None):
    """A volunteer chooses a role, then fills their profile; also edits it later."""
    programme = _programme_for(request.user, pk)
    participant = participation_of(request.user, programme)
    if programme.status != Programme.Status.ENROLMENT:
        messages.error(request, _("Enrolment is not open for this programme."))
        return redirect(programme)
    if role is None and participant is not None:
        role = participant.role
    if role is None:
        return render(request, "programmes/enrol_choose.html", {"programme": programme})
    if role not in Participant.Role.values:
        raise Http404
    form = EnrolmentForm(
        request.POST or None, programme=programme, role=role, participant=participant
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant_enrol(programme=programme, user=request.user, role=role, form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you for volunteering! HR will confirm your enrolment.")
                if participant is None
                else _("Your profile is saved."),
            )
            return redirect(programme)
    context = {
        "programme": programme,
        "form": form,
        "role": Participant.Role(role),
        "participant": participant,
    }
    return render(
        request, "programmes/enrol_form.html", context, status=INVALID if form.errors else 200
    )


@require_POST
@login_required
def withdraw(request, pk):
    programme = _programme_for(request.user, pk)
    participant = participation_of(request.user, programme)
    if participant is None:
        raise Http404
    try:
        participant_withdraw(participant=participant, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(programme)
    messages.success(request, _("You have withdrawn from the programme."))
    return redirect(programme)


@hr_admin_required
def participant_list(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    role = request.GET.get("role") or None
    status = request.GET.get("status") or None
    context = {
        "programme": programme,
        "participants": selectors.participant_list(programme=programme, role=role, status=status),
        "module_count": programme.training_modules.count(),
        "role": role,
        "status": status,
        "roles": Participant.Role.choices,
        "statuses": Participant.Status.choices,
    }
    return render(request, "programmes/participant_list.html", context)


@require_POST
@hr_admin_required
def participant_decide(request, pk, participant_pk):
    programme = get_object_or_404(Programme, pk=pk)
    participant = get_object_or_404(
        selectors.participant_list(programme=programme), pk=participant_pk
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponseBadRequest(_("Unknown decision."))
    status = 200
    try:
        participant = participant_decide_service(
            participant=participant, approve=decision == "approve", by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        status = 409
    if not request.htmx:
        return redirect("participant_list", pk=programme.pk)
    return render(
        request,
        "programmes/_participant_row.html",
        {
            "programme": programme,
            "p": participant,
            "module_count": programme.training_modules.count(),
        },
        status=status,
    )


@login_required
def training(request, pk):
    """The mentor training: modules to take, and who has done them."""
    programme = _programme_for(request.user, pk)
    modules = list(programme.training_modules.all())
    can_manage = can_manage_programmes(request.user)
    participant = participation_of(request.user, programme)
    if can_manage and request.GET.get("participant"):
        participant = get_object_or_404(
            programme.participants.select_related("user"), pk=id_param(request.GET["participant"])
        )
    done = (
        set(participant.training_completions.values_list("module_id", flat=True))
        if participant
        else set()
    )
    context = {
        "programme": programme,
        "modules": modules,
        "participant": participant,
        "done": done,
        "can_manage": can_manage,
        "can_mark": participant is not None
        and participant.is_mentor
        and (can_manage or participant.user_id == request.user.pk),
        "form": TrainingModuleForm() if can_manage else None,
    }
    return render(request, "programmes/training.html", context)


@require_POST
@login_required
def training_mark_view(request, pk, module_pk):
    programme = _programme_for(request.user, pk)
    module = get_object_or_404(programme.training_modules, pk=module_pk)
    if can_manage_programmes(request.user) and request.POST.get("participant"):
        participant = get_object_or_404(
            programme.participants, pk=id_param(request.POST["participant"])
        )
    else:
        participant = participation_of(request.user, programme)
        if participant is None:
            raise Http404
    if not participant.is_mentor:
        raise PermissionDenied
    training_mark(
        participant=participant,
        module=module,
        done=request.POST.get("done") == "1",
        by=request.user,
    )
    url = reverse("training", args=[programme.pk])
    if participant.user_id != request.user.pk:
        url += f"?participant={participant.pk}"
    return redirect(url)


@hr_admin_required
def training_module_create(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    return _training_module_form(request, programme, TrainingModule(programme=programme))


@hr_admin_required
def training_module_edit(request, pk, module_pk):
    programme = get_object_or_404(Programme, pk=pk)
    module = get_object_or_404(programme.training_modules, pk=module_pk)
    return _training_module_form(request, programme, module)


def _training_module_form(request, programme, module):
    form = TrainingModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Training module “%(title)s” saved.") % {"title": module})
        return redirect("training", pk=programme.pk)
    return render(
        request,
        "programmes/training_module_form.html",
        {"programme": programme, "form": form, "module": module},
        status=INVALID if form.errors else 200,
    )
