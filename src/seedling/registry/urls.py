from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<uuid:uuid>/", views.child_detail, name="child_detail"),
    path("children/<uuid:uuid>/edit/", views.child_edit, name="child_edit"),
    path("reviews/", views.proposal_queue, name="proposal_queue"),
]
