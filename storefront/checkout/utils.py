from oscar.apps.checkout import utils


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's checkout session, plus the payment method chosen on the payment-details page."""

    def pay_by(self, method):
        self._set("payment", "method", method)

    def payment_method(self):
        return self._get("payment", "method")
