"""The webhook endpoint: Stripe (or localstripe) posts signed events here."""

import logging

import stripe
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import availability, facade, gateway

logger = logging.getLogger(__name__)


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """POST /shop/stripe/webhook/: 400 for a bad signature, 200 once applied or a duplicate."""

    http_method_names = ["post"]

    def post(self, request):
        if not availability.is_enabled():
            raise Http404
        try:
            event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature"))
        except stripe.SignatureVerificationError as exc:
            logger.warning("Stripe webhook refused: %s", exc.user_message or exc)
            return HttpResponseBadRequest("bad signature")
        except ValueError:
            return HttpResponseBadRequest("bad payload")
        outcome = facade.handle_event(event)
        return JsonResponse({"received": event["id"], "outcome": outcome})
