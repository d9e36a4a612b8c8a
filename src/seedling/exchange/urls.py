from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/template.<str:fmt>", views.template_download, name="template"),
    path("import/<uuid:job_id>/", views.import_detail, name="import_detail"),
    path("import/<uuid:job_id>/status/", views.import_status, name="import_status"),
    path("import/<uuid:job_id>/commit/", views.import_commit, name="import_commit"),
    path("import/<uuid:job_id>/problems.csv", views.import_problems, name="import_problems"),
    path("export/", views.child_export, name="export"),
]
