"""Run every benchmark of the project at one size and write ``benchmarks/results.md``.

    python -m benchmarks.run [--size small|large] [--only NAME ...] [--out benchmarks/results.md]

Each benchmark is a module of this folder with ``main(argv) -> dict``; :data:`SUITE`
lists them with their arguments per size. Every figure in the README comes from here.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import io
import json
import sys
import time
import traceback
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine  # noqa: E402

#: name -> (module, {size: argv})
SUITE: dict[str, tuple[str, dict[str, list[str]]]] = {
    "explode": ("benchmarks.explode", {"small": ["--n", "10000", "--repeat", "3"],
                                       "large": ["--n", "100000", "--repeat", "3"]}),
    "evaluate": ("benchmarks.evaluate", {"small": ["--images", "10000", "--repeat", "3", "--naive-images", "3000"],
                                         "large": ["--images", "100000", "--repeat", "3",
                                                   "--naive-images", "10000"]}),
    "synth": ("benchmarks.synth_speed", {"small": ["--n", "40"], "large": ["--n", "200", "--workers", "2"]}),
    "client_throughput": ("benchmarks.client_throughput", {"small": ["--quick"], "large": []}),
    "client_overhead": ("benchmarks.client_overhead", {"small": ["--requests", "100", "--rounds", "1"], "large": []}),
    "engine_speed": ("benchmarks.engine_speed", {"small": ["--n", "4"], "large": ["--n", "12"]}),
    "engine_accuracy": ("benchmarks.engine_accuracy", {"small": ["--n", "10"], "large": ["--n", "100", "--workers", "2"]}),
    "invoice_accuracy": ("benchmarks.invoice_accuracy", {"small": ["--n", "10"],
                                                         "large": ["--n", "60", "--workers", "2"]}),
    "server_load": ("benchmarks.server_load", {"small": ["--backend", "digest", "--requests", "300"],
                                               "large": ["--backend", "local", "--requests", "64",
                                                         "--baseline-requests", "24"]}),
    "scaling": ("benchmarks.scaling", {"small": ["--n", "8"], "large": ["--n", "40", "--dask"]}),
}


def run(size: str, only: list[str] | None = None) -> list[dict]:
    results = []
    for name, (module, sizes) in SUITE.items():
        if only and name not in only:
            continue
        argv = sizes[size]
        out = io.StringIO()
        t = time.perf_counter()
        try:
            with redirect_stdout(out):
                figures = importlib.import_module(module).main(argv)
            error = None
        except Exception:  # one broken benchmark must not hide the others
            figures, error = {}, traceback.format_exc(limit=3)
        seconds = time.perf_counter() - t
        results.append({"name": name, "argv": argv, "figures": figures, "printed": out.getvalue(),
                        "seconds": seconds, "error": error})
        status = "FAILED" if error else f"{seconds:.1f} s"
        print(f"[{name}] {status}", file=sys.stderr)
        if error:
            print(error, file=sys.stderr)
    return results


def to_markdown(results: list[dict], size: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {_dt.datetime.now(_dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine()}",
        f"- size: {size}",
        "- command: `python -m benchmarks.run --size " + size + "`",
        "",
    ]
    for r in results:
        lines += [f"## {r['name']}", "", f"`python -m {SUITE[r['name']][0]} {' '.join(r['argv'])}` "
                  f"({r['seconds']:.1f} s)", ""]
        if r["error"]:
            lines += ["FAILED:", "", "```", r["error"].strip(), "```", ""]
            continue
        lines += ["```", r["printed"].strip(), "```", ""]
        if r["figures"]:
            lines += ["<details><summary>figures (JSON)</summary>", "", "```json",
                      json.dumps(r["figures"], indent=1, ensure_ascii=False, default=str), "```", "", "</details>", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=("small", "large"), default="small")
    ap.add_argument("--only", nargs="*", help=f"benchmarks to run, of: {', '.join(SUITE)}")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results.md"))
    args = ap.parse_args(argv)
    results = run(args.size, args.only)
    Path(args.out).write_text(to_markdown(results, args.size), encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
