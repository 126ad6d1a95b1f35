from django.urls import path

from vrhub.workbooks import views

app_name = "workbooks"

urlpatterns = [
    path("plans/<int:pk>/workbook.xlsx", views.download, name="download"),
    path("plans/<int:pk>/import/", views.upload, name="upload"),
    path("plans/<int:pk>/import/confirm/", views.confirm, name="confirm"),
]
