// Grant pages, progressive enhancement only: every form works without this script.
// - a round page's "closes in" line counts down;
// - the application form adds budget rows, shows live totals, and autosaves a draft every
//   30 seconds when something changed (POST without files, X-Autosave: 1, JSON reply).
(function () {
  "use strict";

  function countdown(element) {
    var closesAt = new Date(element.getAttribute("data-closes-at"));
    var units = (element.getAttribute("data-units") || "d.|h|min").split("|");
    var value = element.querySelector(".countdown-value");
    function tick() {
      var minutes = Math.floor((closesAt - new Date()) / 60000);
      if (minutes < 0) {
        element.textContent = element.getAttribute("data-closed");
        return;
      }
      var days = Math.floor(minutes / 1440);
      var hours = Math.floor((minutes % 1440) / 60);
      var parts = [];
      if (days) parts.push(days + " " + units[0]);
      if (days || hours) parts.push(hours + " " + units[1]);
      parts.push((minutes % 60) + " " + units[2]);
      value.textContent = parts.join(" ");
      window.setTimeout(tick, 30000);
    }
    tick();
  }

  function parseAmount(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    var number = parseFloat(cleaned);
    return isFinite(number) ? number : 0;
  }

  function formatMoney(amount) {
    var lang = document.documentElement.lang || "lv";
    return new Intl.NumberFormat(lang === "en" ? "en-GB" : "lv-LV", {
      style: "currency",
      currency: "EUR",
    }).format(amount);
  }

  function budget(form) {
    var body = form.querySelector("#budget-lines");
    var template = form.querySelector("#budget-line-template");
    var totalForms = form.querySelector("input[name=lines-TOTAL_FORMS]");
    var addButton = form.querySelector("#add-budget-line");
    var live = form.querySelector(".budget-live");
    if (!body || !template || !totalForms) return;

    function field(row, name) {
      return row.querySelector("input[name$='-" + name + "']");
    }

    function recalculate() {
      var total = 0;
      var own = 0;
      body.querySelectorAll("tr.budget-line").forEach(function (row) {
        var remove = field(row, "DELETE");
        var lineTotal = parseAmount(field(row, "quantity").value) * parseAmount(field(row, "unit_price").value);
        row.querySelector(".line-total").textContent = formatMoney(lineTotal);
        if (remove && remove.checked) return;
        total += lineTotal;
        own += parseAmount(field(row, "own_contribution").value);
      });
      form.querySelector("#budget-total").textContent = formatMoney(total);
      form.querySelector("#budget-requested").textContent = formatMoney(total - own);
    }

    addButton.hidden = false;
    live.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var rows = body.querySelectorAll("tr.budget-line");
      var first = rows[rows.length - 1].querySelector("input[type=text]");
      if (first) first.focus();
      recalculate();
    });
    body.addEventListener("input", recalculate);
    body.addEventListener("change", recalculate);
    recalculate();
  }

  function autosave(form) {
    var url = form.getAttribute("data-autosave");
    var status = document.getElementById("autosave-status");
    var dirty = false;
    var busy = false;
    if (!url || !window.fetch || !window.FormData) return;

    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });

    function save() {
      if (!dirty || busy) return;
      busy = true;
      dirty = false;
      var data = new FormData(form);
      // Files go up only with a real save; removals wait for one too.
      data.delete("files");
      data.delete("remove_attachments");
      data.delete("action");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Autosave": "1", Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          var body = result.body;
          if (!result.ok) {
            dirty = true;
            return;
          }
          var version = form.querySelector("input[name=version]");
          if (version) version.value = body.version;
          Object.keys(body.lines || {}).forEach(function (prefix) {
            var id = form.querySelector("input[name='" + prefix + "-id']");
            if (id) id.value = body.lines[prefix] === null ? "" : body.lines[prefix];
          });
          if (body.edit_url && body.edit_url !== url) {
            url = body.edit_url;
            form.setAttribute("action", url);
            form.setAttribute("data-autosave", url);
            window.history.replaceState(null, "", url);
          }
          if (status) status.textContent = body.message;
        })
        .catch(function () {
          dirty = true;
        })
        .finally(function () {
          busy = false;
        });
    }
    window.setInterval(save, 30000);
  }

  document.querySelectorAll(".countdown[data-closes-at]").forEach(countdown);
  var form = document.getElementById("application-form");
  if (form) {
    budget(form);
    autosave(form);
  }
})();
