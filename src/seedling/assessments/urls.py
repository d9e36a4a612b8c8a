from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.questionnaire_index, name="index"),
    path("q/<int:version_id>/fill/", views.questionnaire_fill, name="fill"),
    path("responses/<uuid:uuid>/", views.response_done, name="response_done"),
]
