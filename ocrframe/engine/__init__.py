"""The local auto-classification engine (offline, CPU): OCR, localisation, classification,
field extraction and validation. Heavy dependencies (rapidocr, onnxruntime, opencv) are
imported by the submodules that need them; ``pip install 'ocrframe[engine]'``.

Modules: :mod:`.ocr` (RapidOCR, bundled models, once per process; :mod:`.runtime` where
they run, :mod:`.resolution` the detection scale), :mod:`.decode` (request limits and
image/PDF decoding), :mod:`.locate` (document quads; :mod:`.outlines` from the image alone),
:mod:`.classify` (types), :mod:`.extract` (fields per type), :mod:`.validate` (check
digits), :mod:`.params` (the tunable knobs, :class:`~.params.EngineParams`),
:mod:`.pipeline` (all of it, to the contract's JSON).
"""

#: bumped whenever a change alters the engine's answers (part of LocalEngine.identity)
ENGINE_VERSION = "0.1"

__all__ = ["ENGINE_VERSION"]
