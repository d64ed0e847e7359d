// Start GOV.UK Frontend components on every page.
import { initAll } from "../vendor/govuk-frontend.min.js";
initAll();

// Tell the server this browser runs JavaScript, so pages may load slow parts after
// the page itself (the staff dashboard's panels); without it they come inline.
if (!document.cookie.split("; ").includes("hromada_js=1")) {
  document.cookie = "hromada_js=1; path=/; max-age=31536000; SameSite=Lax";
}

// A panel loaded after the page (hx-get into a section marked aria-busy) is busy no more
// once its answer arrives. Before the swap: an outerHTML swap detaches the element.
document.addEventListener("htmx:beforeSwap", (event) => {
  const section = event.detail.elt.closest("section[aria-busy]");
  if (section) section.setAttribute("aria-busy", "false");
});
