"""The cloud client under the batch runner and the response store (the issue's "done when")."""

from __future__ import annotations

import pytest

pytest.importorskip("requests")
batch = pytest.importorskip("ocrframe.batch")  # the lead's runner; skipped until it is merged

from ocrframe.backends.http import HTTPService
from ocrframe.backends.http_common import RetryPolicy
from ocrframe.errors import ApiError, AuthenticationError
from ocrframe.response import Response
from ocrframe.testing.fake_cloud import FakeCloud, FaultPlan

FAST = RetryPolicy(max_retries=3, backoff=0.002, backoff_max=0.01)


def values(n: int) -> list[bytes]:
    """Distinct PNG files (a real 16 x 16 header, a counter after the end)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buf, "PNG")
    return [buf.getvalue() + i.to_bytes(4, "big") for i in range(n)]


def test_2000_images_with_faults_through_the_runner_and_store(tmp_path):
    with FakeCloud(faults=FaultPlan(rate=0.2, seed=11), project_id="p") as fake:
        svc = HTTPService(fake.url, project_id="p", retry=FAST, check_images=False, trust_env=False)
        store = tmp_path / "store.sqlite"
        answers, stats = batch.run_backend(values(2000), svc, store=str(store), workers=16, progress=False)
        assert len(answers) == 2000 and all(isinstance(a, Response) for a in answers)  # none lost
        assert sum(1 for r in fake.ocr_records() if r.attempt == 1 and r.fault != "ok") >= 300
        assert max(fake.successes.values()) == 1  # never requested again after a success
        assert stats.billable_documents == svc.stats["billable_documents"]
        assert stats.failed_images == 0

        seen = fake.n_requests
        again, stats2 = batch.run_backend(values(2000), svc, store=str(store), workers=16, progress=False)
        assert fake.n_requests == seen  # the second run makes zero requests
        assert stats2.cached == 2000 and stats2.billable_documents == 0
        assert [a.documents for a in again] == [a.documents for a in answers]


def test_authentication_failure_stops_the_batch_early():
    with FakeCloud(tokens=["good-token-0001"], project_id="p") as fake:
        svc = HTTPService(fake.url, project_id="p", token="bad-token-0002", retry=FAST, trust_env=False)
        with pytest.raises(AuthenticationError) as e:
            batch.run_backend(values(200), svc, workers=4, progress=False)
        assert "bad-token-0002" not in str(e.value)
        assert fake.n_requests <= 2 * 4 + 4  # at most the in-flight window, not 200


def test_request_errors_become_rows_not_exceptions():
    from ocrframe.testing.fake_cloud import Fault

    with FakeCloud(faults=lambda key, attempt: Fault.api_error("AIS.0104", 400, "poor quality"),
                   project_id="p") as fake:
        svc = HTTPService(fake.url, project_id="p", retry=FAST, trust_env=False)  # checks images
        answers, stats = batch.run_backend(values(20) + [b"GIF89a...."], svc, workers=4, progress=False)
        assert all(isinstance(a, ApiError) for a in answers)
        assert {a.code for a in answers[:20]} == {"AIS.0104"} and answers[20].code == "AIS.0102"
        assert stats.failed_images == 21 and fake.n_requests == 20
