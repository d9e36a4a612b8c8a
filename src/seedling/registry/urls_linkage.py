"""Pages of the duplicate queue; the project's urls include them at /duplicates/."""

from django.urls import path

from .linkage import views

urlpatterns = [
    path("", views.duplicate_queue, name="duplicate_queue"),
    path("<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("<int:pk>/not-duplicate/", views.duplicate_not_duplicate, name="duplicate_not_duplicate"),
    path("<int:pk>/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("merges/", views.duplicate_merges, name="duplicate_merges"),
    path("merges/<int:pk>/unmerge/", views.duplicate_unmerge, name="duplicate_unmerge"),
]
