/* Buttons marked data-print print the page. A script file, not an onclick attribute: the
   Content-Security-Policy (storefront/csp.py) allows no inline script. */
(function () {
    "use strict";
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
        button.addEventListener("click", function () {
            window.print();
        });
    });
})();
