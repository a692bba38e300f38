"""Shared fixtures: the seed's example response, saved-response files, image files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ocrframe  # noqa: F401  (registers df.ocr)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def seed_response() -> dict:
    """The original document's example: three quota invoices, the third AIS.0104."""
    return json.loads((DATA / "seed_three_quota_invoices.json").read_text(encoding="utf-8"))


def _vat_response() -> dict:
    return {"result": [{
        "status": {"error_code": "AIS.0000", "error_msg": "Succeeded."},
        "type": "vat_invoice",
        "location": [[10, 10], [500, 12], [498, 300], [8, 298]],
        "content": {
            "code": "3200204130", "total": "￥339.00",
            "item_list": [{"name": "笔", "amount": "100.00"}, {"name": "纸", "amount": "200.00"}],
            "confidence": {"code": 0.99, "total": 0.95,
                           "item_list": [{"name": 0.9, "amount": 0.8}, {"name": 0.7, "amount": 0.6}]},
        },
    }]}


@pytest.fixture
def vat_response() -> dict:
    """One VAT invoice with nested line items and their confidences."""
    return _vat_response()


@pytest.fixture
def images(tmp_path) -> list[Path]:
    """Four distinct 'image' files (the bytes only matter for hashing here)."""
    paths = []
    for i in range(4):
        p = tmp_path / f"img{i}.jpg"
        p.write_bytes(f"fake image {i}".encode())
        paths.append(p)
    return paths


@pytest.fixture
def replay_file(tmp_path, images, seed_response) -> Path:
    """Saved answers: img0 three quota invoices, img1 none, img2 AIS.0103, img3 a VAT invoice."""
    lines = [
        {"image": images[0].name, "response": seed_response},
        {"image": images[1].name, "response": {"result": []}},
        {"image": images[2].name, "error": {"error_code": "AIS.0103",
                                            "error_msg": "The image size does not meet the requirements."}},
        {"image": images[3].name, "response": _vat_response()},
    ]
    p = tmp_path / "saved.jsonl"
    p.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return p


@pytest.fixture
def many_images(tmp_path, replay_file):
    """``many_images(n)``: n distinct image files, each answered like one of the four saved
    ones; returns (paths, replay file)."""

    def make(n: int) -> tuple[list[str], Path]:
        src = replay_file.read_text(encoding="utf-8").splitlines()
        lines, paths = [], []
        for i in range(n):
            p = tmp_path / f"many{i}.jpg"
            p.write_bytes(f"image {i}".encode())
            paths.append(str(p))
            lines.append(src[i % 4].replace(f'"img{i % 4}.jpg"', f'"many{i}.jpg"'))
        saved = tmp_path / "many.jsonl"
        saved.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return paths, saved

    return make
