"""The oversight screens in Wagtail's admin, under /admin/chi-tieu/ (namespace "oversight")."""

from django.urls import path

from cms.oversight import report_views

app_name = "oversight"

urlpatterns = [
    # --- H4: the report downloads (report_views.py) ---
    path("bao-cao/", report_views.report, name="report"),
]
