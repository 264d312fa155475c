// Copy-link controls are plain links to a permalink; with JavaScript a click copies the URL.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-copy]") : null;
  if (!link || !navigator.clipboard || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    var status = document.getElementById("copy-status");
    if (status) status.textContent = "Link copied: " + link.href;
    link.classList.add("copied");
    setTimeout(function () { link.classList.remove("copied"); }, 2000);
  }, function () { window.location.href = link.href; });
});

// Timeline filters: without JavaScript every entry shows; with it, the form filters at once
// and the query string (?company=…&tag=…&year=…&forecasts=1) makes a filtered view a link.
(function () {
  var form = document.getElementById("timeline-filters");
  if (!form) return;
  var fields = ["company", "tag", "year"];
  var entries = Array.prototype.slice.call(document.querySelectorAll("#timeline-list li.entry"));
  var marks = document.querySelectorAll("figure.chart .mark");
  var status = document.getElementById("timeline-status");
  function has(list, value) { return (" " + list + " ").indexOf(" " + value + " ") >= 0; }
  function apply() {
    var want = {}, params = new URLSearchParams(), shown = 0, visible = {};
    fields.forEach(function (name) { want[name] = form.elements[name].value; if (want[name]) params.set(name, want[name]); });
    var forecasts = form.elements.forecasts && form.elements.forecasts.checked;
    if (forecasts) params.set("forecasts", "1");
    entries.forEach(function (li) {
      var keep = (!want.company || has(li.dataset.companies, want.company)) &&
        (!want.tag || has(li.dataset.tags, want.tag)) &&
        (!want.year || li.dataset.year === want.year) &&
        (!forecasts || li.hasAttribute("data-forecast"));
      li.hidden = !keep;
      if (keep) { shown += 1; visible[li.id] = true; }
    });
    document.querySelectorAll("#timeline-list .month, #timeline-list .year").forEach(function (group) {
      group.hidden = !group.querySelector("li.entry:not([hidden])");
    });
    Array.prototype.forEach.call(marks, function (mark) {
      mark.classList.toggle("dim", !visible[mark.getAttribute("data-entry")]);
    });
    status.textContent = shown === entries.length ? "" : "Showing " + shown + " of " + entries.length + " entries.";
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  var params = new URLSearchParams(location.search);
  fields.forEach(function (name) {
    var select = form.elements[name], value = params.get(name) || "";
    select.value = value;
    if (select.value !== value) select.value = "";
  });
  if (form.elements.forecasts) form.elements.forecasts.checked = params.get("forecasts") === "1";
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();
