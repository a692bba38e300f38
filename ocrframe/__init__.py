"""ocrframe: multi-document OCR (auto-classification) native to pandas.

``import ocrframe`` registers the ``df.ocr`` accessor.
"""

from . import accessor as _accessor  # noqa: F401  (registers df.ocr)
from . import evaluate, geometry, io, normalize
from .evaluate import Evaluation
from .backends import Backend, ImageInput, Replay, RequestOptions, resolve_backend
from .io.labels import LabelsError, read_labels, write_labels
from .datasets.sample import load_sample
from .errors import ApiError, AuthenticationError, OcrError, ResponseValidationError
from .frames import DOC_COLUMNS, documents_frame, fields_frame
from .persist import read_parquet, to_parquet
from .response import Document, Response, parse_answer, parse_response
from .store import ResponseStore
from .types import REGISTRY, DocType, FieldKind, Status, schema

from ._version import __version__  # noqa: F401  (the one place it is set)

__all__ = [
    "ApiError", "AuthenticationError", "Evaluation", "evaluate", "geometry", "io", "normalize", "Backend", "DOC_COLUMNS", "DocType", "Document", "FieldKind",
    "ImageInput", "LabelsError", "OcrError", "REGISTRY", "Replay", "RequestOptions", "Response", "ResponseStore",
    "ResponseValidationError", "Status", "documents_frame", "fields_frame", "parse_answer",
    "parse_response", "read_labels", "read_parquet", "resolve_backend", "schema", "to_parquet", "write_labels",
    "load_sample", "LocalEngine", "HuaweiCloud", "HTTPService",
]


#: optional parts, imported on first use so `import ocrframe` stays light: name -> module
_LAZY = {
    "LocalEngine": ".backends.local",
    "HuaweiCloud": ".backends.huawei",
    "HTTPService": ".backends.http",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'ocrframe' has no attribute {name!r}")
