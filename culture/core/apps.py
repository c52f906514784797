from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "culture.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.urls import register_converter

        from culture.core.converters import RowIdConverter

        # Before any URL module is imported (URLconfs load after every app is ready).
        register_converter(RowIdConverter, "id")
