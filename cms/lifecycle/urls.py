from django.urls import path

from cms.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("nhac-danh-gia-lai/", views.reminders, name="reminders"),
    path("thu-hoi/<int:pk>/", views.revoke, name="revoke"),
]
