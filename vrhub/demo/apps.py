from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local use (``manage.py seed_demo``). It sits on top of every other app, so that
    ``vrhub.core`` stays at the bottom of the layers and imports none of them."""

    name = "vrhub.demo"
    label = "demo"
    verbose_name = "Demo data"
