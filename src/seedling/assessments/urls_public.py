"""The public screening link /s/<token>/ (mounted at /s/ by config/urls.py): no sign-in."""

from django.urls import path

from . import views_public

app_name = "screening"
urlpatterns = [
    path("<str:token>/", views_public.entry, name="entry"),
    path("<str:token>/fill/", views_public.fill, name="fill"),
    path("<str:token>/done/", views_public.done, name="done"),
    path("<str:token>/leave/", views_public.leave, name="leave"),
    path("<str:token>/qr.svg", views_public.qr, name="qr"),
]
