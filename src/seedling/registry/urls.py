from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<uuid:uuid>/", views.child_detail, name="child_detail"),
    path("children/<uuid:uuid>/edit/", views.child_edit, name="child_edit"),
    path("children/<uuid:uuid>/reveal-id/", views.child_reveal_id, name="child_reveal_id"),
    path("children/<uuid:uuid>/persons/", views.person_add, name="person_add"),
    path(
        "children/<uuid:uuid>/persons/<uuid:person_uuid>/situations/",
        views.situation_add,
        name="situation_add",
    ),
    path(
        "children/<uuid:uuid>/situations/<int:situation_id>/end/", views.situation_end, name="situation_end"
    ),
    path("reviews/", views.proposal_queue, name="proposal_queue"),
    path("reviews/<int:proposal_id>/decide/", views.proposal_decide, name="proposal_decide"),
]
