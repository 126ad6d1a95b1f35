from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "vrhub.accounts"
    label = "accounts"
    default = True

    def ready(self) -> None:
        from vrhub.accounts import signals  # noqa: F401  (sign-in record and session start)


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose site lets in only staff who have given their second factor."""

    default = False
    default_site = "vrhub.accounts.admin_site.VerifiedAdminSite"
