import pytest

from ocrframe.types import (DOC_TYPE_DTYPE, NEWER_TYPES, ORIGINAL_TYPES, REGISTRY, DocType, FieldKind, Status,
                            parse_type_list, schema)

CONTRACT_CORE = {  # a sample of api_contract.md's core keys, checked against the registry
    "id_card_portrait_side": "name sex ethnicity birth address number",
    "quota_invoice": "code number amount location",
    "toll_invoice": "code number entry exit amount vehicle_type date time",
    "bankcard": "bank_name card_number issue_date expiry_date type",
    "train_ticket": "ticket_id check_port train_number departure_station destination_station departure_time "
                    "seat_number ticket_price seat_category id_number name sale_location",
}


def test_registry_has_the_17_original_and_3_newer_types():
    assert len(ORIGINAL_TYPES) == 17 and len(NEWER_TYPES) == 3
    assert set(REGISTRY) == set(DocType)
    assert list(DOC_TYPE_DTYPE.categories) == [t.value for t in DocType]
    assert all(REGISTRY[t].name_zh for t in DocType)


@pytest.mark.parametrize("type_name,fields", CONTRACT_CORE.items())
def test_core_fields_follow_the_contract(type_name, fields):
    assert schema(type_name).field_names == tuple(fields.split())


def test_nested_lists_and_kinds():
    vat = schema(DocType.VAT_INVOICE)
    assert vat.list_names == ("item_list",)
    assert vat.kind_of("item_list.3.amount") is FieldKind.MONEY
    assert vat.kind_of("total_in_words") is FieldKind.MONEY_WORDS
    assert vat.kind_of("not_a_field") is FieldKind.TEXT
    assert schema("flight_itinerary").kind_of("itinerary_list.0.date") is FieldKind.DATE


def test_type_list_validation_names_the_bad_value():
    with pytest.raises(ValueError, match="unknown document type 'id_card'"):
        parse_type_list(["id_card"])
    with pytest.raises(ValueError, match="empty"):
        parse_type_list([])


def test_status_codes():
    assert Status.from_code("AIS.0104") is Status.POOR_QUALITY
    assert Status.from_code("nope") is None
    assert Status.THROTTLED.transient and not Status.IMAGE_SIZE.transient
    assert len({s.code for s in Status}) == len(Status)
