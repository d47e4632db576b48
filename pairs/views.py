import copy
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import hr_admin_required, is_hr_admin
from evaluation.models import EngagementSnapshot
from matching.texts import explain_proposal
from mentoring.utils import id_param
from pairs.calendar import feed_ics
from pairs.calendar import session_ics as session_ics_bytes
from pairs.forms import (
    CloseForm,
    DeclineForm,
    GoalForm,
    GoalProgressForm,
    IntroForm,
    LearnedForm,
    PrivateNoteForm,
    SessionLogForm,
    SessionPlanForm,
)
from pairs.models import (
    AgendaTemplate,
    CalendarFeed,
    Goal,
    GoalTemplate,
    Pairing,
    PrivateNote,
    Session,
)
from pairs.permissions import (
    goal_updates_visible_to,
    goals_visible_to,
    member_only,
    pairing_for_member,
    pairings_visible_to,
    sessions_visible_to,
)
from pairs.selectors import pairing_page, pairings_follow_up
from pairs.services import (
    calendar_feed_renew,
    pairing_accept,
    pairing_decline,
    pairing_schedule_intro,
    private_note_add,
    session_learned_set,
    session_plan,
    session_reschedule,
)
from pairs.services import goal_create as goal_create_service
from pairs.services import goal_progress as goal_progress_service
from pairs.services import pairing_close as pairing_close_service
from pairs.services import session_log as session_log_service
from programmes.models import Programme, SkillArea


@login_required
def pairing_detail(request, pk):
    # The proposal is left out of the join and read by its key when the page needs it:
    # PostgreSQL spent ~4 ms planning the eight-table query on every view of the page,
    # ~2 ms the seven-table one, and the lookup by key costs ~0.1 ms.
    pairings = pairings_visible_to(request.user).select_related(None)
    pairings = pairings.select_related("mentor__user", "mentee__user", "cohort__programme")
    pairing = get_object_or_404(pairings, pk=pk)
    return render(request, "pairs/pairing_detail.html", _context(request, pairing))


def _context(request, pairing, **extra):
    side = pairing.member_role(request.user)
    why = []
    if pairing.proposal:
        skills = SkillArea.objects.in_bulk()
        why = explain_proposal(
            pairing.proposal.details, pairing.mentor.user, pairing.mentee.user, skills
        )
    return {
        "pairing": pairing,
        "partner": pairing.partner_of(request.user) if side else None,
        "why": why,
        "i_accepted": side and getattr(pairing, f"{side}_accepted_at"),
        "intro_form": extra.pop("intro_form", None) or IntroForm(instance=pairing),
        "decline_form": extra.pop("decline_form", None) or DeclineForm(),
        "note_form": PrivateNoteForm(),
        "today": timezone.localdate(),
        **pairing_page(pairing, request.user, timezone.localdate()),
        **extra,
    }


@require_POST
@login_required
def pairing_intro(request, pk):
    pairing, _side = pairing_for_member(request.user, pk)
    # A copy: validating writes the posted values on the instance, and the page
    # must still show the meeting as it is saved.
    form = IntroForm(request.POST, instance=copy.copy(pairing))
    if form.is_valid():
        try:
            pairing_schedule_intro(
                pairing=pairing,
                by=request.user,
                when=form.cleaned_data["intro_at"],
                place=form.cleaned_data["intro_place"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your intro meeting is noted. Enjoy the coffee!"))
            return redirect("pairing_detail", pk=pairing.pk)
    return render(
        request,
        "pairs/pairing_detail.html",
        _context(request, pairing, intro_form=form),
        status=422,
    )


@require_POST
@login_required
def pairing_answer(request, pk):
    pairing, _side = pairing_for_member(request.user, pk)
    answer = request.POST.get("answer")
    form = DeclineForm(request.POST)
    try:
        if answer == "accept":
            pairing = pairing_accept(pairing=pairing, by=request.user)
            if pairing.status == Pairing.Status.ACTIVE:
                messages.success(request, _("You both said yes: your pair is active!"))
            else:
                messages.success(request, _("Thank you! We are waiting for your partner's answer."))
        elif answer == "decline" and form.is_valid():
            pairing_decline(pairing=pairing, by=request.user, reason=form.cleaned_data["reason"])
            messages.info(
                request,
                _("Thank you for your honesty. You are back in the pool for the next matching."),
            )
        else:
            raise ValidationError(_("Please answer yes or no."))
    except ValidationError as error:
        context = _context(request, pairing, decline_form=form, answer_errors=error.messages)
        return render(request, "pairs/pairing_detail.html", context, status=409)
    return redirect("pairing_detail", pk=pairing.pk)


# Goals ---------------------------------------------------------------------


@login_required
def goal_create(request, pk):
    pairing, side = pairing_for_member(request.user, pk)
    template = None
    if template_id := request.GET.get("template"):
        template = get_object_or_404(GoalTemplate, pk=id_param(template_id))
    if request.method == "POST":
        form = GoalForm(request.POST, pairing=pairing)
        if form.is_valid():
            try:
                goal = form.save(commit=False)
                goal.template = template
                goal_create_service(pairing=pairing, by=request.user, goal=goal)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Goal added. Log your progress as you go."))
                return redirect(pairing)
        status = 422
    else:
        learner = request.GET.get("learner", side)
        initial = {"learner": learner if learner in Goal.Learner.values else side}
        if template:
            initial.update(
                learner=Goal.Learner.MENTOR
                if template.skill_area.category != SkillArea.Category.DIGITAL
                else Goal.Learner.MENTEE,
                skill_area=template.skill_area,
                title=template.label,
                measure=template.measure_label,
                target_value=template.target_value,
                unit=template.unit_label,
                deadline=min(
                    timezone.localdate() + timedelta(weeks=template.weeks),
                    pairing.cohort.programme.ends_on,
                ),
            )
        form = GoalForm(pairing=pairing, initial=initial)
        status = 200
    templates = GoalTemplate.objects.select_related("skill_area").filter(skill_area__is_active=True)
    return render(
        request,
        "pairs/goal_form.html",
        {"pairing": pairing, "form": form, "templates": templates, "template": template},
        status=status,
    )


@login_required
def goal_detail(request, pk):
    goal = get_object_or_404(goals_visible_to(request.user), pk=pk)
    return render(request, "pairs/goal_detail.html", _goal_context(request, goal))


def _goal_context(request, goal, **extra):
    return {
        "goal": goal,
        "pairing": goal.pairing,
        "side": goal.pairing.member_role(request.user),
        "updates": goal.updates.select_related("author", "session"),
        "form": GoalProgressForm(goal=goal),
        **extra,
    }


@require_POST
@login_required
def goal_progress(request, pk):
    goal = get_object_or_404(goals_visible_to(request.user), pk=pk)
    member_only(goal.pairing, request.user)
    form = GoalProgressForm(request.POST, request.FILES, goal=goal)
    if form.is_valid():
        data = form.cleaned_data
        try:
            goal_progress_service(
                goal=goal,
                by=request.user,
                value=data["value"],
                status=data["status"] or None,
                note=data["note"],
                link=data["link"],
                file=data["file"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Progress saved."))
            return redirect(goal)
    return render(
        request, "pairs/goal_detail.html", _goal_context(request, goal, form=form), status=422
    )


@login_required
def goal_edit(request, pk):
    goal = get_object_or_404(goals_visible_to(request.user), pk=pk)
    member_only(goal.pairing, request.user)
    if goal.pairing.status != Pairing.Status.ACTIVE:
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal, pairing=goal.pairing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Goal updated."))
        return redirect(goal)
    return render(
        request,
        "pairs/goal_form.html",
        {"pairing": goal.pairing, "form": form, "goal": goal},
        status=422 if form.errors else 200,
    )


@login_required
def goal_evidence(request, pk):
    """An evidence file, for the pair and HR only; always downloaded, never rendered inline."""
    update = get_object_or_404(goal_updates_visible_to(request.user).exclude(file=""), pk=pk)
    response = FileResponse(
        update.file.open("rb"),
        as_attachment=True,
        filename=update.file_name or "evidence",
        content_type=update.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Sessions ------------------------------------------------------------------


@login_required
def session_list(request, pk):
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pk)
    sessions = pairing.sessions.prefetch_related("topics")
    return render(
        request,
        "pairs/session_list.html",
        {
            "pairing": pairing,
            "side": pairing.member_role(request.user),
            "sessions": sessions,
            "now": timezone.now(),
        },
    )


def _agenda_templates(pairing):
    """Agenda templates for the skill areas the pair works on, then the general ones."""
    areas = pairing.cohort.programme.skill_areas.all()
    return AgendaTemplate.objects.filter(
        Q(skill_area__in=areas) | Q(skill_area__isnull=True)
    ).select_related("skill_area")


def _apply_agenda_template(request, initial: dict) -> AgendaTemplate | None:
    if template_id := request.GET.get("template"):
        template = get_object_or_404(AgendaTemplate, pk=id_param(template_id))
        initial.update(agenda=template.agenda_label, planned_minutes=template.minutes)
        return template
    return None


@login_required
def session_create(request, pk):
    pairing, side = pairing_for_member(request.user, pk)
    programme = pairing.cohort.programme
    initial = {"planned_minutes": programme.session_minutes}
    template = _apply_agenda_template(request, initial)
    if request.method == "POST":
        form = SessionPlanForm(request.POST)
        if form.is_valid():
            session = form.save(commit=False)
            session.agenda_template = template
            try:
                session_plan(pairing=pairing, by=request.user, session=session)
            except ValidationError as error:
                form.add_error("starts_at" if error.code != "not_active" else None, error)
            else:
                messages.success(request, _("Session planned. Add it to your calendar."))
                return redirect(session)
    else:
        form = SessionPlanForm(initial=initial)
    return render(
        request,
        "pairs/session_form.html",
        {
            "pairing": pairing,
            "side": side,
            "form": form,
            "templates": _agenda_templates(pairing),
            "template": template,
        },
        status=422 if form.errors else 200,
    )


@login_required
def session_edit(request, pk):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    side = member_only(session.pairing, request.user)
    if session.status != Session.Status.PLANNED:
        messages.info(request, _("Only a planned session can be changed."))
        return redirect(session)
    initial = {}
    template = _apply_agenda_template(request, initial)
    original = copy.copy(session)
    if request.method == "POST":
        form = SessionPlanForm(request.POST, instance=session)
        if form.is_valid():
            if template:
                session.agenda_template = template
            try:
                session_reschedule(
                    session=session,
                    by=request.user,
                    fields=[*form.changed_data, "agenda_template"],
                )
            except ValidationError as error:
                form.add_error("starts_at" if error.code != "not_active" else None, error)
            else:
                messages.success(request, _("Session updated."))
                return redirect(session)
    else:
        form = SessionPlanForm(instance=session, initial=initial)
    return render(
        request,
        "pairs/session_form.html",
        {
            "pairing": session.pairing,
            "side": side,
            "session": original,
            "form": form,
            "templates": _agenda_templates(session.pairing),
            "template": template,
        },
        status=422 if form.errors else 200,
    )


@login_required
def session_detail(request, pk):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    return render(request, "pairs/session_detail.html", _session_context(request, session))


def _session_context(request, session, **extra):
    side = session.pairing.member_role(request.user)
    notes = []
    if side:
        notes = PrivateNote.objects.filter(session=session, author=request.user)
    return {
        "session": session,
        "pairing": session.pairing,
        "side": side,
        "topics": session.topics.all(),
        "goal_updates": session.goal_updates.select_related("goal"),
        "notes": notes,
        "note_form": PrivateNoteForm(),
        "learned_form": LearnedForm(
            initial={"learned": getattr(session, f"{side}_learned", "") if side else ""}
        ),
        "can_log": side
        and session.status == Session.Status.PLANNED
        and session.pairing.status == Pairing.Status.ACTIVE,
        **extra,
    }


@login_required
def session_log(request, pk=None, pairing_pk=None):
    """Log a planned session (pk), or one that was never planned (pairing_pk)."""
    if pk is not None:
        session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
        pairing = session.pairing
        side = member_only(pairing, request.user)
        if session.status != Session.Status.PLANNED:
            messages.info(request, _("This session is already logged."))
            return redirect(session)
    else:
        pairing, side = pairing_for_member(request.user, pairing_pk)
        session = Session(pairing=pairing, format=Session.Format.REMOTE)
    original = copy.copy(session)
    goals = pairing.goals.filter(status__in=Goal.OPEN)
    topics = pairing.cohort.programme.skill_areas.all()
    initial = {"held_minutes": session.planned_minutes or pairing.cohort.programme.session_minutes}
    if not session.pk:
        initial["starts_at"] = timezone.localtime().replace(second=0, microsecond=0)
    form = SessionLogForm(
        request.POST or None, instance=session, goals=goals, topics=topics, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = session_log_service(
                session=form.save(commit=False),
                by=request.user,
                held=data["outcome"] == SessionLogForm.HELD,
                learned=data["learned"],
                topics=data["topics"],
                goal_values=form.goal_values(),
            )
        except ValidationError as error:
            field = "starts_at" if error.code in ("held_in_future", "before_start") else None
            if field is None and error.code == "no_duration":
                field = "held_minutes"
            form.add_error(field, error)
        else:
            if session.status == Session.Status.HELD:
                messages.success(request, _("Session logged. Well done, both of you!"))
            else:
                messages.info(request, _("Session marked as cancelled. Plan the next one soon."))
            return redirect(session)
    return render(
        request,
        "pairs/session_log.html",
        {"pairing": pairing, "side": side, "session": original, "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def session_learned(request, pk):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    member_only(session.pairing, request.user)
    form = LearnedForm(request.POST)
    if form.is_valid():
        try:
            session_learned_set(
                session=session, by=request.user, learned=form.cleaned_data["learned"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Your partner can read it too."))
            return redirect(session)
    context = _session_context(request, session, learned_form=form)
    return render(request, "pairs/session_detail.html", context, status=422)


@login_required
def session_ics(request, pk):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    response = HttpResponse(session_ics_bytes(session, request.user), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


# Private notes ---------------------------------------------------------------


@require_POST
@login_required
def private_note_create(request, pk):
    pairing, _side = pairing_for_member(request.user, pk)
    session = None
    if session_id := request.POST.get("session"):
        session = get_object_or_404(pairing.sessions, pk=id_param(session_id))
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        private_note_add(
            pairing=pairing, by=request.user, body=form.cleaned_data["body"], session=session
        )
        messages.success(request, _("Note saved. Only you can read it."))
    else:
        messages.error(request, " ".join(form.errors["body"]))
    return redirect(session or pairing)


@require_POST
@login_required
def private_note_delete(request, pk):
    # Another person's note does not exist for this user, whoever they are.
    note = get_object_or_404(PrivateNote.objects.filter(author=request.user), pk=pk)
    target = note.session or note.pairing
    note.delete()
    messages.success(request, _("Note deleted."))
    return redirect(target)


# Closing -----------------------------------------------------------------------


@login_required
def pairing_close(request, pk):
    """Either member, or HR, ends an active pair."""
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pk)
    if pairing.member_role(request.user) is None and not is_hr_admin(request.user):
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pairing_close_service(
                pairing=pairing,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pair is closed. Thank you for the journey!"))
            return redirect(pairing)
    if pairing.status != Pairing.Status.ACTIVE and not form.errors:
        messages.info(request, _("Only an active pair can be closed."))
        return redirect(pairing)
    return render(
        request,
        "pairs/pairing_close.html",
        {"pairing": pairing, "form": form},
        status=422 if form.errors else 200,
    )


# Calendar ------------------------------------------------------------------------


@login_required
def calendar_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = None
    if feed:
        url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
    return render(request, "pairs/calendar.html", {"feed": feed, "feed_url": url})


@require_POST
@login_required
def calendar_renew(request):
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    calendar_feed_renew(user=request.user)
    if had_feed:
        messages.success(
            request, _("New address created. The old one no longer works: update your calendar.")
        )
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("calendar_settings")


def calendar_feed(request, token):
    """The user's sessions for calendar apps, which cannot log in: the token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    sessions = (
        Session.objects.filter(Q(pairing__mentor__user=user) | Q(pairing__mentee__user=user))
        .filter(starts_at__gte=timezone.now() - timedelta(days=365))
        .select_related("pairing__mentor__user", "pairing__mentee__user")
        .order_by("starts_at")
    )
    with translation.override(user.language):
        body = feed_ics(sessions, user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# HR follow-up ------------------------------------------------------------------------


@hr_admin_required
def programme_pairings(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    pairings = Pairing.objects.filter(cohort__programme=programme).exclude(
        status=Pairing.Status.DECLINED
    )
    rows = pairings_follow_up(
        pairings.order_by("cohort__starts_on", "created_at"), timezone.localdate()
    )
    if request.GET.get("stalled"):
        rows = [row for row in rows if row.stalled]
    return render(
        request,
        "pairs/programme_pairings.html",
        {
            "programme": programme,
            "rows": rows,
            "only_stalled": bool(request.GET.get("stalled")),
            "snapshot": EngagementSnapshot.objects.filter(programme=programme, cohort=None).first(),
        },
    )
