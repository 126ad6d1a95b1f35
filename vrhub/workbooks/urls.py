from django.urls import path

from vrhub.workbooks import views

app_name = "workbooks"

urlpatterns = [
    path("plans/<int:pk>/workbook.xlsx", views.download, name="download"),
    path("plans/<int:pk>/import/", views.upload, name="upload"),
    path("plans/<int:pk>/import/confirm/", views.confirm, name="confirm"),
    path("plans/<int:pk>/quarters/<int:number>/updates.xlsx", views.updates_download, name="updates_download"),
    path("plans/<int:pk>/quarters/<int:number>/import/", views.updates_upload, name="updates_upload"),
    path("plans/<int:pk>/quarters/<int:number>/import/confirm/", views.updates_confirm, name="updates_confirm"),
]
