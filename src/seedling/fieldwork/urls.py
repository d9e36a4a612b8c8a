from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("children/<uuid:uuid>/visits/", views.child_visits, name="child_visits"),
    path("children/<uuid:uuid>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
