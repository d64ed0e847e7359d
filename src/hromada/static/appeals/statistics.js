// Draw the public statistics' charts with Chart.js; the tables under them hold the same
// numbers, so without JavaScript (or without Chart.js) nothing is lost.
(function () {
  "use strict";
  // Long labels are cut on the chart only: the table under it has them in full.
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    var max = window.innerWidth < 640 ? 18 : 40;
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }
  function draw(figure, data) {
    var series = data[figure.getAttribute("data-appeals-chart")];
    if (!series || typeof window.Chart === "undefined") return;
    var horizontal = figure.getAttribute("data-appeals-chart") !== "month";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (figure.getAttribute("data-label") || "") + ": див. таблицю нижче");
    var holder = figure.querySelector(".hromada-stat-chart__holder");
    holder.style.position = "relative";
    holder.style.height = (horizontal ? 60 + 28 * series.labels.length : 280) + "px";
    holder.replaceChildren(canvas);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: "звернень", data: series.counts, backgroundColor: "#1d70b8" }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: horizontal
          ? {
              x: { beginAtZero: true, ticks: { precision: 0 } },
              y: { ticks: { autoSkip: false, callback: shortLabel } }
            }
          : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  function init() {
    var source = document.getElementById("appeals-stats-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-appeals-chart]").forEach(function (f) { draw(f, data); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
