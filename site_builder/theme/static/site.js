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

// Old links to the timeline (`/timeline/#<id>`) land where the entry lives now: a brief's
// publication in the brief itself, an event on its own page when this page does not hold it.
(function () {
  function forward() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || /[\/\\?#]|^\.+$/.test(id)) return;
    if (!document.getElementById("timeline-list") || document.getElementById(id)) return;
    var base = document.documentElement.getAttribute("data-base") || "/";
    var brief = /^brief-(.+)$/.exec(id);
    location.replace(base + (brief ? "briefs/" + brief[1] : "events/" + id) + "/");
  }
  forward();
  window.addEventListener("hashchange", forward);
})();

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
    var query = params.toString();
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
    var filtering = query.length > 0;
    Array.prototype.forEach.call(marks, function (mark) {
      mark.classList.toggle("dim", filtering && !visible[mark.getAttribute("data-entry")]);
    });
    status.replaceChildren();
    if (shown !== entries.length) {
      status.append("Showing " + shown + " of the " + entries.length + " events on this page. ");
    }
    [["company", "Every event naming "], ["tag", "Every event tagged "]].forEach(function (pair) {
      var option = form.elements[pair[0]].selectedOptions[0];
      if (!want[pair[0]] || !option || !option.getAttribute("data-every")) return;
      var every = document.createElement("a");
      every.href = option.getAttribute("data-every");
      every.textContent = pair[1] + option.textContent.replace(/ \(\d+\)$/, "").replace(/^#/, "");
      status.append(every, " ");
    });
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

// Search: Pagefind's index, loaded when a search box first gets the focus; results show as
// they type.
(function () {
  var inputs = document.querySelectorAll("input[data-search-limit]");
  if (!inputs.length) return;
  var base = document.documentElement.getAttribute("data-base") || "/";
  var engine = null;
  function load() {
    if (!engine) {
      // The index comes in shards by period, newest first: the first is loaded, the others
      // merged into it, so one search covers them all.
      engine = fetch(base + "pagefind/shards.json", { cache: "no-cache" })
        .then(function (response) { return response.json(); })
        .then(function (shards) {
          var folder = base + "pagefind/" + shards[0] + "/";
          return import(folder + "pagefind.js").then(function (pagefind) {
            return pagefind.options({ baseUrl: base }).then(function () {
              return Promise.all(shards.slice(1).map(function (shard) {
                return pagefind.mergeIndex(base + "pagefind/" + shard + "/", { baseUrl: base });
              }));
            }).then(function () { return pagefind; });
          });
        });
    }
    return engine;
  }
  function excerpt(html) {
    var box = document.createElement("p");
    box.className = "excerpt";
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    Array.prototype.forEach.call(parsed.firstChild ? parsed.firstChild.childNodes : [], function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        box.appendChild(mark);
      } else {
        box.appendChild(document.createTextNode(node.textContent));
      }
    });
    return box;
  }
  function address(url) {
    // Pagefind names a page by its file in the shard's folder, whose folders are joined by
    // dots: "<base>briefs.x.html" is the page "<base>briefs/x/".
    var name = url.slice(base.length).replace(/\.html$/, "");
    return base + name.split(".").join("/") + "/";
  }
  function item(data) {
    var li = document.createElement("li"), link = document.createElement("a");
    var kind = document.createElement("span"), title = document.createElement("strong");
    link.href = data.meta.anchor || address(data.url);
    kind.className = "badge";
    kind.textContent = data.meta.kind || "Page";
    title.textContent = data.meta.title || link.getAttribute("href");
    link.append(kind, " ", title);
    li.appendChild(link);
    if (data.meta.date) {
      var date = document.createElement("span");
      date.className = "muted";
      date.textContent = " · " + data.meta.date;
      li.appendChild(date);
    }
    li.appendChild(excerpt(data.excerpt));
    return li;
  }
  function attach(input) {
    var limit = Number(input.getAttribute("data-search-limit"));
    var popup = input.form.querySelector(".search-popup");
    var list = popup ? document.createElement("ol") : document.getElementById("search-results");
    var status = popup ? null : document.getElementById("search-status");
    var latest = 0;
    if (popup) {
      list.className = "search-results";
      popup.appendChild(list);
    }
    function show(query, search, data) {
      list.replaceChildren.apply(list, data.map(item));
      list.setAttribute("data-query", query);
      list.removeAttribute("aria-busy");
      if (popup) {
        popup.hidden = false;
        if (search.results.length > limit) {
          var more = document.createElement("li"), link = document.createElement("a");
          link.href = input.form.action + "?q=" + encodeURIComponent(query);
          link.textContent = "All " + search.results.length + " results";
          more.className = "more";
          more.appendChild(link);
          list.appendChild(more);
        }
      } else {
        var count = search.results.length;
        status.textContent = count + (count === 1 ? " result" : " results") + " for “" + query + "”";
      }
    }
    function run() {
      var query = input.value.trim(), ticket = ++latest;
      if (!popup) {
        history.replaceState(null, "", location.pathname + (query ? "?q=" + encodeURIComponent(query) : ""));
      }
      if (!query) {
        list.replaceChildren();
        list.removeAttribute("data-query");
        list.removeAttribute("aria-busy");
        if (popup) popup.hidden = true;
        if (status) status.textContent = "";
        return;
      }
      list.setAttribute("aria-busy", "true");
      load().then(function (pagefind) { return pagefind.debouncedSearch(query); })
        .then(function (search) {
          if (!search || ticket !== latest) return null;
          var wanted = search.results.slice(0, limit).map(function (result) { return result.data(); });
          return Promise.all(wanted).then(function (data) {
            if (ticket === latest) show(query, search, data);
          });
        })
        .catch(function () { if (status) status.textContent = "Search is not available on this copy of the site."; });
    }
    input.addEventListener("input", run);
    // The index starts loading when the box gets the focus (or has it already, as on the
    // search page): the reader's first keys then find part of it, or all of it, there.
    function prepare() { load().catch(function () {}); }
    if (document.activeElement === input) prepare();
    else input.addEventListener("focus", prepare, { once: true });
    if (popup) {
      input.addEventListener("keydown", function (event) { if (event.key === "Escape") popup.hidden = true; });
      input.form.addEventListener("focusout", function () {
        setTimeout(function () { if (!input.form.contains(document.activeElement)) popup.hidden = true; }, 150);
      });
    } else {
      var query = new URLSearchParams(location.search).get("q");
      if (query) {
        input.value = query;
        run();
      }
    }
  }
  Array.prototype.forEach.call(inputs, attach);
})();
