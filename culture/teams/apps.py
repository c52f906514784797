from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "culture.teams"
    label = "teams"
    verbose_name = "文艺团队与社会组织"
