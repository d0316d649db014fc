// The folding union tree: a union's sub-unions are fetched from the server the first time it
// is unfolded (rows rendered there, in the reader's scope), then folded and unfolded in place.
// Plain script served by the app: no library, no CDN.
(function () {
  "use strict";

  function level(row) {
    return parseInt(row.dataset.level || "0", 10);
  }

  // Show or hide the rows below `row` (its subtree, which follows it in the table): a row is
  // shown when every union between it and `row` is unfolded.
  function refresh(row) {
    var mine = level(row);
    var hideBelow = row.dataset.open === "1" ? Infinity : mine;
    for (var next = row.nextElementSibling; next && level(next) > mine; next = next.nextElementSibling) {
      if (level(next) > hideBelow) {
        next.hidden = true;
        continue;
      }
      next.hidden = false;
      hideBelow = next.dataset.open === "1" ? Infinity : level(next);
    }
  }

  function setOpen(row, open) {
    row.dataset.open = open ? "1" : "";
    var button = row.querySelector("[data-toggle]");
    if (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "\u25be" : "\u25b8";
    }
    refresh(row);
  }

  function load(table, row, button) {
    var url = new URL(row.dataset.childrenUrl, window.location.href);
    url.searchParams.set("on", table.dataset.on || "");
    url.searchParams.set("base", table.dataset.base || "0");
    if (table.dataset.dissolved) url.searchParams.set("dissolved", "1");
    button.disabled = true;
    button.textContent = "\u2026";
    button.title = table.dataset.loading || "";
    return fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("tbody");
        holder.innerHTML = html;
        var anchor = row;
        Array.prototype.slice.call(holder.children).forEach(function (child) {
          anchor.after(child);
          anchor = child;
        });
        row.dataset.loaded = "1";
      })
      .catch(function () {
        window.alert(table.dataset.failed || "");
      })
      .finally(function () {
        button.disabled = false;
        button.title = "";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("[data-testid=union-tree]");
    if (!table) return;
    table.addEventListener("click", function (event) {
      var button = event.target.closest("[data-toggle]");
      if (!button) return;
      var row = button.closest("tr");
      if (row.dataset.open === "1") {
        setOpen(row, false);
      } else if (row.dataset.loaded === "1") {
        setOpen(row, true);
      } else {
        load(table, row, button).then(function () {
          setOpen(row, row.dataset.loaded === "1");
        });
      }
    });
  });
})();
