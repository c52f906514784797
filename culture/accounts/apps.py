from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "culture.accounts"
    label = "accounts"
    verbose_name = "用户与人员"
