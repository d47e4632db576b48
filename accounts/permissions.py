"""Who may do what, platform-wide. App-level rules build on these."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def is_hr_admin(user) -> bool:
    return user.is_authenticated and user.role == user.Role.HR_ADMIN


def can_read_programmes(user) -> bool:
    """HR admins and managers (sponsors) read every programme."""
    return user.is_authenticated and user.role in (user.Role.HR_ADMIN, user.Role.MANAGER)


def hr_admin_required(view):
    """Login first; then anyone who is not an HR admin gets a 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_hr_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
