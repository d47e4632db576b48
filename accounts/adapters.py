from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Employees are brought in by HR (invitation or import), never by
        # signing up on their own.
        return False

    def format_email_subject(self, subject):
        # The product's name, in the reader's language, rather than the host name.
        return f"[{_('Reverse mentoring')}] {subject}"
