"""Bus and ship tickets (车船票): typed by their own cues, not as train tickets, and read by
label and form; on the real dev bus ticket through the engine, from its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocrframe.engine.classify import classify_text
from ocrframe.types import DocType

REAL_DEV = Path(__file__).resolve().parents[1] / "datasets" / "real" / "dev"


def test_bus_ticket_is_not_a_train_ticket():
    # a province's bus ticket shares 检票口 and 车次 with train tickets
    lines = ["辽宁省道路汽车客票", "发票联", "发票代码 221021325353", "到站 开发区", "票价：￥8.00",
             "乘车日期", "开车时间", "车次", "座号", "检票口", "2013-06-29", "流水"]
    assert classify_text(lines).type is DocType.BUS_SHIP_TICKET


def test_train_ticket_stays_a_train_ticket():
    lines = ["Z54H006881", "检票：9B", "杭州东站", "G1890", "开封北站", "2017年09月27日16:52开", "￥673.5元",
             "一等座", "限乘当日当次车", "买票请到12306 发货请到95306", "中国铁路祝您旅途愉快"]
    assert classify_text(lines).type is DocType.TRAIN_TICKET


def test_flight_itinerary_is_no_bus_ticket():
    lines = ["航空运输电子客票行程单", "旅客姓名", "承运人", "航班号", "票价 FARE", "民航发展基金", "燃油附加费"]
    assert classify_text(lines).type is DocType.FLIGHT_ITINERARY


def test_passenger_transport_service_on_an_invoice_is_no_bus_ticket():
    # a VAT invoice for bus fares prints the service's name, near the ticket's titles
    assert classify_text(["旅客运输服务"]).type is None


def _real(name: str) -> tuple[list[dict], list[dict]]:
    pytest.importorskip("rapidocr")
    from ocrframe.backends.base import ImageInput, RequestOptions
    from ocrframe.backends.local import LocalEngine

    if not (REAL_DEV / name).exists():
        pytest.skip("the real dev set is not here")
    truth = next(json.loads(ln) for ln in (REAL_DEV / "labels.jsonl").read_text(encoding="utf-8").splitlines()
                 if json.loads(ln)["image"] == name)["result"]
    found = LocalEngine(threads=1).recognize(ImageInput("x", data=(REAL_DEV / name).read_bytes()),
                                             RequestOptions())["result"]
    return truth, found


def test_real_dev_bus_ticket():
    truth, found = _real("images/rcpt_bus_liaoning_01.jpg")
    assert [d["type"] for d in found] == ["bus_ship_ticket"]
    got = found[0]["content"]
    assert {k: got.get(k) for k in truth[0]["content"]} == truth[0]["content"]


def test_real_dev_passenger_transport_invoice_is_one_vat_invoice():
    truth, found = _real("images/l_vat_qd_putong_shandong_passenger.jpg")
    assert [d["type"] for d in found] == [d["type"] for d in truth] == ["vat_invoice"]
