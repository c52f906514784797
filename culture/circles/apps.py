from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "culture.circles"
    label = "circles"
    verbose_name = "15分钟品质文化生活圈"
