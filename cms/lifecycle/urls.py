from django.urls import path

from cms.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("thu-hoi/<int:pk>/", views.revoke, name="revoke"),
]
