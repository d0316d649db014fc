/* Names, in the page's language, for widgets that third-party scripts draw in the back office.
 *
 * - SimpleBar (Unfold's scroll areas) labels each area "scrollable content" in English.
 * - select2 (autocomplete fields) draws a combobox named by the option chosen (no name while
 *   empty) and, for several choices, a search box with no name: both take the field's label.
 *   Its button to clear a choice is titled "Remove all items" whatever the page's language.
 * - A table of inline rows labels its columns in the header only: each cell's input takes its
 *   column's name (the cell's data-label).
 */
(function () {
  "use strict";
  // The words come translated in the script's own address (core.widgets.backoffice_script).
  var words = new URL(document.currentScript.src).searchParams;
  var SCROLL_LABEL = words.get("scroll") || "可滚动区域";
  var CLEAR_LABEL = words.get("clear") || "清除所选";

  document.addEventListener("DOMContentLoaded", function () {
    // Runs before SimpleBar's own DOMContentLoaded handler (simplebar.js is loaded later).
    if (window.SimpleBar) {
      window.SimpleBar.defaultOptions.ariaLabel = SCROLL_LABEL;
    }
  });

  var seq = 0;

  function labelOf(select) {
    var label = select.labels && select.labels[0];
    if (!label) {
      return null;
    }
    if (!label.id) {
      seq += 1;
      label.id = "gh-label-" + (select.id || seq);
    }
    return label;
  }

  function nameSelect2(root) {
    var selects = (root || document).querySelectorAll("select.select2-hidden-accessible");
    Array.prototype.forEach.call(selects, function (select) {
      var container = select.nextElementSibling;
      var label = labelOf(select);
      if (!label || !container || !container.classList.contains("select2-container")) {
        return;
      }
      var single = container.querySelector(".select2-selection--single");
      if (single) {
        var rendered = single.querySelector(".select2-selection__rendered");
        var ids = [label.id];
        if (rendered && rendered.id) {
          ids.push(rendered.id);
          // select2 gives the chosen option's text the role of a textbox: it needs a name too.
          rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        }
        single.setAttribute("aria-labelledby", ids.join(" "));
      }
      Array.prototype.forEach.call(
        container.querySelectorAll(".select2-selection__clear"),
        function (clear) {
          clear.setAttribute("title", CLEAR_LABEL);
          clear.setAttribute("aria-label", CLEAR_LABEL);
        }
      );
      var search = container.querySelector(".select2-search__field");
      if (search) {
        search.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  function nameCells(root) {
    var fields = root.querySelectorAll(
      "td[data-label] input:not([type=hidden]), td[data-label] select, td[data-label] textarea"
    );
    Array.prototype.forEach.call(fields, function (field) {
      if ((field.labels && field.labels.length) || field.hasAttribute("aria-label")) {
        return;
      }
      var label = field.closest("td[data-label]").getAttribute("data-label");
      if (label) {
        field.setAttribute("aria-label", label);
      }
    });
  }

  // select2 draws its widgets when it likes (on load, on a new inline row, after a choice):
  // name them whenever some appear.
  var pending = false;
  function soon() {
    if (pending) {
      return;
    }
    pending = true;
    window.setTimeout(function () {
      pending = false;
      nameSelect2(document);
      nameCells(document);
    }, 0);
  }
  document.addEventListener("DOMContentLoaded", function () {
    soon();
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i += 1) {
        if (mutations[i].addedNodes.length) {
          soon();
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
