from django.urls import path

from cms.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/buoc/<slug:action>/", views.act, name="act"),
    path("<int:pk>/minh-chung/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("<int:pk>/minh-chung/<int:evidence_pk>/xoa/", views.remove_evidence, name="remove_evidence"),
    path("<int:pk>/cham-diem/", views.score, name="score"),
    path("<int:pk>/in/<slug:form>/", views.print_form, name="print"),
    path("<int:pk>/in/phieu-cham/<int:member_pk>/", views.print_member_sheet, name="print_member_sheet"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/in/", views.print_round, name="print_round"),
]

public_urlpatterns = [
    path("ket-qua-danh-gia/<int:pk>/", views.public_results, name="public_results"),
]
