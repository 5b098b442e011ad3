"""The officials' oversight pages in the admin, under /admin/chi-tieu/ (wagtail_hooks.py)."""

from django.urls import path

from cms.oversight import report_views, views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("muc-tieu/<int:pk>/", views.behind, name="behind"),
    path("so-lieu/", views.figure_list, name="figures"),
    path("bao-cao/", report_views.report, name="report"),
]
