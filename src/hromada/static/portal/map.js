// Portal maps: points of the resource centre on a Leaflet map with marker clustering.
// Each element [data-portal-map] gives its points (data-points-url or data-points JSON:
// [[id, lat, lon, name], ...]), the tile URL (may be empty: no tiles, the points still show),
// the attribution, the city bounds and the link pattern of an object (data-link, "{id}").
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function draw(el, points) {
    var bounds = JSON.parse(el.dataset.bounds);
    // maxZoom on the map itself: clustering needs it when no tile layer sets one.
    var map = L.map(el, { preferCanvas: true, zoomSnap: 0.5, maxZoom: 19, zoomControl: false });
    L.control.zoom({ zoomInTitle: "Збільшити", zoomOutTitle: "Зменшити" }).addTo(map);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    var link = el.dataset.link || "";
    var single = el.dataset.single === "1";
    map.fitBounds(bounds);

    function finish() {
      if (single && points.length) {
        map.setView([points[0][1], points[0][2]], 16);
      } else if (points.length) {
        var box = L.latLngBounds(points.map(function (q) { return [q[1], q[2]]; }));
        map.fitBounds(box, { maxZoom: 16, padding: [20, 20] });
      }
      el.dataset.ready = String(points.length);
      el.dispatchEvent(new CustomEvent("portal-map-ready", { detail: { count: points.length } }));
    }

    var markers = [];
    for (var i = 0; i < points.length; i++) {
      var p = points[i];
      var marker = L.circleMarker([p[1], p[2]], { radius: 7, weight: 2, color: "#1d70b8", fillColor: "#1d70b8", fillOpacity: 0.8 });
      marker.pointData = p;
      markers.push(marker);
    }
    var layer;
    if (single || !points.length) {
      layer = L.featureGroup(markers);
    } else {
      // Chunked: 17,000 points are clustered in slices, the page stays responsive meanwhile.
      layer = L.markerClusterGroup({
        chunkedLoading: true,
        // Slices of 200 ms with only a tick between them (the default waits 50 ms each).
        chunkInterval: 200,
        chunkDelay: 1,
        // Street-level zooms show every point: no cluster levels to build for them (about a
        // third of the clustering work for 17,000 points).
        disableClusteringAtZoom: 16,
        showCoverageOnHover: false,
        chunkProgress: function (processed, total) {
          if (processed === total) { finish(); }
        },
      });
    }
    layer.on("click", function (event) {
      var p = event.layer.pointData;
      if (!p) { return; }
      var name = escapeHtml(p[3]);
      var html = link ? '<a href="' + link.replace("{id}", p[0]) + '">' + name + "</a>" : name;
      L.popup().setLatLng(event.latlng).setContent(html).openOn(map);
    });
    map.addLayer(layer);
    if (single || !points.length) {
      finish();
    } else {
      layer.addLayers(markers);
    }
  }

  function init(el) {
    if (el.dataset.points) {
      draw(el, JSON.parse(el.dataset.points));
      return;
    }
    fetch(el.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (points) { draw(el, points); });
  }

  document.querySelectorAll("[data-portal-map]").forEach(init);
})();
