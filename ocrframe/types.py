"""The one registry of document types, their field schemas and the status codes.

Every other module asks this one what a type is called, which fields it carries
and what a status code means; no module spells a type or a code as a literal.

Examples
--------
>>> from ocrframe.types import DocType, schema, Status
>>> schema(DocType.QUOTA_INVOICE).field_names
('code', 'number', 'amount', 'location')
>>> schema("quota_invoice").name_zh
'定额发票'
>>> Status.OK.code, Status.OK.message
('AIS.0000', 'Succeeded.')
>>> Status.from_code("AIS.0103").http_status
400
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

__all__ = [
    "DocType",
    "FieldKind",
    "FieldSpec",
    "ListSpec",
    "DocSchema",
    "REGISTRY",
    "ORIGINAL_TYPES",
    "NEWER_TYPES",
    "DOC_TYPE_DTYPE",
    "schema",
    "parse_type",
    "parse_type_list",
    "Status",
]


class DocType(str, enum.Enum):
    """A document type, valued by its wire name (``DocType.PASSPORT == "passport"``)."""

    ID_CARD_PORTRAIT_SIDE = "id_card_portrait_side"
    ID_CARD_EMBLEM_SIDE = "id_card_emblem_side"
    VEHICLE_LICENSE_FRONT = "vehicle_license_front"
    VEHICLE_LICENSE_BACK = "vehicle_license_back"
    DRIVER_LICENSE_FRONT = "driver_license_front"
    DRIVER_LICENSE_BACK = "driver_license_back"
    PASSPORT = "passport"
    BANKCARD = "bankcard"
    TRANSPORTATION_LICENSE = "transportation_license"
    VAT_INVOICE = "vat_invoice"
    VAT_ROLL_INVOICE = "vat_roll_invoice"
    MVS_INVOICE = "mvs_invoice"
    TAXI_INVOICE = "taxi_invoice"
    TRAIN_TICKET = "train_ticket"
    QUOTA_INVOICE = "quota_invoice"
    TOLL_INVOICE = "toll_invoice"
    FLIGHT_ITINERARY = "flight_itinerary"
    # the newer API's additions
    BUS_SHIP_TICKET = "bus_ship_ticket"
    RIDE_HAILING_ITINERARY = "ride_hailing_itinerary"
    MACHINE_PRINTED_INVOICE = "machine_printed_invoice"

    def __str__(self) -> str:  # print as the wire name
        return self.value


class FieldKind(str, enum.Enum):
    """How a field's value is compared and validated (see ``ocrframe.normalize``)."""

    TEXT = "text"  # names, addresses, free text: whitespace and width folding
    CODE = "code"  # identifiers: digits/letters, case and separators folded
    DATE = "date"  # calendar dates in any printed form
    TIME = "time"  # clock times
    MONEY = "money"  # amounts, with or without currency sign
    NUMBER = "number"  # quantities, distances, masses
    RATE = "rate"  # percentages such as tax rates
    MONEY_WORDS = "money_words"  # Chinese capital amounts (大写金额)


@dataclass(frozen=True)
class FieldSpec:
    """One content key of a document type."""

    name: str
    kind: FieldKind = FieldKind.TEXT
    label_zh: str = ""


@dataclass(frozen=True)
class ListSpec:
    """A nested list field (e.g. VAT ``item_list``): one dict per printed row."""

    name: str
    fields: tuple[FieldSpec, ...]
    label_zh: str = ""

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class DocSchema:
    """A document type with its Chinese name and its core field schema."""

    type: DocType
    name_zh: str
    fields: tuple[FieldSpec, ...]
    lists: tuple[ListSpec, ...] = ()
    newer: bool = False  # only in the newer API (not among the original 17)
    schema_source: str = "huaweicloudsdkocr"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def list_names(self) -> tuple[str, ...]:
        return tuple(lst.name for lst in self.lists)

    def field(self, name: str) -> FieldSpec:
        """The spec of a top-level field, or of a nested one by dotted key.

        ``item_list.0.amount`` and ``item_list.amount`` both resolve to the
        ``amount`` spec of ``item_list``.
        """
        head, _, rest = name.partition(".")
        for f in self.fields:
            if f.name == name:
                return f
        for lst in self.lists:
            if lst.name == head and rest:
                leaf = rest.split(".")[-1]
                for f in lst.fields:
                    if f.name == leaf:
                        return f
        raise KeyError(f"{self.type.value} has no field {name!r}; fields: {', '.join(self.field_names + self.list_names)}")

    def kind_of(self, name: str) -> FieldKind:
        """The kind of a (possibly dotted) field; TEXT for keys outside the core schema."""
        try:
            return self.field(name).kind
        except KeyError:
            return FieldKind.TEXT


T, C, D, TM, M, N, R, W = (
    FieldKind.TEXT,
    FieldKind.CODE,
    FieldKind.DATE,
    FieldKind.TIME,
    FieldKind.MONEY,
    FieldKind.NUMBER,
    FieldKind.RATE,
    FieldKind.MONEY_WORDS,
)


def _f(spec: str) -> tuple[FieldSpec, ...]:
    """Compact field list: ``"name:kind:标签 other:kind:标签"`` (kind letter T C D TM M N R W)."""
    kinds = {"T": T, "C": C, "D": D, "TM": TM, "M": M, "N": N, "R": R, "W": W}
    out = []
    for item in spec.split():
        name, kind, label = (item.split(":") + ["", ""])[:3]
        out.append(FieldSpec(name, kinds[kind or "T"], label))
    return tuple(out)


_SCHEMAS = [
    DocSchema(DocType.ID_CARD_PORTRAIT_SIDE, "身份证头像面", _f(
        "name:T:姓名 sex:T:性别 ethnicity:T:民族 birth:D:出生 address:T:住址 number:C:公民身份号码")),
    DocSchema(DocType.ID_CARD_EMBLEM_SIDE, "身份证国徽面", _f(
        "issue:T:签发机关 valid_from:D:有效期限 valid_to:D:有效期限")),
    DocSchema(DocType.VEHICLE_LICENSE_FRONT, "行驶证主页", _f(
        "number:C:号牌号码 vehicle_type:T:车辆类型 name:T:所有人 address:T:住址 use_character:T:使用性质 "
        "model:T:品牌型号 vin:C:车辆识别代号 engine_no:C:发动机号码 register_date:D:注册日期 "
        "issue_date:D:发证日期 issuing_authority:T:发证机关")),
    DocSchema(DocType.VEHICLE_LICENSE_BACK, "行驶证副页", _f(
        "number:C:号牌号码 file_no:C:档案编号 approved_passengers:T:核定载人数 gross_mass:T:总质量 "
        "unladen_mass:T:整备质量 approved_load:T:核定载质量 dimension:T:外廓尺寸 "
        "traction_mass:T:准牵引总质量 remarks:T:备注 inspection_record:T:检验记录")),
    DocSchema(DocType.DRIVER_LICENSE_FRONT, "驾驶证主页", _f(
        "number:C:证号 name:T:姓名 sex:T:性别 nationality:T:国籍 address:T:住址 birth:D:出生日期 "
        "issue_date:D:初次领证日期 class:C:准驾车型 valid_from:D:有效期限 valid_to:D:有效期限 "
        "issuing_authority:T:发证机关")),
    DocSchema(DocType.DRIVER_LICENSE_BACK, "驾驶证副页", _f(
        "number:C:证号 name:T:姓名 file_number:C:档案编号 record:T:记录")),
    DocSchema(DocType.PASSPORT, "护照", _f(
        "passport_type:C:类型 country_code:C:国家码 passport_number:C:护照号 nationality:T:国籍 "
        "surname:T:姓 given_name:T:名 sex:T:性别 date_of_birth:D:出生日期 date_of_expiry:D:有效期至 "
        "date_of_issue:D:签发日期 place_of_birth:T:出生地点 place_of_issue:T:签发地点 "
        "issuing_authority:T:签发机关")),
    DocSchema(DocType.BANKCARD, "银行卡", _f(
        "bank_name:T:发卡行 card_number:C:卡号 issue_date:D:发卡日期 expiry_date:D:有效期 type:T:卡类型")),
    DocSchema(DocType.TRANSPORTATION_LICENSE, "道路运输证", _f(
        "owner_name:T:业户名称 license_number:C:道路运输证号 vehicle_number:C:车辆号牌 "
        "vehicle_type:T:车辆类型 maximum_capacity:T:吨(座)位 vehicle_size:T:车辆尺寸 "
        "issuing_authority:T:核发机关 issue_date:D:发证日期 owner_address:T:地址 "
        "economic_type:T:经济类型 business_certificate:C:经营许可证 business_scope:T:经营范围")),
    DocSchema(DocType.VAT_INVOICE, "增值税发票", _f(
        "type:T:发票类型 code:C:发票代码 number:C:发票号码 issue_date:D:开票日期 check_code:C:校验码 "
        "machine_number:C:机器编号 buyer_name:T:购买方名称 buyer_id:C:纳税人识别号 "
        "buyer_address:T:地址、电话 buyer_bank:T:开户行及账号 seller_name:T:销售方名称 "
        "seller_id:C:纳税人识别号 seller_address:T:地址、电话 seller_bank:T:开户行及账号 "
        "subtotal_amount:M:合计金额 subtotal_tax:M:合计税额 total:M:价税合计(小写) "
        "total_in_words:W:价税合计(大写) remarks:T:备注 receiver:T:收款人 reviewer:T:复核 issuer:T:开票人"),
        lists=(ListSpec("item_list", _f(
            "name:T:货物或应税劳务、服务名称 specification:T:规格型号 unit:T:单位 quantity:N:数量 "
            "unit_price:M:单价 amount:M:金额 tax_rate:R:税率 tax:M:税额"), "明细"),)),
    DocSchema(DocType.VAT_ROLL_INVOICE, "增值税普通发票（卷票）", _f(
        "code:C:发票代码 number:C:发票号码 issue_date:D:开票日期 check_code:C:校验码 "
        "machine_number:C:机器编号 buyer_name:T:购买方名称 buyer_id:C:购买方税号 "
        "seller_name:T:销售方名称 seller_id:C:销售方税号 total:M:合计金额(小写) "
        "total_in_words:W:合计金额(大写)"),
        lists=(ListSpec("item_list", _f("name:T:项目 quantity:N:数量 unit_price:M:单价 amount:M:金额"), "明细"),)),
    DocSchema(DocType.MVS_INVOICE, "机动车销售统一发票", _f(
        "code:C:发票代码 number:C:发票号码 issue_date:D:开票日期 machine_number:C:机器编号 "
        "buyer_name:T:购买方名称 buyer_id:C:身份证号码/组织机构代码 seller_name:T:销货单位名称 "
        "seller_id:C:纳税人识别号 seller_address:T:地址 seller_phone:C:电话 seller_bank:T:开户银行 "
        "seller_account:C:账号 vehicle_type:T:车辆类型 brand_model:T:厂牌型号 "
        "manufacturing_location:T:产地 quality_certificate:C:合格证号 engine_number:C:发动机号码 "
        "vehicle_identification_number:C:车辆识别代号/车架号码 tax_rate:R:增值税税率 tax:M:增值税税额 "
        "tax_exclusive_price:M:不含税价 total:M:价税合计(小写) total_chinese:W:价税合计(大写) "
        "tax_authority:T:主管税务机关 tax_authority_code:C:主管税务机关代码")),
    DocSchema(DocType.TAXI_INVOICE, "出租车发票", _f(
        "code:C:发票代码 number:C:发票号码 phone_number:C:监督电话 taxi_number:C:车号 "
        "certificate_number:C:证号 date:D:日期 boarding_time:TM:上车 alighting_time:TM:下车 "
        "unit_price:M:单价 distance:N:里程 waiting_time:T:等候 total:M:金额")),
    DocSchema(DocType.TRAIN_TICKET, "火车票", _f(
        "ticket_id:C:票号 check_port:T:检票口 train_number:C:车次 departure_station:T:出发站 "
        "destination_station:T:到达站 departure_time:T:开车时间 seat_number:T:座位号 "
        "ticket_price:M:票价 seat_category:T:席别 id_number:C:身份证号 name:T:姓名 "
        "sale_location:T:售票地点")),
    DocSchema(DocType.QUOTA_INVOICE, "定额发票", _f(
        "code:C:发票代码 number:C:发票号码 amount:M:金额 location:T:地区")),
    DocSchema(DocType.TOLL_INVOICE, "车辆通行费发票", _f(
        "code:C:发票代码 number:C:发票号码 entry:T:入口 exit:T:出口 amount:M:金额 "
        "vehicle_type:T:车型 date:D:日期 time:TM:时间")),
    DocSchema(DocType.FLIGHT_ITINERARY, "飞机行程单", _f(
        "serial_number:C:印刷序号 passenger_name:T:旅客姓名 id_number:C:有效身份证件号码 "
        "e_ticket_number:C:电子客票号码 check_code:C:验证码 fare:M:票价 "
        "caac_development_fund:M:民航发展基金 fuel_surcharge:M:燃油附加费 other_taxes:M:其他税费 "
        "total:M:合计 issue_date:D:填开日期 agent_code:C:销售单位代号 issue_organization:T:填开单位"),
        lists=(ListSpec("itinerary_list", _f(
            "departure_station:T:自 destination_station:T:至 carrier:T:承运人 flight:C:航班号 "
            "cabin_class:C:座位等级 date:D:日期 time:TM:时间"), "航段"),)),
    # The newer API's three types. Their result models are not in huaweicloudsdkocr 3.1.219,
    # so these schemas follow the service's per-type APIs as documented, not the SDK.
    DocSchema(DocType.BUS_SHIP_TICKET, "车船票", _f(
        "code:C:发票代码 number:C:发票号码 departure_station:T:出发站 destination_station:T:到达站 "
        "date:D:日期 time:TM:时间 amount:M:票价 name:T:姓名"), newer=True, schema_source="service docs"),
    DocSchema(DocType.RIDE_HAILING_ITINERARY, "网约车行程单", _f(
        "service_provider:T:服务商 application_date:D:申请日期 trip_start_date:D:行程起始日期 "
        "trip_end_date:D:行程结束日期 phone_number:C:行程人手机号 total:M:合计"),
        lists=(ListSpec("itinerary_list", _f(
            "car_type:T:车型 pick_up_time:T:上车时间 city:T:城市 start_place:T:起点 end_place:T:终点 "
            "distance:N:里程 amount:M:金额"), "行程"),), newer=True, schema_source="service docs"),
    DocSchema(DocType.MACHINE_PRINTED_INVOICE, "通用机打发票", _f(
        "code:C:发票代码 number:C:发票号码 issue_date:D:开票日期 check_code:C:校验码 "
        "buyer_name:T:购买方名称 buyer_id:C:购买方税号 seller_name:T:销售方名称 seller_id:C:销售方税号 "
        "total:M:合计金额(小写) total_in_words:W:合计金额(大写)"),
        lists=(ListSpec("item_list", _f("name:T:项目 quantity:N:数量 unit_price:M:单价 amount:M:金额"), "明细"),),
        newer=True, schema_source="service docs"),
]

REGISTRY: dict[DocType, DocSchema] = {s.type: s for s in _SCHEMAS}
ORIGINAL_TYPES: tuple[DocType, ...] = tuple(s.type for s in _SCHEMAS if not s.newer)
NEWER_TYPES: tuple[DocType, ...] = tuple(s.type for s in _SCHEMAS if s.newer)

#: the dtype of the documents frame's ``type`` column: categorical over every supported type
DOC_TYPE_DTYPE = pd.CategoricalDtype(categories=[t.value for t in DocType], ordered=False)

_BY_VALUE = {t.value: t for t in DocType}


def parse_type(value: str | DocType) -> DocType:
    """The :class:`DocType` for a wire name; ``ValueError`` naming the known ones otherwise.

    Examples
    --------
    >>> parse_type("bankcard")
    <DocType.BANKCARD: 'bankcard'>
    """
    if isinstance(value, DocType):
        return value
    try:
        return _BY_VALUE[value]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown document type {value!r}; supported: {', '.join(_BY_VALUE)}"
        ) from None


def parse_type_list(values: Iterable[str | DocType] | str | None) -> tuple[DocType, ...] | None:
    """Validate a ``type_list`` option (None = all types), keeping order, dropping repeats.

    Examples
    --------
    >>> parse_type_list(["passport", "bankcard", "passport"])
    (<DocType.PASSPORT: 'passport'>, <DocType.BANKCARD: 'bankcard'>)
    >>> parse_type_list(None) is None
    True
    """
    if values is None:
        return None
    if isinstance(values, (str, DocType)):
        values = [values]
    out: list[DocType] = []
    for v in values:
        t = parse_type(v)
        if t not in out:
            out.append(t)
    if not out:
        raise ValueError("type_list is empty; pass None to recognise every supported type")
    return tuple(out)


def schema(doc_type: str | DocType) -> DocSchema:
    """The schema of a document type (by :class:`DocType` or wire name)."""
    return REGISTRY[parse_type(doc_type)]


@dataclass(frozen=True)
class _StatusInfo:
    code: str
    message: str
    http_status: int
    transient: bool = False  # worth retrying later: not stored as a final answer


class Status(enum.Enum):
    """Status codes: the service's own (``AIS.*``, ``ModelArts.*``, gateway) and ocrframe's
    client-side ones (``OCRFRAME.*``) for faults that never reached a service.

    ``code`` is what the ``status`` column holds; ``message`` the default text;
    ``http_status`` what a compatible server answers; ``transient`` whether a later
    run should try again (transient errors are never cached in the response store).
    """

    OK = _StatusInfo("AIS.0000", "Succeeded.", 200)
    INVALID_PARAMETER = _StatusInfo("AIS.0101", "The input parameter is invalid.", 400)
    UNSUPPORTED_FORMAT = _StatusInfo("AIS.0102", "The image format is not supported.", 400)
    IMAGE_SIZE = _StatusInfo("AIS.0103", "The image size does not meet the requirements.", 400)
    POOR_QUALITY = _StatusInfo("AIS.0104", "The image is not supported or the image quality is poor.", 400)
    RECOGNITION_FAILED = _StatusInfo("AIS.0105", "Recognition failed.", 400)
    SERVICE_NOT_ENABLED = _StatusInfo("ModelArts.4204", "The service has not been enabled.", 403)
    UNAUTHORIZED = _StatusInfo("APIGW.0301", "Incorrect IAM authentication information.", 401)
    FORBIDDEN = _StatusInfo("APIGW.0302", "The IAM user is not authorized to access the API.", 403)
    THROTTLED = _StatusInfo("APIGW.0308", "The request is throttled.", 429, transient=True)
    SERVER_ERROR = _StatusInfo("AIS.0500", "Internal server error.", 500, transient=True)
    # client side: the request never reached a service, or its answer was unusable
    FILE_NOT_FOUND = _StatusInfo("OCRFRAME.0001", "The image file does not exist.", 400)
    FILE_UNREADABLE = _StatusInfo("OCRFRAME.0002", "The image file could not be read.", 400)
    BAD_INPUT = _StatusInfo("OCRFRAME.0003", "The input value is not an image path, URL or bytes.", 400)
    CONNECTION_ERROR = _StatusInfo("OCRFRAME.0004", "The service could not be reached.", 503, transient=True)
    TIMEOUT = _StatusInfo("OCRFRAME.0005", "The request timed out.", 504, transient=True)
    BAD_RESPONSE = _StatusInfo("OCRFRAME.0006", "The service returned a malformed response.", 502, transient=True)
    BACKEND_ERROR = _StatusInfo("OCRFRAME.0007", "The backend failed unexpectedly.", 500, transient=True)
    NOT_IN_REPLAY = _StatusInfo("OCRFRAME.0008", "No saved response for this image.", 404, transient=True)

    @property
    def code(self) -> str:
        return self.value.code

    @property
    def message(self) -> str:
        return self.value.message

    @property
    def http_status(self) -> int:
        return self.value.http_status

    @property
    def transient(self) -> bool:
        return self.value.transient

    @classmethod
    def from_code(cls, code: str) -> "Status | None":
        """The known status for a code string, or None for a code we do not know."""
        return _STATUS_BY_CODE.get(code)


_STATUS_BY_CODE = {s.code: s for s in Status}
