"""Test helpers: a fake cloud service on 127.0.0.1 (see :mod:`ocrframe.testing.fake_cloud`)."""
