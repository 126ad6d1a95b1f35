from django.urls import path

from vrhub.evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.index, name="index"),
    path("evidence/trends/", views.trend, name="trend"),
    path("evidence/need/", views.need, name="need"),
    path("evidence/need/map.geojson", views.need_geojson, name="need_geojson"),
    path("evidence/profile/<str:code>/", views.profile, name="profile"),
    path("evidence/load/", views.upload, name="upload"),
    path("evidence/istv/", views.istv, name="istv"),
]

# Outside the "evidence" namespace: the page was named "evidence_cite" before it moved here.
citation_urlpatterns = [path("evidence/cite/", views.cite, name="evidence_cite")]
