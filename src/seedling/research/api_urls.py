from django.urls import path

from .api import AggregatesApi, ExportApi, ProjectApi

urlpatterns = [
    path("research/aggregates/", AggregatesApi.as_view(), name="research-aggregates"),
    path("research/exports/", ExportApi.as_view(), name="research-exports"),
    path("research/projects/", ProjectApi.as_view(), name="research-projects"),
]
