// Turn the report's server-drawn SVG chart into an interactive Chart.js chart.
// Without JavaScript (or without Chart.js) the SVG stays, with the data table under it.
(function () {
  "use strict";
  function format(value) {
    return Number(value).toLocaleString("uk-UA", { maximumFractionDigits: 2 });
  }
  function draw(figure) {
    var source = figure.querySelector("script[type='application/json']");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", figure.getAttribute("data-label") || "");
    var height = 80 + 40 * data.labels.length;
    var holder = figure.querySelector(".hromada-report__chart-holder");
    holder.style.height = height + "px";
    holder.replaceChildren(canvas);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels.map(function (l) { return "Захід " + l; }),
        datasets: [
          { label: "використано, тис. грн", data: data.spent, backgroundColor: "#1d70b8" },
          { label: "план, тис. грн", data: data.plan, backgroundColor: "#b1b4b6" }
        ]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { ticks: { callback: format } } },
        plugins: {
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + format(c.raw); } } }
        }
      }
    });
  }
  function init() {
    document.querySelectorAll("[data-programs-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
