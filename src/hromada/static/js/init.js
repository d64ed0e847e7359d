// Start GOV.UK Frontend components on every page.
import { initAll } from "../vendor/govuk-frontend.min.js";
initAll();

// Tell the server this browser runs JavaScript, so pages may load slow parts after
// the page itself (the staff dashboard's panels); without it they come inline.
if (!document.cookie.split("; ").includes("hromada_js=1")) {
  document.cookie = "hromada_js=1; path=/; max-age=31536000; SameSite=Lax";
}
