// Operator entry of an appeal: keyboard helpers (the form works without this script).
// - Ctrl+Enter (or Cmd+Enter) in the text area submits, as Enter does in the other fields;
// - choosing a channel sets "how received" (1.x) to the channel's code unless chosen by hand;
// - the no-JavaScript "check earlier appeals" button is hidden: htmx refreshes the panel.
const form = document.querySelector("[data-appeals-entry]");
if (form) {
  document.querySelectorAll(".hromada-nojs").forEach((el) => { el.style.display = "none"; });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const channel = form.querySelector("#id_channel");
  const how = form.querySelector("#id_how_received");
  const codes = JSON.parse(form.dataset.channelCodes || "{}");
  let chosenByHand = how && how.value !== "" && how.value !== codes[channel?.value];
  how?.addEventListener("change", () => { chosenByHand = true; });
  channel?.addEventListener("change", () => {
    if (how && !chosenByHand && codes[channel.value]) how.value = codes[channel.value];
  });
}
