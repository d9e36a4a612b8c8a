from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_log_page, name="audit_log"),
]
