"""Read-only views of the transaction log for staff (Django admin): Stripe is the source."""

from django.contrib import admin

from .models import StripeEvent, StripePayment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StripePayment)
class StripePaymentAdmin(ReadOnlyAdmin):
    list_display = ["order_number", "intent_id", "amount", "currency", "status", "last_event_created", "date_updated"]
    list_filter = ["status", "currency"]
    search_fields = ["order_number", "intent_id"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "created", "processed_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]
