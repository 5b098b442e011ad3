"""The oversight screens in Wagtail's admin, under /admin/chi-tieu/ (namespace "oversight")."""

from django.urls import path

from cms.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("muc-tieu/<int:pk>/", views.behind, name="behind"),
    path("so-lieu/", views.figure_list, name="figures"),
]
