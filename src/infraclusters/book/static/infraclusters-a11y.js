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
  // The long reference pages (claims ledger, gallery, data, glossary …) list their entries under
  // headings the theme's outline does not show: such a page gets its own contents and a filter that
  // keeps the entries whose text holds what the reader types.
  function pageContents() {
    var article = document.querySelector("article.bd-article");
    if (!article) return;
    var headings = Array.prototype.slice.call(article.querySelectorAll("h2.rubric[id]"));
    if (headings.length < 6) return;
    var chinese = (document.documentElement.lang || "").indexOf("zh") === 0;
    var nav = document.createElement("nav");
    nav.className = "infra-page-contents";
    nav.setAttribute("aria-label", chinese ? "本页目录" : "On this page");
    var filter = document.createElement("input");
    filter.type = "search";
    filter.placeholder = chinese ? "筛选本页条目" : "Filter the entries on this page";
    filter.setAttribute("aria-label", filter.placeholder);
    var list = document.createElement("ol");
    var groups = headings.map(function (heading) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + heading.id;
      link.textContent = heading.textContent.trim();
      item.appendChild(link);
      list.appendChild(item);
      var members = [heading];
      for (var next = heading.nextElementSibling; next && !(next.matches && next.matches("h2.rubric")); next = next.nextElementSibling) {
        members.push(next);
      }
      return { item: item, members: members };
    });
    filter.addEventListener("input", function () {
      var wanted = filter.value.trim().toLowerCase();
      groups.forEach(function (group) {
        var text = group.members.map(function (m) { return m.textContent; }).join(" ").toLowerCase();
        var shown = !wanted || text.indexOf(wanted) !== -1;
        group.members.forEach(function (m) { m.hidden = !shown; });
        group.item.hidden = !shown;
      });
    });
    nav.appendChild(filter);
    nav.appendChild(list);
    headings[0].parentNode.insertBefore(nav, headings[0]);
  }
  // A chart wider than the column scrolls inside its own box (see infraclusters.css): a keyboard
  // reader must be able to reach and scroll it too, so the box takes focus and names its figure.
  // Any other output (a wide table) that overflows once drawn is treated the same.
  function focusable(box, name) {
    if (box.hasAttribute("tabindex")) return;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name.replace(/\s+/g, " ").trim().slice(0, 160));
  }
  function focusableCharts() {
    document.querySelectorAll("figure.infra-figure").forEach(function (figure) {
      var box = figure.querySelector(".output, .cell_output");
      var caption = figure.querySelector("figcaption");
      if (box) focusable(box, caption ? caption.textContent : "Chart");
    });
    document.querySelectorAll(".cell_output .output, .cell_output").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) focusable(box, document.documentElement.lang.indexOf("zh") === 0 ? "可横向滚动的输出" : "Output, scrolls sideways");
    });
  }
  // A chart still wider than the screen (a phone) says so above itself, with the full-size image to
  // open and zoom, and a shade at the edge that has more to see; the cue goes when the chart fits.
  function scrollCues() {
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    document.querySelectorAll("figure.infra-figure").forEach(function (figure) {
      var box = figure.querySelector(".output, .cell_output");
      if (!box) return;
      var cue = figure.querySelector(".infra-scroll-cue");
      var shade = figure.querySelector(".infra-scroll-shade");
      var overflows = box.scrollWidth > box.clientWidth + 1;
      figure.classList.toggle("infra-scrolls", overflows);
      if (!overflows) {
        if (cue) cue.hidden = true;
        if (shade) shade.hidden = true;  // a chart that overflowed at first (before fonts or a resize) fits now
        return;
      }
      if (!cue) {
        cue = document.createElement("p");
        cue.className = "infra-scroll-cue";
        cue.appendChild(document.createTextNode(zh ? "↔ 图比屏幕宽：可左右滑动查看" : "↔ Wider than the screen: scroll sideways"));
        var png = document.querySelector('a[href$="figures/' + figure.id + '.png"]');
        if (png) {
          cue.appendChild(document.createTextNode(zh ? "，或" : ", or "));
          var link = document.createElement("a");
          link.href = png.getAttribute("href");
          link.textContent = zh ? "打开原尺寸图片（可缩放）" : "open the full-size image (zoomable)";
          cue.appendChild(link);
        }
        box.parentNode.insertBefore(cue, box);  // above the chart: a reader sees it before the slice
        shade = document.createElement("div");
        shade.className = "infra-scroll-shade";
        shade.setAttribute("aria-hidden", "true");
        box.parentNode.insertBefore(shade, box.nextSibling);
        box.addEventListener("scroll", function () {
          shade.hidden = box.scrollLeft + box.clientWidth >= box.scrollWidth - 2;
        }, { passive: true });
      }
      cue.hidden = false;
      shade.style.height = box.offsetHeight + "px";
      shade.style.top = box.offsetTop + "px";
      shade.hidden = box.scrollLeft + box.clientWidth >= box.scrollWidth - 2;
    });
  }
  // Tables. A cell holding a short term (研究类基础设施, a date, an id) keeps it on one line, and a cell of
  // running text a readable width, so a narrow column is not squeezed to two characters a line. A table wider
  // than its box on a narrow screen becomes a list of cards, a row each, every value under its column's name,
  // so no column sits off-screen; it turns back into a table when the screen is wide enough.
  function isTerm(cell) {
    var text = (cell.textContent || "").replace(/\s+/g, " ").trim();
    return text && text.indexOf(" ") === -1 && text.length <= (/[\u2E80-\u9FFF]/.test(text) ? 7 : 14);
  }
  function isProse(cell) {
    var text = (cell.textContent || "").replace(/\s+/g, " ").trim();
    return text.length > (/[\u2E80-\u9FFF]/.test(text) ? 7 : 14);
  }
  // A long identifier in running text (industrialisation_fields.csv, mechanism_nodes.node_id) may break after
  // its _ . / marks (a <wbr>, which copying leaves out), so it does not hold its column wider than the screen.
  function breakIdentifiers(cell) {
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT), nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (/[^\s]{16,}/.test(node.textContent) && /[_./]/.test(node.textContent)) nodes.push(node);
    }
    nodes.forEach(function (node) {
      var parts = node.textContent.split(/(?<=[_./])(?=[^\s])/);
      if (parts.length < 2) return;
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i) fragment.appendChild(document.createElement("wbr"));
        fragment.appendChild(document.createTextNode(part));
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }
  function prepareTables() {
    document.querySelectorAll("article.bd-article table").forEach(function (table) {
      if (table.dataset.infraTable) return;
      table.dataset.infraTable = "1";
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return (th.innerText || th.textContent).replace(/\s+/g, " ").trim();
      });
      table.querySelectorAll("td, th").forEach(function (cell) {
        if (isTerm(cell)) cell.classList.add("infra-term");
        else if (cell.tagName === "TD" && isProse(cell)) {
          cell.classList.add("infra-prose");
          breakIdentifiers(cell);
        }
      });
      if (!heads.length) return;
      // a table shown as cards is still a table to a screen reader
      table.setAttribute("role", "table");
      table.querySelectorAll("tr").forEach(function (row) { row.setAttribute("role", "row"); });
      table.querySelectorAll("thead th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
      table.querySelectorAll("tbody td").forEach(function (td) { td.setAttribute("role", "cell"); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  function tableCards() {
    document.querySelectorAll("article.bd-article table[data-infra-table]").forEach(function (table) {
      var box = table.parentElement;
      var wider = function () {
        return table.scrollWidth > box.clientWidth + 1 || table.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
      };
      table.classList.remove("infra-cards", "infra-squeezed");
      table.classList.add("infra-terms");  // short terms on one line
      if (!wider()) return;
      if (window.innerWidth >= 700) {  // a laptop: a citation, an address, an identifier breaks where it must
        table.classList.add("infra-squeezed");
        if (!wider()) return;
      }
      if (table.querySelector("td[data-label]")) table.classList.add("infra-cards");
    });
  }
  // A glued value is bold so a reader sees what the data computed; a glued sentence is not a wall of bold.
  function gluedProse() {
    document.querySelectorAll("span.pasted-text").forEach(function (span) {
      if ((span.textContent || "").trim().length > 60) span.classList.add("infra-glued-prose");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { prepareTables(); tableCards(); gluedProse(); });
  window.addEventListener("resize", tableCards);
  function whenDrawn() {  // the charts are drawn after the page loads: look again once they are
    scrollCues();
    setTimeout(scrollCues, 400);
    setTimeout(scrollCues, 1500);
  }
  document.addEventListener("DOMContentLoaded", focusableCharts);
  window.addEventListener("load", focusableCharts);
  window.addEventListener("load", whenDrawn);
  window.addEventListener("resize", scrollCues);
  document.addEventListener("DOMContentLoaded", pageContents);
  document.addEventListener("DOMContentLoaded", forwardToggles);
  document.addEventListener("DOMContentLoaded", repair);
  window.addEventListener("load", repair);  // icons the theme turns into SVG after the DOM is ready
})();
