import copy
import json

import pytest

from ocrframe.errors import ApiError, ResponseValidationError
from ocrframe.response import loads_answer, parse_answer, parse_error, parse_response
from ocrframe.types import DocType


def test_seed_example_parses_into_three_documents(seed_response):
    r = parse_response(seed_response)
    assert len(r) == 3 and r.billable == 2
    assert [d.status_code for d in r.documents] == ["AIS.0000", "AIS.0000", "AIS.0104"]
    assert all(d.type is DocType.QUOTA_INVOICE for d in r.documents)
    assert r.documents[2].content == {}
    assert r.documents[0].content["confidence"]["amount"] == 0.9848
    assert parse_response(r.to_json()) == r


def _broken(seed, mutate):
    obj = copy.deepcopy(seed)
    mutate(obj)
    return obj


CASES = [
    (lambda o: o.__setitem__("result", {}), "result: expected a list of documents, got dict"),
    (lambda o: o.pop("result"), "result: missing"),
    (lambda o: o["result"][2]["location"].pop(), r"result\[2\].location: expected 4 points, got 3"),
    (lambda o: o["result"][1]["location"].__setitem__(0, [1]), r"result\[1\].location\[0\]: expected an \[x, y\] pair"),
    (lambda o: o["result"][1]["location"].__setitem__(3, ["a", 2]), r"result\[1\].location\[3\]: expected finite numbers"),
    (lambda o: o["result"][0].__setitem__("type", "id_card"), r"result\[0\].type: unknown document type 'id_card'"),
    (lambda o: o["result"][0].pop("type"), r"result\[0\].type: missing"),
    (lambda o: o["result"][0].pop("status"), r"result\[0\].status: missing"),
    (lambda o: o["result"][0]["status"].__setitem__("error_code", 7), r"result\[0\].status.error_code"),
    (lambda o: o["result"][0].__setitem__("content", []), r"result\[0\].content: expected an object"),
    (lambda o: o["result"][1]["content"]["confidence"].__setitem__("code", 1.5),
     r"result\[1\].content.confidence.code: expected a confidence in \[0, 1\], got 1.5"),
    (lambda o: o["result"][1]["content"]["confidence"].__setitem__("code", "high"),
     r"result\[1\].content.confidence.code"),
    (lambda o: o["result"][0].__setitem__("seal_mark", "yes"), r"result\[0\].seal_mark: expected true/false"),
]


@pytest.mark.parametrize("mutate,message", CASES)
def test_malformed_responses_are_rejected_with_the_path(seed_response, mutate, message):
    with pytest.raises(ResponseValidationError, match=message):
        parse_response(_broken(seed_response, mutate))


def test_labels_need_no_status_or_confidence():
    r = parse_response({"result": [{"type": "bankcard", "location": [[0, 0], [1, 0], [1, 1], [0, 1]],
                                    "content": {"card_number": "6222"}}]}, truth=True)
    assert r.documents[0].ok
    assert r.to_json(truth=True)["result"][0] == {
        "type": "bankcard", "location": [[0, 0], [1, 0], [1, 1], [0, 1]], "content": {"card_number": "6222"}}


def test_error_bodies():
    err = parse_answer({"error_code": "AIS.0103", "error_msg": "The image size does not meet the requirements."},
                       http_status=400)
    assert isinstance(err, ApiError) and err.code == "AIS.0103" and err.http_status == 400 and not err.transient
    with pytest.raises(ResponseValidationError, match="error_code"):
        parse_error({"error_msg": "x"})


def test_malformed_json_text_names_the_position(seed_response):
    text = json.dumps(seed_response)[:-10]
    with pytest.raises(ResponseValidationError, match="malformed JSON at line 1 column"):
        loads_answer(text)
