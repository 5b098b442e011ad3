from django.urls import path

from storefront.producer import admin_views

app_name = "orders-admin"
urlpatterns = [
    path("", admin_views.order_list, name="list"),
    path("<str:number>/", admin_views.order_detail, name="detail"),
    path("<str:number>/trang-thai/", admin_views.order_status, name="status"),
    path("<str:number>/dong/<int:pk>/trang-thai/", admin_views.order_line_status, name="line-status"),
    path("<str:number>/da-thanh-toan/", admin_views.order_mark_paid, name="mark-paid"),
]
