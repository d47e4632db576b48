from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        import mentoring.checks  # noqa: F401  (registers the site's deploy checks)
        from accounts.middleware import stamp_session_refresh

        user_logged_in.connect(stamp_session_refresh, dispatch_uid="accounts.stamp_session_refresh")
