"""Reads an exported SVG as a reader sees it: every drawn label's box, measured by Chromium with the fonts
the figure names, then the faults a designer would mark: labels on top of one another, labels cut short
with "…", text smaller than 10 px at 1×, text running past the canvas."""

from __future__ import annotations

from dataclasses import dataclass

MIN_TEXT_PX = 10.0
#: Boxes that share less than this many pixels each way touch; more, and one label covers the other.
OVERLAP_PX = 1.5

MEASURE = """() => {
  const svg = document.documentElement;
  const width = parseFloat(svg.getAttribute('width')), height = parseFloat(svg.getAttribute('height'));
  const labels = [];
  for (const text of svg.querySelectorAll('text')) {
    const content = text.textContent.trim();
    const style = getComputedStyle(text);
    let hidden = !content || style.display === 'none' || style.visibility === 'hidden';
    for (let node = text; node && node !== svg && !hidden; node = node.parentElement) {
      if (parseFloat(node.getAttribute('opacity') ?? '1') === 0 || parseFloat(getComputedStyle(node).opacity) === 0) hidden = true;
    }
    // a label's halo (white text, white outline, drawn under the label) is not a second label
    const white = v => ['white', '#fff', '#ffffff', 'rgb(255, 255, 255)'].includes((v || '').toLowerCase());
    if (hidden || (white(text.getAttribute('fill')) && white(text.getAttribute('stroke')))) continue;
    const box = text.getBoundingClientRect();
    const scale = text.getScreenCTM() ? Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b) : 1;
    labels.push({text: content, x: box.x, y: box.y, w: box.width, h: box.height,
                 size: parseFloat(style.fontSize) * scale,
                 role: (text.closest('[class]') || svg).getAttribute('class') || ''});
  }
  return {width, height, labels};
}"""


@dataclass(frozen=True)
class Fault:
    figure: str
    kind: str  # "overlap", "truncated", "small", "outside"
    detail: str

    def __str__(self) -> str:
        return f"{self.figure}: {self.kind}: {self.detail}"


def measure(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts ? document.fonts.ready : null")
    return page.evaluate(MEASURE)


def ink(label: dict) -> dict:
    """The band glyphs cover: a text box is the font's whole line (ascent to descent, about 1.45 em for the
    CJK font), so two lines set tight would "overlap" by their empty margins. Drop 0.25 em above, 0.15 below."""
    top, bottom = 0.25 * label["size"], 0.15 * label["size"]
    return label | {"y": label["y"] + top, "h": max(label["h"] - top - bottom, 0.0)}


def faults(name: str, measured: dict) -> list[Fault]:
    found = []
    labels = measured["labels"]
    width, height = measured["width"], measured["height"]
    for label in labels:
        shown = label["text"][:60]
        if "…" in label["text"]:
            found.append(Fault(name, "truncated", repr(shown)))
        if label["size"] < MIN_TEXT_PX - 0.01:
            found.append(Fault(name, "small", f"{label['size']:.1f} px: {shown!r}"))
        if (
            label["x"] < -0.5
            or label["y"] < -0.5
            or label["x"] + label["w"] > width + 0.5
            or label["y"] + label["h"] > height + 0.5
        ):
            found.append(
                Fault(
                    name,
                    "outside",
                    f"{shown!r} at x {label['x']:.0f}–{label['x'] + label['w']:.0f}, "
                    f"y {label['y']:.0f}–{label['y'] + label['h']:.0f} of {width:.0f}×{height:.0f}",
                )
            )
    inked = [ink(label) for label in labels]
    for i, a in enumerate(inked):
        for b in inked[i + 1 :]:
            across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if across > OVERLAP_PX and down > OVERLAP_PX:
                found.append(
                    Fault(
                        name, "overlap", f"{a['text'][:40]!r} and {b['text'][:40]!r} share {across:.0f}×{down:.0f} px"
                    )
                )
    return found
