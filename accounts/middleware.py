import time

from django.utils import translation


class UserLanguageMiddleware:
    """Speak a logged-in user's preferred language, whatever the browser says.

    LocaleMiddleware has already picked a language from the cookie or the
    Accept-Language header; a known user's own choice wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionIdleTimeoutMiddleware:
    """End a session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    The session's expiry (``SESSION_COOKIE_AGE``, the same figure) is counted
    from its last save; this pushes it forward by saving the session again when
    the last save is more than ``REFRESH_EVERY`` seconds old. An expired session
    is simply not found on the next request, so its user is back at the login.
    """

    REFRESH_EVERY = 60
    KEY = "_last_refresh"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_EVERY:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


def stamp_session_refresh(sender, request, user, **kwargs) -> None:
    """A login saves a fresh session: count the idle time from it."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleTimeoutMiddleware.KEY] = int(time.time())
