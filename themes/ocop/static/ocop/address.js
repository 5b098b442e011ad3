/* Address form: narrow the commune list to the chosen province.
   Without this script the list shows every commune grouped by province, and the server
   checks that the commune belongs to the province. */
(function () {
    "use strict";
    var province = document.getElementById("id_state");
    var commune = document.getElementById("id_line4");
    if (!province || !commune) {
        return;
    }
    var placeholder = commune.querySelector("option[value='']");
    var groups = Array.prototype.slice.call(commune.querySelectorAll("optgroup")).map(function (group) {
        return group.cloneNode(true);
    });

    function narrow() {
        var chosen = commune.value;
        while (commune.firstChild) {
            commune.removeChild(commune.firstChild);
        }
        if (placeholder) {
            commune.appendChild(placeholder.cloneNode(true));
        }
        groups.forEach(function (group) {
            if (!province.value || group.label === province.value) {
                commune.appendChild(group.cloneNode(true));
            }
        });
        commune.value = chosen;
        if (commune.value !== chosen) {
            commune.value = "";
        }
    }

    province.addEventListener("change", narrow);
    narrow();
})();
