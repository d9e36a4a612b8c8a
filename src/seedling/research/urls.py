from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_download, name="export"),
    path("projects/new/", views.project_create, name="project_create"),
]
