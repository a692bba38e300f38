"""ocrframe: multi-document OCR (auto-classification) native to pandas."""

from .types import DocType, Status, REGISTRY, schema

__version__ = "0.1.0"
