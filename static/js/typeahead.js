// Type-ahead for the header search box and the model pickers (progressive enhancement:
// without this script both are plain forms that still work).
(function () {
  "use strict";
  var counter = 0;

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // input: the text box; endpoint: the suggestions URL; onChoose(result) is called on a pick.
  function attach(input, endpoint, onChoose) {
    var list = document.createElement("ul");
    var id = "suggestions-" + (++counter);
    var results = [];
    var active = -1;
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function render() {
      list.textContent = "";
      results.forEach(function (result, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = result.name;
        if (result.detail) {
          var detail = document.createElement("span");
          detail.className = "meta";
          detail.textContent = result.detail;
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function choose(index) {
      var result = results[index];
      if (!result) { return; }
      close();
      onChoose(result);
    }

    var fetchSuggestions = debounce(function () {
      var query = input.value.trim();
      if (!query) { results = []; render(); return; }
      var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() !== query) { return; }
          results = data.results || [];
          render();
        })
        .catch(function () { results = []; render(); });
    }, 150);

    input.addEventListener("input", fetchSuggestions);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  // A picker box: suggestions of models; a pick fills in the model's name (the site reads a
  // name or a slug), then moves on to the next empty box, or submits once none is left.
  function enhancePicker(input, endpoint) {
    attach(input, endpoint + "?kind=model", function (result) {
      input.value = result.name;
      var form = input.closest("form");
      var empty = Array.prototype.filter.call(
        form.querySelectorAll("input[data-model-picker][required]"),
        function (box) { return !box.value.trim(); }
      );
      if (empty.length) {
        empty[0].focus();
      } else {
        form.submit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var search = document.querySelector("input[data-suggest]");
    if (!search || !window.fetch) { return; }
    var endpoint = search.getAttribute("data-suggest");
    attach(search, endpoint, function (result) { window.location.href = result.url; });
    document.querySelectorAll("input[data-model-picker]").forEach(function (input) {
      enhancePicker(input, endpoint);
    });
  });
})();
