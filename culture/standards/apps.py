from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "culture.standards"
    label = "standards"
    verbose_name = "服务标准与指标"
