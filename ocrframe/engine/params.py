"""The engine's tunable knobs: one frozen :class:`EngineParams` that
:class:`~ocrframe.LocalEngine` takes and the benchmarks vary
(``benchmarks/engine_accuracy.py --param NAME=VALUE``).

Only levers a user or a benchmark may reasonably turn are here: the engine's finer
thresholds stay named module constants of their stages (``#:`` comments say how each was
chosen). The defaults are the engine's behaviour; a non-default set is part of the
backend's identity, so the response store never mixes answers of different settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

__all__ = ["EngineParams", "DET_POLICIES"]

#: the detection resolution rules (see :class:`ocrframe.engine.ocr.OcrConfig`)
DET_POLICIES = ("rapidocr", "adaptive")
#: the spellings of a true / false value in ``NAME=VALUE``
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


@dataclass(frozen=True)
class EngineParams:
    """The local engine's tunable knobs; the defaults are the engine's own behaviour.

    Parameters
    ----------
    min_score : float, default 0.5
        Text lines recognised with a lower score are dropped (RapidOCR's own default), on
        the image's reading and on the re-reading of turned documents.
    det_policy : {"rapidocr", "adaptive"}, default "rapidocr"
        The detection resolution: RapidOCR's rule, or chosen per image from its text
        height (faster on large images, cost 1.7 points of card field exact match:
        ``docs/scaling.md``).
    read_stamps : bool, default True
        Read the text of red stamps on stamped types (invoices' seller seals, licences'
        authority stamps) from their own crops; off, only what the first reading saw.
    reread_turned : bool, default True
        Read documents turned more than 30 degrees from upright again, from an upright,
        rectified crop.
    split_packed : bool, default True
        Split neighbouring documents of one kind (receipts packed on a sheet) apart.
    reuse_readings : bool, default True
        When a turned document is read again upright, keep the first reading of each line
        detected there again that was already read upright (same box); recognise only the
        others. Off, every line of the upright crop is recognised again.
    reread_text_px : float, default 0.0
        A turned document's upright crop is detected at RapidOCR's scale (shorter side
        enlarged to 736 px), but no larger than makes its text this many pixels high
        (nor smaller than the whole image's scale); 0: RapidOCR's rule alone. Off by
        default: a cap of 48 px is faster but read a real roll receipt's lower half so
        that it was no longer joined to its header (``docs/scaling.md``).

    Examples
    --------
    >>> EngineParams()  # doctest: +NORMALIZE_WHITESPACE
    EngineParams(min_score=0.5, det_policy='rapidocr', read_stamps=True, reread_turned=True, split_packed=True,
    reuse_readings=True, reread_text_px=0.0)
    >>> EngineParams.parse(["min_score=0.6", "read_stamps=off"]).key()
    'min_score=0.6,read_stamps=False'
    >>> EngineParams().key()
    ''
    """

    min_score: float = 0.5
    det_policy: str = "rapidocr"
    read_stamps: bool = True
    reread_turned: bool = True
    split_packed: bool = True
    reuse_readings: bool = True
    reread_text_px: float = 0.0

    def __post_init__(self):
        if isinstance(self.min_score, bool) or not isinstance(self.min_score, (int, float)) \
                or not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be a number in [0, 1], got {self.min_score!r}")
        if isinstance(self.reread_text_px, bool) or not isinstance(self.reread_text_px, (int, float)) \
                or self.reread_text_px < 0:
            raise ValueError(f"reread_text_px must be a number >= 0, got {self.reread_text_px!r}")
        if self.det_policy not in DET_POLICIES:
            raise ValueError(f"det_policy must be one of {list(DET_POLICIES)}, got {self.det_policy!r}")
        for f in ("read_stamps", "reread_turned", "split_packed", "reuse_readings"):
            if not isinstance(getattr(self, f), bool):
                raise ValueError(f"{f} must be True or False, got {getattr(self, f)!r}")

    def key(self) -> str:
        """The settings that differ from the defaults, as ``name=value`` joined by commas
        (empty for the defaults): the part of the backend identity they make."""
        default = EngineParams()
        return ",".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}"
                        for k, v in asdict(self).items() if v != getattr(default, k))

    @classmethod
    def parse(cls, assignments: list[str] | tuple[str, ...], base: "EngineParams | None" = None) -> "EngineParams":
        """Settings from ``NAME=VALUE`` strings (as a command line gives them), over ``base``.

        Raises
        ------
        ValueError
            For an unknown name or a value of the wrong kind.

        Examples
        --------
        >>> EngineParams.parse(["det_policy=adaptive", "split_packed=false"])  # doctest: +NORMALIZE_WHITESPACE
        EngineParams(min_score=0.5, det_policy='adaptive', read_stamps=True, reread_turned=True, split_packed=False,
        reuse_readings=True, reread_text_px=0.0)
        """
        base = base or cls()
        kinds = {f.name: type(getattr(base, f.name)) for f in fields(cls)}
        changes: dict[str, object] = {}
        for item in assignments:
            name, sep, raw = item.partition("=")
            name, raw = name.strip().replace("-", "_"), raw.strip()
            if not sep or name not in kinds:
                raise ValueError(f"expected NAME=VALUE with NAME one of {sorted(kinds)}, got {item!r}")
            kind = kinds[name]
            if kind is bool:
                if raw.lower() not in _TRUE + _FALSE:
                    raise ValueError(f"{name} takes true or false, got {raw!r}")
                changes[name] = raw.lower() in _TRUE
            elif kind in (int, float):
                try:
                    changes[name] = float(raw)
                except ValueError:
                    raise ValueError(f"{name} takes a number, got {raw!r}") from None
            else:
                changes[name] = raw
        return replace(base, **changes)
