"""The cloud client under the batch runner and the response store (the issue's "done when")."""

from __future__ import annotations

import pytest

pytest.importorskip("requests")
batch = pytest.importorskip("ocrframe.batch")  # the lead's runner; skipped until it is merged

from ocrframe.backends.http import HTTPService, RetryPolicy
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


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_2000_images_with_faults_through_the_runner_and_store(tmp_path, rate):
    """Fault injection: none lost, none answered twice, and the next run asks only for what
    the first could not store (the 200s that arrived unreadable)."""
    images = values(2000)
    with FakeCloud(faults=FaultPlan(rate=rate, seed=11), project_id="p", keep_records=True) as fake:
        svc = HTTPService(fake.url, project_id="p", retry=FAST, check_images=False, trust_env=False)
        store = tmp_path / "store.sqlite"
        answers, stats = batch.run_backend(images, svc, store=str(store), workers=16, progress=False)
        assert len(answers) == 2000  # none lost: an answer or an error row for each
        errors = [i for i, a in enumerate(answers) if isinstance(a, ApiError)]
        assert all(answers[i].code == "OCRFRAME.0006" and answers[i].transient for i in errors)
        assert 0.8 * rate * 2000 <= sum(1 for r in fake.ocr_records() if r.attempt == 1 and r.fault != "ok")
        assert fake.answered_twice() == 0  # billing-safe by default
        assert stats.billable_documents == svc.stats["billable_documents"]
        assert stats.failed_images == len(errors) > 0

        seen = len(fake.ocr_records())
        again, stats2 = batch.run_backend(images, svc, store=str(store), workers=16, progress=False)
        import hashlib
        import base64

        asked = {r.key for r in fake.ocr_records()[seen:] if r.attempt > 0}
        unstored = {hashlib.sha256(base64.b64encode(images[i])).hexdigest()[:16] for i in errors}
        assert asked <= unstored  # the second run asks only what the first could not store
        assert stats2.cached == 2000 - len(errors)
        done = [a for a in again if isinstance(a, Response)]
        assert len(done) >= 2000 - len(errors) * rate  # the rest fail again only if unlucky twice
        seen = fake.n_requests
        final, stats3 = batch.run_backend(images, svc, store=str(store), workers=16, progress=False)
        assert stats3.cached == len(done)  # every stored image comes from the store ...
        assert fake.n_requests - seen == 2000 - len(done)  # ... and only the others are asked again


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
