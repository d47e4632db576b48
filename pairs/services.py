"""The first steps of a pair: announcing it, the intro meeting, accepting or declining."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matching.models import PairRule
from pairs.models import Pairing


def _member_side(pairing: Pairing, user) -> str:
    side = pairing.member_role(user)
    if side is None:
        # Not said as "forbidden": to an outsider the pairing does not exist.
        raise Pairing.DoesNotExist
    return side


def pairing_schedule_intro(*, pairing: Pairing, by, when, place: str) -> Pairing:
    """Either member records the informal first meeting they agreed on."""
    _member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("The intro meeting is behind this pair."), code="not_proposed")
    pairing.intro_at = when
    pairing.intro_place = place
    pairing.intro_set_by = by
    pairing.save(update_fields=["intro_at", "intro_place", "intro_set_by"])
    return pairing


@transaction.atomic
def pairing_accept(*, pairing: Pairing, by) -> Pairing:
    """One member says yes after the intro; when both have, the pair is active."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    side = _member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("This pair is no longer waiting for an answer."), code="decided")
    if pairing.intro_at is None:
        raise ValidationError(
            _("Agree on your intro meeting first, then tell us how it went."), code="no_intro"
        )
    now = timezone.now()
    setattr(pairing, f"{side}_accepted_at", now)
    if pairing.mentor_accepted_at and pairing.mentee_accepted_at:
        pairing.status = Pairing.Status.ACTIVE
        pairing.activated_at = now
    pairing.save()
    return pairing


@transaction.atomic
def pairing_decline(*, pairing: Pairing, by, reason: str = "") -> Pairing:
    """One member says no: both go back to the pool, and this pair is never proposed again."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    _member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("This pair is no longer waiting for an answer."), code="decided")
    pairing.status = Pairing.Status.DECLINED
    pairing.declined_by = by
    pairing.declined_at = timezone.now()
    pairing.decline_reason = reason
    pairing.save()
    PairRule.objects.update_or_create(
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        defaults={
            "cohort": pairing.cohort,
            "kind": PairRule.Kind.FORBID,
            "source": PairRule.Source.DECLINED,
            "created_by": by,
        },
    )
    return pairing


def pairing_announce(*, pairing_id: int) -> None:
    """Tell both members who their match is, each in their own language."""
    pairing = Pairing.objects.select_related(
        "mentor__user", "mentee__user", "cohort__programme"
    ).get(pk=pairing_id)
    url = settings.SITE_URL.rstrip("/") + reverse("pairing_detail", args=[pairing.pk])
    for me, partner in (
        (pairing.mentor.user, pairing.mentee.user),
        (pairing.mentee.user, pairing.mentor.user),
    ):
        with translation.override(me.language):
            context = {
                "me": me,
                "partner": partner,
                "programme": pairing.cohort.programme,
                "url": url,
                "as_mentor": me.pk == pairing.mentor.user_id,
            }
            subject = _("[Reverse mentoring] Meet your match: %(name)s") % {
                "name": partner.get_full_name()
            }
            message = EmailMultiAlternatives(
                subject,
                render_to_string("pairs/email/match_published.txt", context),
                to=[me.email],
            )
            message.attach_alternative(
                render_to_string("pairs/email/match_published.html", context), "text/html"
            )
            message.send()
