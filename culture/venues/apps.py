from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "culture.venues"
    label = "venues"
    verbose_name = "场馆与空间"
