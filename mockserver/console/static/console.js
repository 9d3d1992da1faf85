// The console's only script: copy buttons, and the live view's refresh. Every page works without it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) return;
  var done = function () {
    button.textContent = "Copied";
    var status = document.getElementById("copied");
    if (status) status.textContent = "Copied to the clipboard.";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { field.select(); document.execCommand("copy"); done(); });
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});

// The live view: fetch the same view's tables again every few seconds (the server asks the APIs), unless paused.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("live-data");
  if (!box) return;
  var every = parseInt(box.getAttribute("data-refresh-ms"), 10) || 3000;
  var pause = document.getElementById("live-pause");
  var status = document.getElementById("live-status");
  var paused = false, busy = false;
  pause.hidden = false;
  var setPaused = function (value, why) {
    paused = value;
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
    pause.textContent = paused ? "Resume updates" : "Pause updates";
    status.textContent = why;
  };
  pause.addEventListener("click", function () { setPaused(!paused, paused ? "" : "Updates paused."); });
  var refresh = function () {
    if (paused || busy || document.hidden) return;
    busy = true;
    fetch(box.getAttribute("data-src"), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (resp) {
        if (resp.redirected) {  // the admin-token gate sent the request elsewhere: keep the tables, say why
          setPaused(true, "Updates stopped: reload the page to open the console again.");
          return null;
        }
        return resp.text().then(function (html) {
          box.innerHTML = html;  // the server's own rendering (escaped by its templates)
          status.textContent = resp.ok ? "" : "The last update failed (HTTP " + resp.status + ").";
        });
      })
      .catch(function () { status.textContent = "The last update failed: the mock did not answer."; })
      .then(function () { busy = false; });
  };
  window.setInterval(refresh, every);
});
