"""Assemble ``datasets/real`` from labelled staging folders and draw the dev / test split.

Each staging folder holds ``images/``, ``labels.jsonl`` and ``manifest.jsonl`` (one line
per image: repository, path, commit, sha256, privacy category, ...). Images are grouped
into strata: every multi-document image is one stratum (``multi``), every other image
falls in the stratum of its document type (``none`` for an image without documents).
Images that show the same document or scene (a manifest ``group`` key shared by them)
are dealt as one unit, so they never straddle the split. Within a stratum units are
ordered by the sha256 of their (first) bytes and dealt in turn, ``dev, test, dev, test,
dev`` (two fifths to test), so the split depends only on the files and every stratum of
two or more units has units on both sides. An image already in ``manifest.jsonl`` keeps
its split (nothing seen in ``dev`` ever moves to ``test``); new units of a stratum are
dealt on from where its existing units left off.

Usage (from the repository root)::

    python datasets/real/build_split.py STAGING_DIR [STAGING_DIR ...]

writes ``datasets/real/{dev,test}/images/*``, ``{dev,test}/labels.jsonl`` and
``manifest.jsonl`` (with each image's split) for every image of the staging folders, and
the contents table of ``README.md`` (between its ``contents`` markers).
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
    units = defaultdict(list)  # a manifest group, or the image alone
    for it in items:
        units[it[4].get("group") or it[1]].append(it)
    groups = defaultdict(list)  # stratum -> units
    for members in units.values():
        members.sort(key=lambda t: t[1])
        key = "multi" if any(m[0] == "multi" for m in members) else members[0][0]
        groups[key].append(members)
    old = {m["sha256"]: m["split"] for m in _lines(HERE / "manifest.jsonl")} if (HERE / "manifest.jsonl").is_file() else {}
    for split in ("dev", "test"):
        shutil.rmtree(HERE / split, ignore_errors=True)
        (HERE / split / "images").mkdir(parents=True)
    labels = {"dev": [], "test": []}
    manifest = []
    for key in sorted(groups):
        units_sorted = sorted(groups[key], key=lambda u: u[0][1])
        kept = [u for u in units_sorted if any(m[1] in old for m in u)]
        new = [u for u in units_sorted if not any(m[1] in old for m in u)]
        dealt = [(next(old[m[1]] for m in u if m[1] in old), m) for u in kept for m in u]
        dealt += [(DEAL[(len(kept) + i) % len(DEAL)], m) for i, u in enumerate(new) for m in u]
        for split, (_, sha, src, rec, meta) in dealt:
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
    write_contents(labels, manifest)


def write_contents(labels: dict[str, list[dict]], manifest: list[dict]) -> None:
    """The README's table of documents per type and split, and the images' kinds and privacy."""
    from collections import Counter

    per = {split: Counter(d["type"] for r in recs for d in r["result"]) for split, recs in labels.items()}
    rows = ["| type | dev | test |", "| --- | --- | --- |"]
    rows += [f"| {t} | {per['dev'][t]} | {per['test'][t]} |" for t in sorted(set(per["dev"]) | set(per["test"]))]
    rows.append(f"| **documents** | {sum(per['dev'].values())} | {sum(per['test'].values())} |")
    rows.append(f"| **images** | {len(labels['dev'])} | {len(labels['test'])} |")
    kinds = Counter(m["kind"] for m in manifest).most_common()
    privacy = Counter(m["privacy"] for m in manifest).most_common()
    sources = {m.get("repo") or m.get("package") for m in manifest}
    multi = sum(1 for m in manifest if m["stratum"] == "multi")
    text = "\n".join(rows) + (
        f"\n\n{len(manifest)} images from {len(sources)} public sources; {multi} hold several documents. "
        f"Kinds: {', '.join(f'{n} {k}' for k, n in kinds)}. Privacy: {', '.join(f'{n} {k}' for k, n in privacy)}.")
    readme = HERE / "README.md"
    s = readme.read_text(encoding="utf-8")
    a, b = s.index("<!-- contents -->") + len("<!-- contents -->"), s.index("<!-- /contents -->")
    readme.write_text(s[:a] + "\n" + text + "\n" + s[b:], encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
