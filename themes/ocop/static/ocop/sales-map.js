/* Sales-point map: an enhancement over the list, which holds every detail on its own.
   Loaded with defer. The box is shown at once (its height is kept, so nothing below moves
   later); Leaflet's stylesheet and script are fetched from here, after the page is drawn, so
   neither blocks the first paint nor takes a phone's bandwidth from the page's own files.
   Without the data the box stays hidden; if Leaflet fails to load it is hidden again. Text from the data is set with
   textContent, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("sales-map");
  var source = document.getElementById("sales-map-data");
  if (!box || !source) { return; }
  var points = JSON.parse(source.textContent);
  if (!points.length) { return; }
  box.hidden = false;
  var waiting = 2;
  function failed() { waiting = -1; box.hidden = true; }
  function loaded() { waiting -= 1; if (waiting === 0) { draw(); } }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = box.dataset.leafletCss;
  css.onload = loaded;
  css.onerror = failed;
  document.head.appendChild(css);
  var js = document.createElement("script");
  js.src = box.dataset.leafletJs;
  js.onload = loaded;
  js.onerror = failed;
  document.head.appendChild(js);

  function draw() {
    if (typeof L === "undefined") { failed(); return; }
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 18, attribution: box.dataset.tileAttribution }).addTo(map);
    var icon = L.icon({
      iconUrl: box.dataset.markerIcon, iconRetinaUrl: box.dataset.markerIcon2x, shadowUrl: box.dataset.markerShadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    });
    var bounds = [];
    points.forEach(function (p) {
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      var address = document.createElement("p");
      address.textContent = p.address;
      popup.appendChild(link);
      popup.appendChild(address);
      L.marker([p.lat, p.lng], { icon: icon, title: p.title, alt: p.title }).addTo(map).bindPopup(popup);
      bounds.push([p.lat, p.lng]);
    });
    // A marker's pin stands 41 px above its point: more room at the top, or the northernmost
    // one is cut by the map's edge.
    if (bounds.length === 1) { map.setView(bounds[0], 14); } else { map.fitBounds(bounds, { paddingTopLeft: [30, 55], paddingBottomRight: [30, 20] }); }
  }
})();
