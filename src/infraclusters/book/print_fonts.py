"""The PDF's Chinese font: Noto Sans CJK, cut to the characters printed and given TrueType outlines.

Chromium prints through Skia, which embeds a font with TrueType outlines as a
real font (CIDFontType2) but one with CFF outlines, as every Noto Sans CJK
face has, as Type 3: glyph pictures a printer's preflight rejects and a reader
cannot search reliably. So the print takes the system's Noto Sans CJK SC,
keeps only the characters on the page (fontTools' subsetter) and turns its
cubic outlines into quadratic ones (cu2qu, at most a thousandth of an em
off), as fontTools' own ``otf2ttf`` recipe does. The faces are written next
to the page and named in an ``@font-face`` rule; nothing is downloaded.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

#: The faces printed: CSS weight → fontconfig style of Noto Sans CJK SC.
WEIGHTS = {400: "Regular", 700: "Bold"}
FAMILY = "InfraCJK"
#: How far (font units of a 1000-unit em) a converted curve may stray from the original.
MAX_ERROR = 1.0


def system_face(style: str, family: str = "Noto Sans CJK SC") -> tuple[Path, int]:
    """The font file and face index fontconfig gives for ``family`` in ``style``."""
    if shutil.which("fc-match") is None:
        raise FileNotFoundError("fontconfig's fc-match is needed to find Noto Sans CJK (apt-get install fontconfig)")
    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, index, families = found.split("|", 2)
    if family not in families:
        raise FileNotFoundError(
            f"{family} is not installed (apt-get install fonts-noto-cjk); fontconfig gave {families}"
        )
    return Path(path), int(index)


def truetype_subset(source: Path, index: int, characters: str, out: Path) -> Path:
    """``source`` (face ``index`` of a collection) cut to ``characters``, with TrueType outlines, saved at ``out``."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter lists every glyph id at INFO
    font = TTFont(source, fontNumber=index, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes={ord(ch) for ch in characters})
    subsetter.subset(font)
    if "CFF " in font:
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
            glyphs[name] = pen.glyph()
        font["loca"] = newTable("loca")
        font["glyf"] = glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, glyphs
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        glyf.compile(font)
        for name, glyph in glyphs.items():
            if hasattr(glyph, "xMin"):
                font["hmtx"][name] = (font["hmtx"][name][0], glyph.xMin)
        font["maxp"] = maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for field in (
            "maxZones",
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
        ):
            setattr(maxp, field, 1 if field == "maxZones" else 0)
        maxp.compile(font)
        post = font["post"]
        post.formatType, post.extraNames, post.mapping, post.glyphOrder = 3.0, [], {}, order
        font["head"].glyphDataFormat = 0
        font.sfntVersion = "\x00\x01\x00\x00"
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out)
    return out


def cjk_faces(characters: str, folder: Path, url: str) -> str:
    """Write the print's CJK faces for ``characters`` into ``folder`` (served at ``url``); their ``@font-face`` rules."""
    rules = []
    for weight, style in WEIGHTS.items():
        source, index = system_face(style)
        name = f"{FAMILY}-{style}.ttf"
        truetype_subset(source, index, characters, folder / name)
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{url}/{name}") format("truetype"); '
            f"font-weight: {weight}; font-style: normal; }}\n"
        )
    return "".join(rules)
