"""The ``ocrframe`` command line: a thin layer over the same functions as the Python API.

Subcommands register themselves in :data:`COMMANDS`; each is a function that adds its
parser and returns the function to run. Exit codes: 0 done; 1 ``classify`` recognised
nothing (every image failed); 2 a bad argument, found before any work starts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .errors import ApiError

__all__ = ["main", "expand_inputs", "IMAGE_SUFFIXES"]

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".pdf", ".ofd")
#: what :func:`ocrframe.persist.save_frame` writes, checked before a run starts
FRAME_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json")
#: ``classify`` exit code when no image was recognised
EXIT_NOTHING_RECOGNISED = 1
EXIT_USAGE = 2


def _check_out(path: str | None, flag: str) -> None:
    """Refuse an output file name before the run, not after it."""
    if path is None:
        return
    p = Path(path)
    if p.suffix.lower() not in FRAME_SUFFIXES:
        raise ValueError(f"{flag} {path!r}: use a {', '.join(FRAME_SUFFIXES)} file name")
    if not p.parent.exists() and str(p.parent) not in ("", "."):
        raise ValueError(f"{flag} {path!r}: the folder {p.parent} does not exist")


def expand_inputs(items: Sequence[str]) -> list[str]:
    """Files as given, folders expanded to their images (recursively, sorted), URLs kept.

    A path that does not exist is kept: it becomes an error row, never silently dropped.
    """
    out: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(item)
    return out


def _summary(docs: pd.DataFrame) -> str:
    stats = docs.attrs.get("ocrframe", {})
    found = docs[docs["doc"].notna()]
    lines = [
        f"images: {stats.get('images', '?')}   documents: {len(found)}   "
        f"failed images: {stats.get('failed_images', '?')}   requests: {stats.get('requests', '?')}   "
        f"from store: {stats.get('cached', '?')}   billable documents: {stats.get('billable_documents', '?')}   "
        f"seconds: {stats.get('seconds', 0):.1f}",
    ]
    transport = stats.get("transport") or {}
    if transport:
        lines.append("transport: " + ", ".join(f"{k} {v}" for k, v in transport.items() if v and k != "errors"))
    if len(found):
        counts = found["type"].value_counts()
        lines.append("by type: " + ", ".join(f"{t} {n}" for t, n in counts[counts > 0].items()))
    lines.append("by status: " + ", ".join(f"{s} {n}" for s, n in docs["status"].value_counts().items()))
    view = docs.reset_index(drop=True).assign(
        fields=docs["content"].map(lambda c: sum(1 for k in c if k != "confidence")).to_numpy())
    cols = [c for c in ("path", "doc", "type", "status", "fields") if c in view.columns]
    with pd.option_context("display.max_rows", 60, "display.width", 160, "display.max_colwidth", 60):
        lines.append(view[cols].to_string())
    return "\n".join(lines)


def _cmd_classify(sub) -> Callable:
    from .backends import BACKEND_SPECS

    p = sub.add_parser("classify", help="recognise images into a documents frame",
                       description="Recognise every image and write the documents frame.",
                       epilog="exit status: 0 done, 1 nothing recognised (every image failed), 2 a bad argument "
                              "(checked before any work starts)")
    p.add_argument("inputs", nargs="+", help="image files, folders (searched recursively) or URLs")
    p.add_argument("--backend", default="local", help="; ".join(BACKEND_SPECS))
    p.add_argument("--out", help="write the documents frame (.parquet, .csv or .jsonl)")
    p.add_argument("--fields-out", help="write the fields frame (.parquet, .csv or .jsonl)")
    p.add_argument("--store", help="SQLite response store: resumable, never asks twice for an image")
    p.add_argument("--workers", type=int, help="images in flight at once")
    p.add_argument("--type-list", help="comma-separated document types to recognise")
    p.add_argument("--detect-seal", action="store_true", help="report seal_mark per document")
    p.add_argument("--pdf-page", type=int, help="page of PDF inputs to read")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")

    def run(args) -> int:
        from . import accessor  # noqa: F401
        from .backends import resolve_backend
        from .contract import RequestOptions
        from .persist import save_frame

        # every argument is checked before the first image is read or a backend is asked
        _check_out(args.out, "--out")
        _check_out(args.fields_out, "--fields-out")
        if args.workers is not None and args.workers < 1:
            raise ValueError(f"--workers must be at least 1, got {args.workers}")
        type_list = [t.strip() for t in args.type_list.split(",") if t.strip()] if args.type_list else None
        RequestOptions(type_list=type_list, pdf_page_number=args.pdf_page)  # ValueError naming the bad value
        missing = [x for x in args.inputs if not x.lower().startswith(("http://", "https://")) and not Path(x).exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing[:5])}"
                                    + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""))
        if args.store and Path(args.store).exists() and not Path(args.store).is_file():
            raise ValueError(f"--store {args.store!r} is not a file")
        paths = expand_inputs(args.inputs)
        if not paths:
            print(f"no images found in {' '.join(args.inputs)} (looked for {', '.join(IMAGE_SUFFIXES)})",
                  file=sys.stderr)
            return EXIT_USAGE
        backend = resolve_backend(args.backend)
        df = pd.DataFrame({"path": paths})
        docs = df.ocr.classify(
            col="path", backend=backend, store=args.store, workers=args.workers, type_list=type_list,
            detect_seal=True if args.detect_seal else None, pdf_page_number=args.pdf_page,
            progress=False if args.no_progress else None, ignore_index=True)
        text = _summary(docs)
        print(text.splitlines()[0] if args.quiet else text)
        if args.out:
            print(f"documents frame -> {save_frame(docs, args.out)}")
        if args.fields_out:
            print(f"fields frame -> {save_frame(docs.ocr.fields(), args.fields_out)}")
        stats = docs.attrs.get("ocrframe", {})
        images, failed = stats.get("images", len(paths)), stats.get("failed_images", 0)
        if images and failed >= images:
            print(f"nothing was recognised: all {images} image(s) failed (see the status column)", file=sys.stderr)
            return EXIT_NOTHING_RECOGNISED
        return 0

    return run


def _cmd_store(sub) -> Callable:
    p = sub.add_parser("store", help="inspect or export a response store")
    p.add_argument("action", choices=("info", "export"))
    p.add_argument("store", help="the SQLite store file")
    p.add_argument("out", nargs="?", help="export: the JSONL file to write (a Replay file)")
    p.add_argument("--backend", help="export only this backend identity")

    def run(args) -> int:
        from .store import ResponseStore

        if not Path(args.store).is_file():
            print(f"{args.store}: no such store file", file=sys.stderr)
            return 2
        with ResponseStore(args.store) as store:
            if args.action == "info":
                by = pd.DataFrame(list(store.records()))
                print(f"{args.store}: {len(store)} answers")
                if len(by):
                    print(by.groupby(["backend", "is_error"]).size().rename("answers").to_string())
                return 0
            if not args.out:
                print("store export needs an output file: ocrframe store export STORE OUT.jsonl", file=sys.stderr)
                return 2
            n = store.export_jsonl(args.out, backend=args.backend)
            print(f"{n} answers -> {args.out} (use with --backend replay:{args.out})")
            return 0

    return run


def _cmd_eval(sub) -> Callable:
    from .evaluate.cli import register

    return register(sub)


def _cmd_synth(sub) -> Callable:
    p = sub.add_parser("synth", help="generate labelled synthetic scenes (images + labels.jsonl)",
                       add_help=False, prefix_chars="\0")
    p.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args) -> int:
        from .datasets.synth import main as synth_main

        return synth_main(args.rest) or 0

    return run


def _cmd_serve(sub) -> Callable:
    from .backends import BACKEND_SPECS

    p = sub.add_parser("serve", help="serve the auto-classification API over HTTP",
                       description="Serve POST /v2/{project_id}/ocr/auto-classification (and /v1.0/...) "
                                   "with the contract's bodies; the official SDK can call it unchanged.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="backend worker processes (LocalEngine) or threads")
    p.add_argument("--backend", default=None, help="; ".join(BACKEND_SPECS))
    p.add_argument("--queue-size", type=int, default=32, help="requests waiting beyond the running ones; "
                                                              "more are answered 429 + Retry-After")
    p.add_argument("--auth", default="off", help="off | token | aksk | token,aksk")
    p.add_argument("--token", action="append", default=[], metavar="TOKEN",
                   help="accepted X-Auth-Token (repeat; or OCRFRAME_SERVE_TOKENS=t1,t2)")
    p.add_argument("--credentials", metavar="FILE",
                   help="AK/SK pairs, one 'AK SK' (or AK:SK) per line (or OCRFRAME_SERVE_AKSK=ak:sk,...)")
    p.add_argument("--project-id", action="append", default=None, metavar="ID",
                   help="project id accepted in the path (repeat; default: any)")
    p.add_argument("--url-allow", action="append", default=[], metavar="HOST|CIDR",
                   help="host or network URL inputs may reach although private (repeat)")
    p.add_argument("--no-url", action="store_true", help="refuse url inputs")
    p.add_argument("--url-timeout", type=float, default=10.0)
    p.add_argument("--max-body-mb", type=float, default=None, help="largest request body (default 10 MB + 64 KB)")
    p.add_argument("--ocr-timeout", type=float, default=120.0, help="seconds per request (queue + OCR) -> 504")
    p.add_argument("--body-timeout", type=float, default=60.0, help="seconds to receive a body -> 408")
    p.add_argument("--max-client-requests", type=int, default=16,
                   help="requests one client address may have open at once (0: no cap; raise it behind a proxy)")
    p.add_argument("--engine-threads", type=int, default=None, help="ONNX Runtime threads per worker process")
    p.add_argument("--log-level", default="INFO")

    def run(args) -> int:
        import os

        from .server import ServerConfig
        from .server.app import serve

        tokens = list(args.token) + [t for t in os.environ.get("OCRFRAME_SERVE_TOKENS", "").split(",") if t]
        creds: dict[str, str] = {}
        pairs = [x for x in os.environ.get("OCRFRAME_SERVE_AKSK", "").split(",") if x]
        if args.credentials:
            pairs += Path(args.credentials).read_text(encoding="utf-8").splitlines()
        for line in pairs:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            ak, _, sk = line.replace(":", " ", 1).partition(" ")
            creds[ak.strip()] = sk.strip()
        kw = {}
        if args.max_body_mb:
            kw["max_body_bytes"] = int(args.max_body_mb * 2**20)
        config = ServerConfig(host=args.host, port=args.port, workers=args.workers, backend=args.backend,
                              queue_size=args.queue_size, auth=args.auth, tokens=tuple(tokens), credentials=creds,
                              project_ids=tuple(args.project_id) if args.project_id else None,
                              url_allow=tuple(args.url_allow), url_fetch=not args.no_url,
                              url_timeout=args.url_timeout, ocr_timeout=args.ocr_timeout, body_timeout=args.body_timeout,
                              engine_threads=args.engine_threads, log_level=args.log_level,
                              max_client_requests=args.max_client_requests, **kw)
        if config.auth == "off" and config.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: serving on {config.host} without authentication (--auth off)", file=sys.stderr)
        serve(config)
        return 0

    return run


COMMANDS: list[Callable] = [_cmd_classify, _cmd_store, _cmd_eval, _cmd_synth, _cmd_serve]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ocrframe`` command."""
    parser = argparse.ArgumentParser(prog="ocrframe", description="Multi-document OCR native to pandas.")
    sub = parser.add_subparsers(dest="command", required=True)
    runners = {}
    for register in COMMANDS:
        before = set(sub.choices)
        run = register(sub)
        for name in set(sub.choices) - before:  # a command and its aliases
            runners[name] = run
    args = parser.parse_args(argv)
    try:
        return runners[args.command](args)
    except (ValueError, FileNotFoundError, ImportError, TypeError) as e:
        print(f"ocrframe {args.command}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ApiError as e:  # credentials refused: the run stopped before recognising anything more
        print(f"ocrframe {args.command}: {e}", file=sys.stderr)
        return EXIT_NOTHING_RECOGNISED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
