// "Nearest to me": ask the browser for the visitor's position and list the nearest first.
(function () {
  "use strict";
  var button = document.getElementById("f-near-me");
  var input = document.getElementById("f-near");
  if (!button || !input || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      input.value = pos.coords.latitude.toFixed(6) + "," + pos.coords.longitude.toFixed(6);
      input.form.submit();
    });
  });
})();
