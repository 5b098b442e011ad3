from django.urls import path

from storefront.producer import views

urlpatterns = [
    path("producer/orders/", views.ProducerOrderLineListView.as_view(), name="producer-orders"),
    path("producer/orders/lines/<int:pk>/status/", views.ProducerLineStatusView.as_view(), name="producer-line-status"),
    path("orders/<str:number>/paid/", views.OrderMarkPaidView.as_view(), name="order-mark-paid"),
]
