(function () {
  function repair() {
    // Decorative icons inside labelled buttons (the theme's colour-mode switch) must not
    // compete with the button's own name.
    document.querySelectorAll("button[aria-label] svg").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
    // An aria-label that does not contain the visible text hides that text from speech input
    // (WCAG 2.5.3): where an element shows text, let that text be its name.
    document.querySelectorAll("a[aria-label], button[aria-label], summary[aria-label]").forEach(function (element) {
      var visible = (element.innerText || "").replace(/\s+/g, " ").trim();
      var label = element.getAttribute("aria-label");
      if (visible && label.toLowerCase().indexOf(visible.toLowerCase()) === -1) {
        element.removeAttribute("aria-label");
      }
    });
    document.querySelectorAll('.citation-list[role="list"] > *').forEach(function (item) {
      item.setAttribute("role", "listitem");
    });
  }
  document.addEventListener("DOMContentLoaded", repair);
  window.addEventListener("load", repair);  // icons the theme turns into SVG after the DOM is ready
})();
