"""Train tickets read from their printed forms, also when the recogniser loses or misreads parts.

The real cases are the tickets of ``datasets/real/dev/images/inv_train_eaten_real2.jpg``
(four small, worn tickets in one scan), each cut out along its labelled quad and written
as a JPEG file, read through :class:`~ocrframe.LocalEngine` as a user's file is. Their big
train numbers are boxed by outlines of their own; those lines must stay with the ticket.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocrframe.engine.extract.common import DocText
from ocrframe.engine.extract.train_ticket import (departure_time, split_stations, ticket_number_from_serial,
                                                  train_ticket)
from ocrframe.engine.locate import Region
from ocrframe.engine.ocr import TextLine

DEV = Path(__file__).parents[1] / "datasets" / "real" / "dev"


def _doc(rows: list[str]) -> DocText:
    lines = []
    for i, text in enumerate(rows):
        y = 40.0 * i
        q = np.array([[0, y], [10 * max(len(text), 1), y], [10 * max(len(text), 1), y + 30], [0, y + 30]], float)
        lines.append(TextLine(q, text, 0.95, np.array([1.0, 0.0])))
    quad = np.array([[0, 0], [400, 0], [400, 40.0 * len(rows)], [0, 40.0 * len(rows)]], float)
    return Region(quad, lines, np.array([1.0, 0.0]), "text")


@pytest.mark.parametrize("tokens, want", [
    (["石家庄站", "G6714", "北京西站"], ("石家庄", "G6714", "北京西")),
    (["石家庄站G6714北京西站"], ("石家庄", "", "北京西")),  # glued: the train number is still a separator
    (["扬", "州", "065566", "合肥南站"], ("扬州", "", "合肥南")),  # train number misread as other digits
    (["杭州东站", "开", "封北"], ("杭州东", "", "开封北")),  # train number lost, a name in pieces
    (["扬", "州", "合肥南站"], ("扬州", "", "合肥南")),  # parted by the widest gap (spans given below)
    (["天津站", "北京南站"], ("天津", "", "北京南")),
    (["Tianjin", "Beijingnan"], ("", "", "")),
])
def test_split_stations(tokens, want):
    spans, x = [], 0.0
    for t in tokens:  # one character 20 px wide, 5 px between tokens; the last token after a train-number gap
        x += 120.0 if t is tokens[-1] and len(tokens) > 1 and not any(c.isdigit() for c in "".join(tokens)) else 5.0
        spans.append((x, x + 20.0 * len(t)))
        x = spans[-1][1]
    got = split_stations(tokens, spans, (0.0, 400.0))
    assert got[0] == want[0] and got[2] == want[2]
    if want[1]:
        assert got[1] == want[1]


@pytest.mark.parametrize("text, want", [
    ("2018年04月19日10:51开", "2018年04月19日10:51开"),
    ("2017￥09月27日16.52 01:BAS", "2017年09月27日16:52开"),  # 年 read as ￥, : as ., no 开, a neighbour after
    ("2017年10月16日 08:02开 02车02D号", "2017年10月16日08:02开"),
    ("买票请到12306 发货请到95306", None),
])
def test_departure_time(text, want):
    assert departure_time(text) == want


@given(letter=st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"), digits=st.from_regex(r"\d{6}", fullmatch=True),
       prefix=st.sampled_from(["", "Z54", "142"]), head_noise=st.sampled_from(["", ".1", "1", "|"]),
       serial_head=st.from_regex(r"\d{14}", fullmatch=True))
def test_ticket_number_restored_from_serial(letter, digits, prefix, head_noise, serial_head):
    """The head read with its letter lost or misread: the serial at the foot restores it."""
    serial = serial_head + letter + digits
    assert ticket_number_from_serial(prefix + letter + digits, serial) == prefix + letter + digits
    assert ticket_number_from_serial(prefix + head_noise + digits, serial) == (prefix + letter + digits
                                                                               if len(prefix + head_noise) >= 4
                                                                               else letter + digits)
    assert ticket_number_from_serial(None, serial) == letter + digits


def test_fields_from_a_worn_ticket_read():
    rows = ["008544 检票:17", "天津站 北京南站", "Tianjin Beijingnan", "2017年10月16日08:02开 02车02D号",
            "￥54.5元 网 二等座", "限乘当日当次车", "3709211990****1828 李栗", "买票请到12306 发货请到95306",
            "10157300341017L008544 天津售"]
    f, _ = train_ticket(DocText(_doc(rows)))
    got = {k: v.value for k, v in f.items()}
    assert got == {"ticket_id": "L008544", "check_port": "17", "departure_station": "天津",
                   "destination_station": "北京南", "departure_time": "2017年10月16日08:02开",
                   "seat_number": "02车02D号", "ticket_price": "￥54.5元", "seat_category": "二等座",
                   "id_number": "3709211990****1828", "name": "李栗", "sale_location": "天津售"}


def test_a_head_number_the_serial_contradicts_is_kept():
    """The serial is a cross-check, not an override: a clean head number stands."""
    rows = ["K051971 检票:3", "南丰站 D6502 南昌站", "Nanfeng Nanchang", "12345678901234X999999 南丰售"]
    f, _ = train_ticket(DocText(_doc(rows)))
    assert f["ticket_id"].value == "K051971" and f["train_number"].value == "D6502"


def _collage_tickets() -> list[tuple[int, dict]]:
    rows = [json.loads(s) for s in (DEV / "labels.jsonl").read_text(encoding="utf-8").splitlines() if s.strip()]
    row = next(r for r in rows if r["image"].endswith("inv_train_eaten_real2.jpg"))
    return list(enumerate(row["result"]))


@pytest.fixture(scope="module")
def collage_reads(tmp_path_factory):
    """Each ticket of the worn scan, cut along its labelled quad, read from a JPEG file."""
    import cv2

    from ocrframe import LocalEngine
    from ocrframe.contract import ImageInput

    img = cv2.imread(str(DEV / "images" / "inv_train_eaten_real2.jpg"))
    out, eng, tmp = {}, LocalEngine(), tmp_path_factory.mktemp("tickets")
    for k, doc in _collage_tickets():
        q = np.asarray(doc["location"])
        (x0, y0), (x1, y1) = q.min(0), q.max(0)
        path = tmp / f"ticket{k}.jpg"
        cv2.imwrite(str(path), img[max(0, y0 - 8):y1 + 8, max(0, x0 - 8):x1 + 8], [cv2.IMWRITE_JPEG_QUALITY, 92])
        body = eng.recognize(ImageInput(str(path), data=path.read_bytes()))
        out[k] = next((d["content"] for d in body["result"] if d["type"] == "train_ticket"), {})
    return out


@pytest.mark.parametrize("k, field", [(0, "departure_station"), (0, "departure_time"), (0, "ticket_id"),
                                      (0, "train_number"), (1, "ticket_id"), (1, "departure_station"),
                                      (1, "destination_station"), (1, "train_number"), (2, "ticket_id"),
                                      (3, "departure_station"), (3, "destination_station"), (3, "train_number")])
def test_worn_real_tickets(collage_reads, k, field):
    want = dict(_collage_tickets())[k]["content"][field]
    assert collage_reads[k].get(field) == want
