// Skill pickers: a search box above each select[data-skill-search] that finds skills by English or Bangla name
// (or code) as one types, and a short list of matches to tap. Without this file the select still works.
// A static file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  function norm(text) {
    return (text || "").normalize("NFC").toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }
  function enhance(select) {
    var options = Array.prototype.slice.call(select.querySelectorAll("option")).filter(function (o) { return o.value; });
    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "-search";
    search.className = "skill-search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-label", select.getAttribute("data-skill-search"));
    search.placeholder = select.getAttribute("data-skill-search");
    var results = document.createElement("ul");
    results.id = select.id + "-matches";
    results.className = "skill-matches";
    results.setAttribute("aria-live", "polite");
    search.setAttribute("aria-controls", results.id);
    select.parentNode.insertBefore(search, select);
    select.parentNode.insertBefore(results, select);

    function show() {
      var words = norm(search.value).split(" ").filter(Boolean);
      results.textContent = "";
      if (words.length === 0) return;
      var found = options.filter(function (o) {
        var hay = norm(o.textContent + " " + (o.getAttribute("data-other") || "") + " " + o.value);
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      }).slice(0, 8);
      if (found.length === 0) {
        var none = document.createElement("li");
        none.className = "hint";
        none.textContent = select.getAttribute("data-skill-none");
        results.appendChild(none);
        return;
      }
      found.forEach(function (o) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = o.textContent;
        if (o.getAttribute("data-other")) {
          var other = document.createElement("span");
          other.className = "hint";
          other.textContent = " · " + o.getAttribute("data-other");
          button.appendChild(other);
        }
        button.addEventListener("click", function () {
          select.value = o.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          search.value = o.textContent;
          results.textContent = "";
          select.focus();
        });
        item.appendChild(button);
        results.appendChild(item);
      });
    }
    search.addEventListener("input", show);
    search.addEventListener("keydown", function (e) {
      // Enter in the search box picks the first match instead of sending the form half filled.
      if (e.key !== "Enter") return;
      e.preventDefault();
      var first = results.querySelector("button");
      if (first) first.click();
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-skill-search]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
