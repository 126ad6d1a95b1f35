from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vrhub.accounts"
    label = "accounts"
