"""Writes on people: the CSV import, adding a person, invitations."""

from functools import partial

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.importing import (
    ExistingPerson,
    ImportPlan,
    UnreadableFile,
    decode_upload,
    parse_employees,
)
from accounts.models import EmployeeImport, User

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
BATCH_SIZE = 500


def user_invite(*, user: User, request) -> None:
    """Email ``user`` a link to set their password, from the HR admin behind ``request``.

    The link is allauth's password-reset link: it works once, until the person
    sets a password, and expires after ``PASSWORD_RESET_TIMEOUT``.
    """
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "inviter_name": request.user.get_full_name() or request.user.email,
        "password_set_url": request.build_absolute_uri(path),
        "login_url": request.build_absolute_uri(reverse("account_login")),
        "expiry_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
    }
    # allauth finds the request in a context variable that its middleware sets
    # for the length of a request; an on-commit hook may run after that.
    with allauth_context.request_context(request):
        get_adapter(request).send_mail("account/email/invitation", user.email, context)


def _invite_on_commit(*, user: User, request) -> None:
    # robust: one address the mail server refuses must not stop the others.
    transaction.on_commit(partial(user_invite, user=user, request=request), robust=True)


@transaction.atomic
def user_create(*, user: User, request) -> User:
    """Save a person HR added by hand (already validated), and invite them once saved."""
    user.set_unusable_password()
    user.save()
    _invite_on_commit(user=user, request=request)
    return user


def employee_import_create(*, uploaded_file, by: User) -> EmployeeImport:
    """Keep an uploaded CSV file as text, once it is known to be small, text and UTF-8.

    Raises ValidationError with a message for HR otherwise. The people in the
    file are checked on the preview; nothing changes on the platform yet.
    """
    too_big = ValidationError(
        _("The file is larger than %(size)s MB. Split it into several files.")
        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="too_big",
    )
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise too_big
    uploaded_file.seek(0)
    raw = uploaded_file.read(MAX_UPLOAD_BYTES + 1)  # never more than the limit
    if len(raw) > MAX_UPLOAD_BYTES:
        raise too_big
    try:
        text = decode_upload(raw)
    except UnreadableFile as error:
        raise ValidationError(str(error), code=error.code) from None
    return EmployeeImport.objects.create(
        uploaded_by=by,
        filename=(uploaded_file.name or "")[-255:],
        content=text,
    )


def employee_import_plan(*, employee_import: EmployeeImport) -> ImportPlan:
    """What applying this import would do to the people on the platform now."""
    return parse_employees(employee_import.content, _existing_people())


def employee_import_apply(*, employee_import: EmployeeImport, by: User, request) -> tuple[int, int]:
    """Create and update the people of an import, all or nothing; return (created, updated).

    The file is checked again first, since people may have changed on the
    platform after the preview. Raises ValidationError, changing nothing, if
    the import was already applied (code "already_applied") or now has
    problems (code "problems"). New people get no password (they set one from
    their invitation) and the participant role; invitations leave after the
    commit, so nobody is invited to an account that was rolled back.
    """
    with transaction.atomic():
        # Locked, so that two HR admins confirming at once do not both apply it.
        employee_import = EmployeeImport.objects.select_for_update().get(pk=employee_import.pk)
        if employee_import.is_applied:
            raise ValidationError(_("This file has already been imported."), code="already_applied")
        plan = employee_import_plan(employee_import=employee_import)
        if plan.problems:
            raise ValidationError(
                _(
                    "The file has problems (people may have changed on the platform since "
                    "the preview). Fix them and upload the file again; nothing was imported."
                ),
                code="problems",
            )
        created = _create_people(plan)
        updated = _update_people(plan)
        _set_managers(plan, people=created | updated)
        employee_import.applied_at = timezone.now()
        employee_import.applied_by = by
        employee_import.created_count = len(created)
        employee_import.updated_count = len(updated)
        employee_import.save(
            update_fields=["applied_at", "applied_by", "created_count", "updated_count"]
        )
        for row in plan.to_create:
            _invite_on_commit(user=created[row.email], request=request)
    return len(created), len(updated)


def _existing_people() -> dict[str, ExistingPerson]:
    rows = User.objects.values(
        "first_name",
        "last_name",
        "department",
        "direction",
        "job_title",
        "seniority_years",
        "language",
        email_lower=Lower("email"),
        manager_email=Lower("manager__email"),
    )
    people = {}
    for row in rows:
        email = row.pop("email_lower")
        people[email] = ExistingPerson(
            email=email, **{**row, "manager_email": row["manager_email"] or ""}
        )
    return people


def _users_by_email(emails) -> dict[str, User]:
    users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    return {user.email_lower: user for user in users}


def _create_people(plan: ImportPlan) -> dict[str, User]:
    users = []
    for row in plan.to_create:
        user = User(**row.new_person_values(), role=User.Role.PARTICIPANT)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    # Not every database returns the new ids from a bulk insert: read them back.
    return _users_by_email([row.email for row in plan.to_create])


def _update_people(plan: ImportPlan) -> dict[str, User]:
    users = _users_by_email([update.row.email for update in plan.to_update])
    for update in plan.to_update:
        user = users[update.row.email]
        fields = []
        for change in update.changes:
            if change.field != "manager":  # set once everybody exists
                setattr(user, change.field, change.new)
                fields.append(change.field)
        if fields:
            user.save(update_fields=fields)
    return users


def _set_managers(plan: ImportPlan, *, people: dict[str, User]) -> None:
    """Managers last, once everybody in the file exists."""
    wanted = {row.email: row.manager_email for row in plan.to_create if row.manager_email}
    for update in plan.to_update:
        if any(change.field == "manager" for change in update.changes):
            wanted[update.row.email] = update.row.manager_email
    if not wanted:
        return
    managers = _users_by_email(set(wanted.values()))
    for email, manager_email in wanted.items():
        people[email].manager = managers[manager_email]
    User.objects.bulk_update(
        [people[email] for email in wanted], ["manager"], batch_size=BATCH_SIZE
    )
