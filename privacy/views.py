import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import hr_admin_required
from pairs.models import Pairing
from privacy.forms import AnonymiseForm
from privacy.services import (
    EXPORT_KINDS,
    person_anonymise_check,
    personal_data_archive,
    personal_data_archive_name,
    programme_notes_purge_on,
)
from privacy.services import person_anonymise as person_anonymise_service
from programmes.models import Participant

# An archive bigger than this is written to a temporary file rather than kept in memory.
ARCHIVE_IN_MEMORY = 10 * 1024 * 1024
# What the refusals of person_anonymise_check answer.
REFUSED_STATUS = {"self": 403, "anonymised": 409}


@login_required
def my_data(request):
    """What the platform keeps on the user, for how long, and the button to download it."""
    participations = (
        Participant.objects.filter(user=request.user)
        .select_related("programme")
        .order_by("-programme__starts_on", "programme__name")
    )
    programmes = [
        {"programme": p.programme, "purge_on": programme_notes_purge_on(p.programme)}
        for p in participations
    ]
    return render(
        request, "privacy/my_data.html", {"kinds": EXPORT_KINDS, "programmes": programmes}
    )


@require_POST
@login_required
def my_data_archive(request):
    """A ZIP of the user's data. POST: no link prefetcher or crawler builds one by accident."""
    # Not a with block: FileResponse closes the file once it is sent.
    archive = tempfile.SpooledTemporaryFile(max_size=ARCHIVE_IN_MEMORY)  # noqa: SIM115
    personal_data_archive(user=request.user, out=archive)
    archive.seek(0)
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=personal_data_archive_name(timezone.localdate()),
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@hr_admin_required
def person_anonymise(request, pk):
    person = get_object_or_404(User, pk=pk)
    context = {
        "person": person,
        "person_name": str(person),
        "live_pairings": Pairing.objects.filter(
            Q(mentor__user=person) | Q(mentee__user=person), status__in=Pairing.LIVE
        ).count(),
    }
    try:
        person_anonymise_check(person=person, by=request.user)
    except ValidationError as error:
        context["refusal"] = error.messages[0]
        return render(
            request, "privacy/person_anonymise.html", context, status=REFUSED_STATUS[error.code]
        )

    # Not ``request.POST or None``: an empty post must be told what is missing.
    form = AnonymiseForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_anonymise_service(person=person, by=request.user)
        except ValidationError as error:  # another HR admin was quicker
            context["refusal"] = error.messages[0]
            return render(
                request,
                "privacy/person_anonymise.html",
                context,
                status=REFUSED_STATUS.get(error.code, 409),
            )
        # No name in the message: it would outlive the erasure in the session.
        messages.success(
            request,
            _("The person is anonymised. Their figures stay in the programmes' dashboards."),
        )
        return redirect("people_list")
    return render(
        request,
        "privacy/person_anonymise.html",
        {**context, "form": form},
        status=422 if form.errors else 200,
    )
