"""VAT invoice extraction on the variety of real forms: item tables with long names
wrapped over lines (digits in the wrapped part, amounts level with a later line), item
names holding a column title's character, names printed with spaces."""

from __future__ import annotations

from ocrframe.engine.extract.vat_invoice import vat_invoice
from ocrframe.testing.doctext import doc_from_pieces

#: the fully digital invoice's item heads: (title, x of its left edge)
HEAD = [("项目名称", 110), ("规格型号", 420), ("单位", 560), ("数量", 630), ("单价", 760), ("金额", 930),
        ("税率/征收率", 1060), ("税额", 1230)]
H = 20.0


def _table(rows: list[list[tuple[str, float, float]]]) -> list[dict]:
    """The item list read from a table: the heads at y 100, then ``(text, x, y)`` lines,
    then the 合计 and 价税合计 rows."""
    pieces = [("名称：某某科技有限公司", 60, 40, H)] + [(t, x, 100, H) for t, x in HEAD]
    pieces += [(t, x, y, H) for row in rows for t, x, y in row]
    y_end = max(y for row in rows for _, _, y in row) + 40
    pieces += [("合计", 120, y_end, H), ("￥105.75", 960, y_end, H), ("￥13.75", 1240, y_end, H),
               ("价税合计（大写）", 60, y_end + 40, H), ("壹佰壹拾玖圆伍角整", 300, y_end + 40, H),
               ("（小写）", 900, y_end + 40, H), ("￥119.50", 990, y_end + 40, H)]
    _, extra = vat_invoice(doc_from_pieces(pieces, size=(1400.0, y_end + 100)))
    return extra["item_list"]


def test_wrapped_name_with_digits_joins_its_row():
    """A long name's wrapped remainder holding digits (``1小时快充``) is the row's name, not a
    new row; the next row opens with its category mark."""
    items = _table([
        [("*家用电器*剃须刀 全身水洗", 60, 140), ("1", 690, 140), ("105.31", 800, 140), ("105.31", 960, 140),
         ("13%", 1090, 140), ("13.69", 1250, 140)],
        [("刮胡刀1小时快充", 60, 162)],
        [("*现代服务*服务费", 60, 190), ("0.44", 990, 190), ("13%", 1090, 190), ("0.06", 1260, 190)],
    ])
    assert [r["name"] for r in items] == ["*家用电器*剃须刀 全身水洗刮胡刀1小时快充", "*现代服务*服务费"]
    assert [r["amount"] for r in items] == ["105.31", "0.44"]


def test_amounts_level_with_the_wrapped_line_join_the_name():
    """Amounts printed level with the second line of a name (cells centred on a two-line
    row) belong to the row the first line opened."""
    items = _table([
        [("*黑色金属冶炼压延品*盘", 60, 140)],
        [("螺HRB400E", 60, 162), ("吨", 575, 158), ("29.44", 640, 158), ("4380.53", 790, 158),
         ("128962.83", 940, 158), ("13%", 1090, 158), ("16765.17", 1240, 158)],
        [("*黑色金属冶炼压延品*螺", 60, 200)],
        [("纹钢HRB400E", 60, 222), ("吨", 575, 218), ("34.525", 640, 218), ("4247.79", 790, 218),
         ("146654.87", 940, 218), ("13%", 1090, 218), ("19065.13", 1240, 218)],
    ])
    assert [(r["name"], r["amount"]) for r in items] == [("*黑色金属冶炼压延品*盘螺HRB400E", "128962.83"),
                                                        ("*黑色金属冶炼压延品*螺纹钢HRB400E", "146654.87")]


def test_name_holding_a_column_title_character_is_kept():
    """``金`` of 黄金 / 金属, ``单`` of 单车: an item name is not a column title."""
    items = _table([[("*贵金属*黄金饰品", 60, 140), ("1", 690, 140), ("105.31", 800, 140), ("105.31", 960, 140),
                     ("13%", 1090, 140), ("13.69", 1250, 140)]])
    assert items[0]["name"] == "*贵金属*黄金饰品"


#: the standard (2016-2023) form's item heads, centred on their columns (doc_from_pieces
#: prints 11 px a character at this height)
STANDARD_HEAD = [("货物或应税劳务、服务名称", 144), ("规格型号", 433), ("单位", 554), ("数量", 634), ("单价", 754),
                 ("金额", 919), ("税率", 1044), ("税额", 1214)]


def _standard(rows: list[list[tuple[str, float, float]]], dx: float = 0.0) -> list[dict]:
    """The item list of a standard form whose values (``(text, x, y)``, x on the form) are
    printed ``dx`` right of their boxes."""
    pieces = [(t, x, 100, H) for t, x in STANDARD_HEAD]
    pieces += [(t, x + dx, y, H) for row in rows for t, x, y in row]
    y_end = max(y for row in rows for _, _, y in row) + 40
    pieces += [("合计", 150, y_end, H), ("￥105.75", 935 + dx, y_end, H), ("￥13.75", 1286 + dx, y_end, H),
               ("价税合计(大写)", 60, y_end + 40, H), ("(小写)", 960, y_end + 40, H)]
    _, extra = vat_invoice(doc_from_pieces(pieces, size=(1400.0, y_end + 100)))
    return extra["item_list"]


# names, models and units flush left in their columns, numbers flush right
ROWS = [[("*餐饮服务*餐费", 48, 140), ("次", 538, 140), ("1", 662, 140), ("92.00", 777, 140), ("92.00", 957, 140),
         ("6%", 1060, 140), ("5.52", 1308, 140)],
        [("*办公用品*打印纸", 48, 176), ("A4", 388, 176), ("箱", 538, 176), ("2", 662, 176), ("6.88", 788, 176),
         ("13.75", 957, 176), ("13%", 1049, 176), ("1.79", 1308, 176)]]


def test_values_printed_off_their_boxes_keep_their_columns():
    """A needle printer's layer shifted 40 px left of the form: the amounts' flush-right ends
    tell the shift, and each value keeps its column (the unit is not the model's)."""
    for dx in (0.0, -40.0, 35.0):
        items = _standard(ROWS, dx)
        assert [(r["unit"], r["quantity"], r["specification"], r["tax_rate"]) for r in items] == \
            [("次", "1", "", "6%"), ("箱", "2", "A4", "13%")], dx


def test_units_read_as_one_vertical_line_are_dealt_to_their_rows():
    """``个次`` read down two rows' unit cells, the first row's unit read alone."""
    rows = [[(t, x, y) for t, x, y in ROWS[0]],
            [(t, x, y) for t, x, y in ROWS[1] if t != "箱"],
            [("*运输服务*客运服务费", 48, 212), ("1", 662, 212), ("30.00", 777, 212), ("30.00", 957, 212),
             ("3%", 1060, 212), ("0.90", 1308, 212)]]
    rows[0] = [p for p in rows[0] if p[0] != "次"] + [("瓶", 538, 140)]
    doc_rows = rows + [[("个次", 538, 194)]]
    items = _standard(doc_rows)
    assert [r["unit"] for r in items] == ["瓶", "个", "次"]


def test_kind_told_by_the_form_where_the_title_is_not_read_whole():
    """A pieced-together title that lost 电子 takes the kind the code names; a fully digital
    invoice (20-digit number, no code) whose title the seal hides is one by its number."""
    from ocrframe.testing.doctext import doc_from_rows

    f, extra = vat_invoice(doc_from_rows([[("深圳增值", 380), ("普通发票", 640), ("发票代码：044032200411", 840)],
                                          [("发票号码：46480135", 840)]]))
    assert f["type"].value == "增值税电子普通发票" and "told from the code" in extra["extra_info"]["inferred"]
    f, _ = vat_invoice(doc_from_rows([[("增值税普通发票", 380), ("发票代码：044032200411", 840)],
                                      [("发票号码：46480135", 840)]]))
    assert f["type"].value == "增值税普通发票"  # read whole: the title stands
    f, extra = vat_invoice(doc_from_rows([[("发票号码：24112000000052340515", 856)], [("开票日期：2024年06月02日", 855)]]))
    assert f["type"].value == "电子发票（普通发票）" and f["type"].confidence < 0.6
    assert "fully digital" in extra["extra_info"]["inferred"]


def test_quantity_read_glued_to_the_next_cell_is_split_by_the_arithmetic():
    from ocrframe.engine.extract.vat_table import _split_glued_quantity

    row = {"quantity": "", "unit_price": "172091.7358490566", "amount": "72091.74"}
    assert _split_glued_quantity(row) == ("unit_price", "1", "72091.7358490566")
    # 单价 before 数量 (the passenger-transport form): the quantity glued to the amount
    assert _split_glued_quantity({"quantity": "", "unit_price": "10.873786407767", "amount": "110.87"}) == \
        ("amount", "1", "10.87")
    assert _split_glued_quantity({"quantity": "", "unit_price": "316.46", "amount": "49.38"}) == \
        ("unit_price", "3", "16.46")
    # cells that already agree, or no split that does: left alone
    assert _split_glued_quantity({"quantity": "", "unit_price": "16.46", "amount": "16.46"}) is None
    assert _split_glued_quantity({"quantity": "", "unit_price": "316.46", "amount": "50.00"}) is None
    assert _split_glued_quantity({"quantity": "2", "unit_price": "316.46", "amount": "49.38"}) is None


def test_remarks_above_their_centred_vertical_caption():
    """The fully digital form centres 备 / 注 down the remarks cell's left edge and prints the
    remark from the cell's top, above the caption's first character; the 价税合计 row's
    words above the cell are no remark."""
    from ocrframe.testing.doctext import doc_from_pieces

    for caption in ([("备注", 8, 652, 29)], [("备", 12, 640, 28), ("注", 10, 668, 28)]):
        d = doc_from_pieces([("发票号码：25927000000151414144", 850, 30, 22), ("价税合计（大写）", 74, 575, 24),
                             ("贰佰伍拾圆整", 307, 572, 24), ("(小写)¥250.00", 797, 573, 24),
                             ("2660002910011880", 40, 608, 19)] + caption + [("开票人：于翠莲", 85, 751, 27)],
                            size=(1190.0, 800.0))
        f, _ = vat_invoice(d)
        assert f["remarks"].value == "2660002910011880", caption


def test_a_wrapped_model_joins_without_a_space_and_keeps_its_own():
    items = _table([
        [("*计算机配套产品*鼠标", 60, 140), ("G502炫光自适", 420, 140), ("1", 690, 140), ("264.60", 800, 140),
         ("264.60", 960, 140), ("13%", 1090, 140), ("34.40", 1250, 140)],
        [("应游戏鼠标", 420, 162)],
        [("*电子元件*电阻", 60, 190), ("0603 10K", 420, 190), ("1", 690, 190), ("0.44", 800, 190),
         ("0.44", 990, 190), ("13%", 1090, 190), ("0.06", 1260, 190)],
    ])
    assert [r["specification"] for r in items] == ["G502炫光自适应游戏鼠标", "0603 10K"]


def test_side_by_side_blocks_without_their_captions_read():
    """The fully digital form's buyer (left) and seller (right) blocks, their vertical
    captions not read: each label's value is the block's own."""
    from ocrframe.testing.doctext import doc_from_rows

    f, _ = vat_invoice(doc_from_rows([
        [("电子发票（增值税专用发票）", 340), ("发票号码：25312383184491270030", 750)],
        [("名称：上海金鼎物流有限责任公司", 70), ("名称：上海鼎盛科技股份有限公司", 563)],
        [("统一社会信用代码/纳税人识别号：", 71), ("9131011576B1DX4PP7", 269), ("统一社会信用代码/纳税人识别号：", 564),
         ("91310115JNFKU6WXGB", 780)]]))
    assert [f[k].value for k in ("buyer_name", "buyer_id", "seller_name", "seller_id")] == \
        ["上海金鼎物流有限责任公司", "9131011576B1DX4PP7", "上海鼎盛科技股份有限公司", "91310115JNFKU6WXGB"]


def test_sum_row_amounts_of_a_skewed_photo():
    """A photo not squared up: the 合计 row's far right amount stands nearly as low as the
    价税合计 row's label; it is the 合计 row's all the same."""
    slope = 0.03

    def piece(t, x, y):
        return (t, x, y + slope * x, H)

    pieces = [piece(t, x, 100) for t, x in HEAD] + [
        piece("*餐饮服务*餐费", 60, 140), piece("1", 690, 140), piece("708.18", 800, 140),
        piece("708.18", 960, 140), piece("9%", 1100, 140), piece("63.74", 1250, 140),
        piece("合计", 120, 190), piece("￥708.18", 940, 190), piece("￥63.74", 1240, 190),
        piece("价税合计（大写）", 60, 225), piece("柒佰柒拾壹圆玖角贰分", 300, 225)]
    f, _ = vat_invoice(doc_from_pieces(pieces, size=(1400.0, 300.0)))
    assert (f["subtotal_amount"].value, f["subtotal_tax"].value) == ("￥708.18", "￥63.74")


def test_block_values_told_by_form_keep_long_accounts_and_mobile_phones():
    """Labels unread: a 20-digit account stays whole, an address ending in a mobile number
    is an address (not a bank account's tail)."""
    from ocrframe.engine.extract.vat_invoice import XMap, _block_by_form
    from ocrframe.testing.doctext import doc_from_rows

    d = doc_from_rows([[("江苏省南通市崇川区青年中路69号201室18136509082", 180)],
                       [("中国建设银行南通青年中路支行32050164864200000378", 180)],
                       [("交通银行郑州二七支行 3497713347594951", 180)]])
    got = {k: v.value for k, v in _block_by_form(d, range(2), XMap([])).items()}
    assert got == {"address": "江苏省南通市崇川区青年中路69号201室 18136509082",
                   "bank": "中国建设银行南通青年中路支行 32050164864200000378"}
    got = {k: v.value for k, v in _block_by_form(d, range(2, 3), XMap([])).items()}
    assert got == {"bank": "交通银行郑州二七支行 3497713347594951"}


def test_columns_placed_by_their_own_heads_in_any_order():
    """The passenger-transport form prints 单价 before 数量 and no 规格型号 / 单位: each value
    goes to the column whose printed head it stands under."""
    head = [("项目名称", 127), ("单价", 352), ("数量", 529), ("金额", 689), ("税率/征收率", 823), ("税额", 1078)]
    pieces = [("名称：某某科技有限公司", 60, 40, H)] + [(t, x, 100, H) for t, x in head] + [
        ("*运输服务*客运服务费", 2, 140, H), ("54.55", 366, 140, H), ("1", 576, 140, H), ("54.55", 704, 140, H),
        ("3%", 857, 140, H), ("1.64", 1103, 140, H), ("合计", 120, 180, H), ("￥54.55", 690, 180, H),
        ("价税合计（大写）", 60, 220, H)]
    _, extra = vat_invoice(doc_from_pieces(pieces, size=(1200.0, 300.0)))
    row = extra["item_list"][0]
    assert (row["unit_price"], row["quantity"], row["amount"], row["tax_rate"], row["tax"]) == \
        ("54.55", "1", "54.55", "3%", "1.64")
