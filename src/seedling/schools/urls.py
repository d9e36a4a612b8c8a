from django.urls import path

from .views import roster, schools

app_name = "schools"
urlpatterns = [
    path("", schools.school_list, name="school_list"),
    path("new/", schools.school_edit, name="school_create"),
    path("overview/", schools.overview, name="overview"),
    path("<int:pk>/", schools.school_detail, name="school_detail"),
    path("<int:pk>/edit/", schools.school_edit, name="school_edit"),
    path("<int:pk>/activities/", schools.activity_list, name="activity_list"),
    path("<int:pk>/activities/new/", schools.activity_create, name="activity_create"),
    path("<int:school_pk>/classes/new/", roster.class_edit, name="class_create"),
    path("classes/<int:pk>/", roster.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", roster.class_edit, name="class_edit"),
    path("classes/<int:pk>/import/", roster.roster_import, name="roster_import"),
    path("classes/<int:class_pk>/students/new/", roster.student_edit, name="student_create"),
    path("students/<int:pk>/edit/", roster.student_edit, name="student_edit"),
    path("students/<int:pk>/active/", roster.student_active, name="student_active"),
    path("students/<int:pk>/link/", roster.student_link, name="student_link"),
]
