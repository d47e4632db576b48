import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.texts import explain_proposal
from pairs.forms import DeclineForm, IntroForm
from pairs.models import Pairing
from pairs.permissions import pairings_visible_to
from pairs.services import pairing_accept, pairing_decline, pairing_schedule_intro
from programmes.models import SkillArea


@login_required
def pairing_detail(request, pk):
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pk)
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
        "side": side,
        "partner": pairing.partner_of(request.user) if side else None,
        "why": why,
        "i_accepted": side and getattr(pairing, f"{side}_accepted_at"),
        "intro_form": extra.pop("intro_form", None) or IntroForm(instance=pairing),
        "decline_form": extra.pop("decline_form", None) or DeclineForm(),
        **extra,
    }


def _pairing_to_act_on(request, pk):
    """The pairing, for one of its two members; HR may read it but not act (403)."""
    pairing = get_object_or_404(pairings_visible_to(request.user), pk=pk)
    if pairing.member_role(request.user) is None:
        raise PermissionDenied
    return pairing


@require_POST
@login_required
def pairing_intro(request, pk):
    pairing = _pairing_to_act_on(request, pk)
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
    pairing = _pairing_to_act_on(request, pk)
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
