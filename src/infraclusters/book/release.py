"""``python -m infraclusters release --out DIR``: everything a release archives, with checksums.

Into a new or empty ``DIR``: the source archive (the tracked files, no
``.git``), the built site of both editions, both PDF editions, the data zip,
``SHA256SUMS`` and ``.zenodo.json`` (from ``CITATION.cff``). The archives are
written byte for byte the same for the same inputs (sorted names, fixed
times), so their checksums mean something.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from ..archives import reproducible_zip
from ..figures import versions
from ..text import citation
from . import downloads

FIXED_MTIME = 1704067200  # 2024-01-01T00:00:00Z: the archives' file times (the paper's year)
#: Never part of a source archive, when there is no git to say what is tracked.
UNTRACKED = {".git", "_build", ".venv", ".tools", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}


def source_files(root: Path) -> list[str]:
    """The files of the source, as the sites were built from them: git's tracked files and the new ones it does
    not ignore; without git, every file outside build, cache and tool folders."""
    if (root / ".git").exists() and shutil.which("git"):
        command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        listed = subprocess.run(command, cwd=root, capture_output=True, check=True).stdout
        return sorted(name for name in listed.decode("utf-8").split("\0") if name and (root / name).is_file())
    found = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.is_file() and not any(p in UNTRACKED or p.startswith(".jupyter_cache") or p.endswith(".egg-info")
                                      for p in parts):  # fmt: skip
            found.append(path.relative_to(root).as_posix())
    return found


def source_archive(root: Path, prefix: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A ``.tar.gz`` of the source under ``prefix/``: sorted, owned by nobody, dated :data:`FIXED_MTIME`.

    ``extra`` adds files by name (or replaces a source file's content)."""
    raw = io.BytesIO()
    extra = extra or {}
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name in sorted(set(source_files(root)) | set(extra)):
            data = extra[name] if name in extra else (root / name).read_bytes()
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=FIXED_MTIME) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def site_zip(site: Path, prefix: str, extra: dict[str, bytes] | None = None) -> bytes:
    """The built site (both editions: the Chinese one is in ``zh_CN/``) as one zip, with ``extra`` files (the PDF
    editions, by their path in the site)."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    entries = [
        (f"{prefix}/{path.relative_to(site).as_posix()}", path.read_bytes())
        for path in files
        if path.relative_to(site).parts[0] != "jupyter_execute"  # MyST-NB's scratch copy; notebooks/ is the reader's
    ]
    entries += [(f"{prefix}/{name}", data) for name, data in sorted((extra or {}).items())]
    return reproducible_zip(entries)


def _licences(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


def _deposit_licence(value) -> str | None:
    found = _licences(value)
    content = [v for v in found if v.upper().startswith("CC-")]
    return (content or found or [""])[0].lower() or None


def _licence_notes(value) -> str | None:
    found = _licences(value)
    if not found:
        return None
    return (
        "Licences: "
        + " and ".join(found)
        + ". The code is MIT (LICENSE); the text, figures and data curation are CC BY 4.0 (LICENSE-CONTENT.md)."
        if len(found) > 1
        else f"Licence: {found[0]}."
    )


def zenodo(root: Path) -> dict:
    """Zenodo's deposit metadata, from ``CITATION.cff``."""
    import yaml

    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    creators = []
    for author in cff.get("authors", []):
        name = author.get("name") or ", ".join(p for p in (author.get("family-names"), author.get("given-names")) if p)
        creator = {"name": name}
        if author.get("orcid"):
            creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
        creators.append(creator)
    metadata = {
        "title": cff["title"],
        "upload_type": "software" if cff.get("type") == "software" else "dataset",
        "description": " ".join(str(cff.get("abstract") or cff.get("message") or cff["title"]).split()),
        "creators": creators,
        "version": str(cff["version"]),
        # Zenodo's deposit takes one licence: the content's (most of the deposit); the notes name both.
        "license": _deposit_licence(cff.get("license")),
        "notes": _licence_notes(cff.get("license")),
        "publication_date": str(cff.get("date-released", "")) or None,
        "keywords": list(cff.get("keywords", [])),
        "references": [
            ", ".join(f"{a.get('family-names', '')} {a.get('given-names', '')}".strip() for a in ref.get("authors", []))
            + f" ({ref.get('year', 'n.d.')}). {ref.get('title', '')}. {ref.get('journal', '')}".rstrip(". ")
            for ref in cff.get("references", [])
        ],
        "related_identifiers": [
            {"relation": "isSupplementTo", "identifier": str(ref["doi"]), "scheme": "doi"}
            for ref in [cff.get("preferred-citation") or {}]
            if ref.get("doi")
        ]
        + ([{"relation": "isVariantFormOf", "identifier": str(cff["url"]), "scheme": "url"}] if cff.get("url") else []),
        "doi": str(cff.get("doi") or "") or None,
    }
    return {key: value for key, value in metadata.items() if value not in (None, [], "")}


def release(out: Path, root: Path, build: bool = True, pdf: bool = True, record: bool = False) -> dict[str, Path]:
    """Write the release into ``out`` (new or empty); returns what was written, by kind.

    What each figure is at this release (its versioned id and input fingerprints,
    both editions) goes into the source archive as ``releases/<version>.json``,
    which the next release's "What changed" appendix compares with; ``record``
    also writes it into ``root``'s ``releases/``, to be committed.
    """
    from . import editions

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out}: not an empty folder; a release is written into a new or empty one")
    version = citation.BOOK_VERSION
    stem = f"infraclusters-{version}"
    site = editions.site_dir("en", root)
    if build:  # the sites link the PDF editions when this release puts them beside the pages
        editions.build("en", root=root, strict=True, pdf_links=pdf)
        editions.build("zh_CN", root=root, strict=True, pdf_links=pdf)
    for language in ("en", "zh_CN"):
        if not (editions.site_dir(language, root) / "index.html").is_file():
            raise FileNotFoundError(f"the {language} edition is not built: run without --no-build")
    out.mkdir(parents=True, exist_ok=True)
    manifest = versions.release_manifest(
        {language: editions.site_dir(language, root) / "figures" for language in ("en", "zh_CN")}, version
    )
    recorded = f"{versions.RELEASES}/{version}.json"
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    if record:
        (root / versions.RELEASES).mkdir(exist_ok=True)
        (root / recorded).write_bytes(manifest_bytes)
    written = {
        "figures": out / f"{stem}-figures.json",
        "source": out / f"{stem}-source.tar.gz",
        "site": out / f"{stem}-site.zip",
        "data": out / downloads.data_zip_name(),
        "zenodo": out / ".zenodo.json",
    }
    written["figures"].write_bytes(manifest_bytes)
    written["source"].write_bytes(source_archive(root, stem, {recorded: manifest_bytes}))
    written["data"].write_bytes(downloads.data_zip(root / "data", root))
    written["zenodo"].write_text(json.dumps(zenodo(root), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    extra = {}
    if pdf:
        from .pdf import build_pdf

        names = downloads.pdf_names(version)
        written["pdf"] = build_pdf(out / names["en"], root)
        written["pdf (zh_CN)"] = build_pdf(out / names["zh_CN"], root, "zh_CN")
        for edition in ("", "zh_CN/"):  # each edition's downloads/ holds both, as its pages link them
            for path in (written["pdf"], written["pdf (zh_CN)"]):
                extra[f"{edition}{downloads.FOLDER}/{path.name}"] = path.read_bytes()
    written["site"].write_bytes(site_zip(site, f"{stem}-site", extra))
    sums = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}"
        for path in sorted(written.values(), key=lambda p: p.name)
    ]
    written["checksums"] = out / "SHA256SUMS"
    written["checksums"].write_text("\n".join(sums) + "\n", encoding="utf-8")
    return written
