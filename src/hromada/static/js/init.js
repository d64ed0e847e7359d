// Start GOV.UK Frontend components on every page.
import { initAll } from "../vendor/govuk-frontend.min.js";
initAll();
