// Starts GOV.UK Frontend's components on the page: the error summary (takes focus), "Exit this
// page" (three Shift presses), buttons (no double submit), notification banners, skip link.
import { initAll } from "./govuk-frontend.min.js";

initAll();
