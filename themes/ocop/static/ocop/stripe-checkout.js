/* The card element on the checkout preview (oscar/checkout/preview_stripe.html): a file, not an
   inline script, for the Content-Security-Policy. Loaded after Stripe.js. */
(function () {
    var box = document.getElementById("stripe-payment");
    var form = document.getElementById("place_order_form");
    var stripe = Stripe(box.dataset.publishableKey);
    var card = stripe.elements().create("card");
    card.mount("#stripe-card-element");
    form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = document.getElementById("place-order");
        button.disabled = true;
        stripe.confirmCardPayment(box.dataset.clientSecret, {payment_method: {card: card}}).then(function (result) {
            if (result.error) {
                document.getElementById("stripe-card-errors").textContent = result.error.message;
                button.disabled = false;
            } else {
                form.submit();
            }
        });
    });
})();
