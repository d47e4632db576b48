from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Employees are brought in by HR (invitation or import), never by
        # signing up on their own.
        return False

    def format_email_subject(self, subject):
        # The product's name, in the reader's language, rather than the host name.
        return f"[{_('Reverse mentoring')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # Write to people in their own language, not in the one of whoever
        # (or whatever browser) triggered the mail.
        user = get_user_model().objects.filter(email__iexact=email).only("language").first()
        language = user.language if user else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
