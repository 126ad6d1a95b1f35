from django.urls import path

from vrhub.learning import views

app_name = "learning"

urlpatterns = [
    path("library/", views.library, name="library"),
    path("plans/<int:pk>/actions/<int:action_pk>/similar/", views.similar, name="similar"),
    path("plans/<int:pk>/actions/<int:action_pk>/good-practice/", views.good_practice, name="good_practice"),
    path("london/<int:year>/emerging/", views.emerging, name="emerging"),
]
