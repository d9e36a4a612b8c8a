from django.urls import path

from .views import pool, requests

app_name = "counselling"
urlpatterns = [
    path("", requests.request_list, name="request_list"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/accept/", requests.request_accept, name="request_accept"),
    path("requests/<int:pk>/reassign/", requests.request_reassign, name="request_reassign"),
    path("requests/<int:pk>/close/", requests.request_close, name="request_close"),
    path("requests/<int:pk>/notes/", requests.note_create, name="note_create"),
    path("counsellors/", pool.counsellor_list, name="counsellor_list"),
    path("counsellors/new/", pool.counsellor_edit, name="counsellor_create"),
    path("counsellors/me/", pool.counsellor_me, name="counsellor_me"),
    path("counsellors/<int:pk>/", pool.counsellor_detail, name="counsellor_detail"),
    path("counsellors/<int:pk>/edit/", pool.counsellor_edit, name="counsellor_edit"),
]
