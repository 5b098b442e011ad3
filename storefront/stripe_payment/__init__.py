"""Stripe card payments (international buyers), in django-oscar-paypal's split.

gateway.py      the wire protocol: a thin wrapper over the stripe SDK
facade.py       the Oscar-shaped calls the checkout makes: start_payment, handle_event
models.py       the transaction log: StripePayment (one per PaymentIntent), StripeEvent
hooks.py        what happens when a payment succeeds (OCOP_STRIPE_ON_PAID)
availability.py whether the method is offered (keys configured)
views.py        the webhook endpoint
"""
