// The final report form, progressive enhancement only: the form works without this script
// ("Saglabāt melnrakstu" does what this does). It saves the draft 20 seconds after the last
// change and every 60 seconds while something is unsaved: a POST of the form without its files
// and removals, marked with the X-Autosave header, answered with JSON (the new version, a
// message, the fields that were not saved). When someone else saved the report meanwhile, or
// it was submitted, it stops and says so: the person's next real save decides.
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave");
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var busy = false;
  var stopped = false;
  var timer = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    if (!dirty || busy || stopped) return;
    busy = true;
    dirty = false;
    var data = new FormData(form);
    // Files and removals wait for a real save: a background request never uploads or deletes.
    Array.from(data.keys()).forEach(function (name) {
      if (/^photo_\d+_file$/.test(name) || name === "receipts" || /^remove_/.test(name) || name === "action") {
        data.delete(name);
      }
    });
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        var body = result.body;
        if (!result.ok) {
          if (result.status === 409) {
            stopped = true;
            say(body.error || "");
          } else {
            dirty = true;
          }
          return;
        }
        var version = form.querySelector("input[name=version]");
        if (version) version.value = body.version;
        var unsaved = Object.keys(body.errors || {}).length;
        say(body.message + (unsaved ? " " + (form.getAttribute("data-unsaved") || "") : ""));
      })
      .catch(function () {
        dirty = true;
      })
      .finally(function () {
        busy = false;
      });
  }

  function changed() {
    dirty = true;
    if (timer) window.clearTimeout(timer);
    // The delay is the form's to say (a test shortens it); 20 seconds otherwise.
    var delay = parseInt(form.getAttribute("data-autosave-delay"), 10) || 20000;
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // A real save (or submission) sends everything: no background save may race it.
  form.addEventListener("submit", function () {
    stopped = true;
  });
  window.setInterval(save, 60000);
})();
