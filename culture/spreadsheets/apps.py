from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "culture.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("表格导入导出")

    def ready(self) -> None:
        # Register every culture app's importers and exporters (culture/<app>/importers.py,
        # culture/<app>/exporters.py). A module that fails to import fails loudly.
        for config in apps.get_app_configs():
            if not config.name.startswith("culture."):
                continue
            for module in ("importers", "exporters"):
                dotted = f"{config.name}.{module}"
                if find_spec(dotted) is not None:
                    import_module(dotted)
