// Kiosk mode: on-screen keyboard for the search field and the idle reset.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "90", 10) * 1000;
  var start = body.dataset.startUrl || "/kiosk/";
  var timer = null;

  function reset() {
    // Forget everything typed, then go back to the start screen (replace: no "back" to it).
    document.querySelectorAll("input").forEach(function (i) { i.value = ""; });
    window.location.replace(start);
  }
  function touch() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(reset, idle);
  }
  ["pointerdown", "touchstart", "keydown", "scroll"].forEach(function (name) {
    window.addEventListener(name, touch, { passive: true });
  });
  touch();

  var input = document.getElementById("kiosk-q");
  document.querySelectorAll("[data-key]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!input) { return; }
      var key = button.dataset.key;
      if (key === "backspace") {
        input.value = input.value.slice(0, -1);
      } else if (key === "space") {
        input.value += " ";
      } else if (key === "clear") {
        input.value = "";
      } else {
        input.value += key;
      }
    });
  });
})();
