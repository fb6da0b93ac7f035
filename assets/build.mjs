// `npm run build`: compile the Sass and copy the JavaScript into static/build/ (gitignored).
// No bundler: the browser loads coprod.mjs as a module, which imports GOV.UK Frontend's own bundle.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });

execFileSync(
  join(root, "node_modules", ".bin", "sass"),
  [
    "--load-path=node_modules",
    "--quiet-deps",
    "--silence-deprecation=import",
    "--style=compressed",
    "--source-map",
    "--no-error-css",
    "assets/scss/coprod.scss",
    "static/build/coprod.css",
  ],
  { cwd: root, stdio: "inherit" },
);

// The .map files must sit next to the minified files, or collectstatic's manifest step fails.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, name), join(out, name));
}
copyFileSync(join(root, "assets", "js", "coprod.mjs"), join(out, "coprod.mjs"));
