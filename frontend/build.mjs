// Build the front-end into src/hromada/static/vendor/ from packages in node_modules.
// No network: everything comes from the lock-filed npm install.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src/hromada/static/vendor");
const nm = join(root, "node_modules");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend/hromada.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div", "if-function"],
});
writeFileSync(join(out, "hromada.css"), css.css);

cpSync(join(nm, "govuk-frontend/dist/govuk/assets/images"), join(out, "govuk/assets/images"), { recursive: true });
cpSync(join(nm, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(nm, "htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
cpSync(join(nm, "chart.js/dist/chart.umd.min.js"), join(out, "chart.umd.min.js"));
// Its source map too: collectstatic's manifest storage follows the sourceMappingURL comment.
cpSync(join(nm, "chart.js/dist/chart.umd.min.js.map"), join(out, "chart.umd.min.js.map"));
// Portal maps: Leaflet and its marker clustering (CSS, JS and marker images).
cpSync(join(nm, "leaflet/dist"), join(out, "leaflet"), { recursive: true });
cpSync(join(nm, "leaflet.markercluster/dist"), join(out, "leaflet.markercluster"), { recursive: true });
console.log("front-end built into", out);
