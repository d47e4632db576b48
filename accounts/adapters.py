from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Employees are brought in by HR (invitation or import), never by
        # signing up on their own.
        return False
