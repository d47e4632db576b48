import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from accounts.forms import EmployeeImportForm, PersonForm
from accounts.importing import TEMPLATE_ROWS
from accounts.models import EmployeeImport, User
from accounts.permissions import hr_admin_required
from accounts.services import (
    employee_import_apply,
    employee_import_create,
    employee_import_plan,
    user_create,
    user_invite,
)

INVALID = 422  # a form with errors is re-rendered with this status
PEOPLE_PER_PAGE = 50


@require_POST
def language_switch(request):
    """Set the language cookie (Django's view) and remember it on the user."""
    response = set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@hr_admin_required
def people_list(request):
    # PostgreSQL refuses NUL in a query parameter (a 500): a search never needs one.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    people = User.objects.select_related("manager").order_by("last_name", "first_name", "email")
    # Every word must match somewhere, so "léa marketing" finds Léa in Marketing.
    for word in query.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(department__icontains=word)
            | Q(direction__icontains=word)
        )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "people": page.object_list, "query": query}
    # A history restore (the Back button after a search) needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "accounts/_people_table.html" if partial else "accounts/people_list.html"
    return render(request, template, context)


@hr_admin_required
def people_create(request):
    form = PersonForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        person = user_create(user=form.save(commit=False), request=request)
        messages.success(
            request,
            _("%(name)s added; an invitation is on its way to %(email)s.")
            % {"name": person, "email": person.email},
        )
        return redirect("people_list")
    status = INVALID if form.errors else 200
    return render(request, "accounts/person_form.html", {"form": form}, status=status)


@hr_admin_required
def people_edit(request, pk):
    person = get_object_or_404(User, pk=pk)
    # Read before the form is bound: validation writes the posted values on the instance.
    context = {"person": person, "person_name": str(person), "has_logged_in": person.last_login}
    form = PersonForm(request.POST or None, instance=person, by=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("%(name)s saved.") % {"name": person})
        return redirect("people_list")
    status = INVALID if form.errors else 200
    return render(request, "accounts/person_form.html", {**context, "form": form}, status=status)


@require_POST
@hr_admin_required
def people_invite(request, pk):
    person = get_object_or_404(User, pk=pk)
    if person.last_login is not None:
        # The link would only reset their password; the login page offers that.
        messages.info(
            request,
            _(
                "%(name)s has already logged in. If they forgot their password, they can "
                "reset it from the login page."
            )
            % {"name": person},
        )
    else:
        user_invite(user=person, request=request)
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": person.email}
        )
    return redirect("people_edit", pk=person.pk)


@hr_admin_required
def people_import(request):
    if request.method == "POST":
        form = EmployeeImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                employee_import = employee_import_create(
                    uploaded_file=form.cleaned_data["file"], by=request.user
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect(employee_import)
    else:
        form = EmployeeImportForm()
    recent_imports = EmployeeImport.objects.defer("content").select_related("uploaded_by")[:10]
    return render(
        request,
        "accounts/import_upload.html",
        {"form": form, "recent_imports": recent_imports},
        status=INVALID if form.errors else 200,
    )


@hr_admin_required
def people_import_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
    response.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
    csv.writer(response, delimiter=";", lineterminator="\r\n").writerows(TEMPLATE_ROWS)
    return response


@hr_admin_required
def people_import_preview(request, pk):
    employee_import = get_object_or_404(_imports(), pk=pk)
    return render(request, "accounts/import_preview.html", _preview_context(employee_import))


@require_POST
@hr_admin_required
def people_import_confirm(request, pk):
    employee_import = get_object_or_404(_imports(), pk=pk)
    try:
        created, updated = employee_import_apply(
            employee_import=employee_import, by=request.user, request=request
        )
    except ValidationError as error:
        employee_import = get_object_or_404(_imports(), pk=pk)
        context = _preview_context(employee_import, confirm_errors=error.messages)
        return render(request, "accounts/import_preview.html", context, status=409)
    messages.success(
        request,
        _("%(created)s, %(updated)s; %(invited)s.")
        % {
            "created": ngettext("%(count)s person created", "%(count)s people created", created)
            % {"count": created},
            "updated": ngettext("%(count)s updated", "%(count)s updated", updated)
            % {"count": updated},
            "invited": ngettext("%(count)s invitation sent", "%(count)s invitations sent", created)
            % {"count": created},
        },
    )
    return redirect("people_list")


def _imports():
    return EmployeeImport.objects.select_related("uploaded_by", "applied_by")


def _preview_context(employee_import, **extra):
    context = {"employee_import": employee_import, **extra}
    if employee_import.is_applied:
        # What it did is recorded; checking it again would only find it done.
        return context
    plan = employee_import_plan(employee_import=employee_import)
    return {
        **context,
        "plan": plan,
        "updates": [
            {"row": update.row, "changes": [_change_display(c) for c in update.changes]}
            for update in plan.to_update
        ],
    }


def _change_display(change):
    field = User._meta.get_field(change.field)
    choices = dict(field.flatchoices)

    def shown(value):
        return None if value == "" else choices.get(value, value)  # None shows as a dash

    return {"label": field.verbose_name, "old": shown(change.old), "new": shown(change.new)}


@require_GET
@login_required
def email_managed_by_hr(request):
    """Replaces allauth's email management: a sign-in address comes from HR's records.

    With no email verification, letting people add an address and make it
    primary would let anyone change the identity they sign in with.
    """
    return render(request, "accounts/email_managed.html")
