from django.urls import path, re_path

from storefront.producer import views

urlpatterns = [
    path("producer/orders/", views.ProducerOrderListView.as_view(), name="producer-orders"),
    path("producer/orders/lines/<int:pk>/status/", views.ProducerLineStatusView.as_view(), name="producer-line-status"),
    path("orders/<str:number>/paid/", views.OrderMarkPaidView.as_view(), name="order-mark-paid"),
    # Oscar's dashboard is replaced by the orders in Wagtail's admin (admin_views.py): every
    # dashboard URL leads there (before Oscar's own URLs, which are included after these).
    re_path(r"^dashboard/", views.dashboard_redirect, name="dashboard-redirect"),
]
