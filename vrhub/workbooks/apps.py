from django.apps import AppConfig


class WorkbooksConfig(AppConfig):
    name = "vrhub.workbooks"
    label = "workbooks"
