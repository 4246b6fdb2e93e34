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
  // The themes bind their sidebar buttons to the *first* .primary-toggle and .secondary-toggle of the
  // page, which sit in a header bar this layout hides; so the buttons a reader sees did nothing at
  // 900 px and less (the table of contents could not be opened). They hand their click to the bound
  // one: a drawer on a narrow screen, the sidebar folded away on a wide one.
  function forwardToggles() {
    ["primary-toggle", "secondary-toggle"].forEach(function (name) {
      var buttons = document.querySelectorAll("." + name);
      Array.prototype.slice.call(buttons, 1).forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          buttons[0].click();
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", forwardToggles);
  document.addEventListener("DOMContentLoaded", repair);
  window.addEventListener("load", repair);  // icons the theme turns into SVG after the DOM is ready
})();
