from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/acknowledge-police/", views.report_acknowledge_police, name="report_acknowledge_police"),
    path(
        "<int:pk>/acknowledge-civil-affairs/",
        views.report_acknowledge_civil_affairs,
        name="report_acknowledge_civil_affairs",
    ),
    path("<int:pk>/close/", views.report_close, name="report_close"),
    path("<int:pk>/notes/", views.report_note_add, name="report_note_add"),
]
