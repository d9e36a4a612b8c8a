from django.urls import path

from .views import checks, invitations, manage, public, signin, talk
from .visitor import checks_cookie

app_name = "portal"
urlpatterns = [
    # Public pages: any of them may change the visitor's self-check cookie (see visitor.py).
    path("", checks_cookie(public.home), name="home"),
    path("area/", checks_cookie(public.area_pick), name="area"),
    path("checks/", checks_cookie(checks.checks), name="checks"),
    path("checks/result/<uuid:uuid>/", checks_cookie(checks.check_result), name="check_result"),
    path("checks/<slug:code>/", checks_cookie(checks.check_fill), name="check_fill"),
    path("articles/", checks_cookie(public.article_list), name="articles"),
    path("articles/<slug:slug>/", checks_cookie(public.article_detail), name="article"),
    path("talk/", checks_cookie(talk.talk), name="talk"),
    path("talk/sent/", checks_cookie(talk.talk_done), name="talk_done"),
    path("signin/", checks_cookie(signin.signin), name="signin"),
    path("signout/", checks_cookie(signin.signout), name="signout"),
    path("me/", checks_cookie(signin.me), name="me"),
    # Staff pages
    path("manage/", manage.manage, name="manage"),
    path("manage/articles/new/", manage.article_edit, name="article_create"),
    path("manage/articles/<int:pk>/edit/", manage.article_edit, name="article_edit"),
    path("manage/articles/<int:pk>/publish/", manage.article_publish, name="article_publish"),
    path("manage/hotlines/new/", manage.hotline_edit, name="hotline_create"),
    path("manage/hotlines/<int:pk>/edit/", manage.hotline_edit, name="hotline_edit"),
    path("invitations/new/", invitations.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
]
