from django.urls import path

from vrhub.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/start/", views.plan_start, name="start"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/add-missing/", views.add_missing_mandatory, name="add_missing"),
    path("plans/<int:pk>/themes/<slug:theme_code>/", views.theme_edit, name="theme"),
    path("plans/<int:pk>/themes/<slug:theme_code>/optional/", views.theme_optional, name="optional"),
    path("plans/<int:pk>/themes/<slug:theme_code>/local/", views.local_action_new, name="local_new"),
    path("plans/<int:pk>/actions/<int:action_pk>/remove/", views.action_remove, name="action_remove"),
    path("plans/<int:pk>/actions/<int:action_pk>/documents/", views.action_documents, name="documents"),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/documents/<int:doc_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/documents/<int:doc_pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
]
