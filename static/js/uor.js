// Start GOV.UK Frontend's components, then any page behaviour of ours.
// Loaded as a module from our own static files: no inline script, so the CSP can forbid it.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A page with data-poll-url asks that URL for progress and reloads once the work is done.
// Without JavaScript the page offers a refresh link instead.
const poller = document.querySelector("[data-poll-url]");
if (poller) {
  const status = document.getElementById("poll-status");
  const tick = async () => {
    try {
      const response = await fetch(poller.dataset.pollUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (status) status.textContent = `${data.status_label} (${data.progress}%)`;
      if (data.finished) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(tick, 1500);
  };
  window.setTimeout(tick, 1000);
}
