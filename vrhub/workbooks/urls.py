from django.urls import path

app_name = "workbooks"

urlpatterns: list = []
