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
