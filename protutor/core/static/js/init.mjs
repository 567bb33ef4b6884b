// Runs only in browsers with ES module support, the same test GOV.UK Frontend's inline snippet makes,
// so the page needs no inline script (strict CSP).
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
