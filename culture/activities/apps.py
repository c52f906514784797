from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "culture.activities"
    label = "activities"
    verbose_name = "文化活动"
