"""Assemble ``datasets/real`` from labelled staging folders and draw the dev / test split.

Each staging folder holds ``images/``, ``labels.jsonl`` and ``manifest.jsonl`` (one line
per image: repository, path, commit, sha256, privacy category, ...). Images are grouped
into strata: every multi-document image is one stratum (``multi``), every other image
falls in the stratum of its document type (``none`` for an image without documents).
Within a stratum images are ordered by the sha256 of their bytes and dealt in turn,
``dev, test, dev, test, dev`` (two fifths to test), so the split depends only on the
files, every stratum of two or more images has images on both sides, and adding an image
later moves at most the images after it in its stratum.

Usage (from the repository root)::

    python datasets/real/build_split.py STAGING_DIR [STAGING_DIR ...]

writes ``datasets/real/{dev,test}/images/*``, ``{dev,test}/labels.jsonl`` and
``manifest.jsonl`` (with each image's split), replacing what was there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the order in which a stratum's images are dealt
DEAL = ("dev", "test", "dev", "test", "dev")


def _lines(path: Path) -> list[dict]:
    return [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def stratum(record: dict) -> str:
    """``multi`` for an image of several documents, else its only type (``none`` without one)."""
    docs = record["result"]
    if len(docs) > 1:
        return "multi"
    return docs[0]["type"] if docs else "none"


def main(folders: list[str]) -> None:
    items = []
    for folder in map(Path, folders):
        manifest = {m["image"]: m for m in _lines(folder / "manifest.jsonl")}
        for rec in _lines(folder / "labels.jsonl"):
            src = folder / rec["image"]
            sha = hashlib.sha256(src.read_bytes()).hexdigest()
            meta = dict(manifest[rec["image"]])
            if meta.get("sha256") and meta["sha256"] != sha:
                raise SystemExit(f"{src}: sha256 differs from its manifest line")
            meta["sha256"] = sha
            items.append((stratum(rec), sha, src, rec, meta))
    seen = {}
    for _, sha, src, _, _ in items:
        if sha in seen:
            raise SystemExit(f"duplicate image: {src} and {seen[sha]}")
        seen[sha] = src
    groups = defaultdict(list)
    for it in items:
        groups[it[0]].append(it)
    for split in ("dev", "test"):
        shutil.rmtree(HERE / split, ignore_errors=True)
        (HERE / split / "images").mkdir(parents=True)
    labels = {"dev": [], "test": []}
    manifest = []
    for key in sorted(groups):
        for i, (_, sha, src, rec, meta) in enumerate(sorted(groups[key], key=lambda t: t[1])):
            split = DEAL[i % len(DEAL)]
            name = Path(rec["image"]).name
            shutil.copyfile(src, HERE / split / "images" / name)
            rec = dict(rec, image=f"images/{name}")
            labels[split].append(rec)
            meta.update(image=f"{split}/images/{name}", split=split, stratum=key)
            manifest.append(meta)
    for split, recs in labels.items():
        with open(HERE / split / "labels.jsonl", "w", encoding="utf-8") as fh:
            for rec in sorted(recs, key=lambda r: r["image"]):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(HERE / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for meta in sorted(manifest, key=lambda m: m["image"]):
            fh.write(json.dumps(meta, ensure_ascii=False) + "\n")
    for split in ("dev", "test"):
        docs = sum(len(r["result"]) for r in labels[split])
        print(f"{split}: {len(labels[split])} images, {docs} documents")


if __name__ == "__main__":
    main(sys.argv[1:])
