from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "culture.core"
    label = "core"
    verbose_name = "核心"
