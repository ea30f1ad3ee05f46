"""Bundle size and start time of the frozen kiosk, against the source install in the same run.

    make package && .venv/bin/python benchmarks/bench_package.py [--runs 5]

Size: the bundle folder and its archive, against the .venv it was built from (the baseline:
what a source install puts on disk). Start time: the median wall time of `dcp-kiosk --version`
(interpreter and imports only) and `dcp-kiosk self-test` (offscreen Qt, database, home screen),
frozen against `.venv/bin/dcp-kiosk`, each run `--runs` times, alternating.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._bench_common import figure  # noqa: E402


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "dcp-kiosk"))
    args = parser.parse_args()
    bundle = Path(args.bundle)
    frozen = bundle / "dcp-kiosk"
    source = ROOT / ".venv" / "bin" / "dcp-kiosk"
    if not frozen.exists():
        print(f"no bundle in {bundle}: run `make package` first", file=sys.stderr)
        return 3  # benchmarks/run_all.py reports the figures as skipped
    archives = sorted((bundle.parent).glob("dcp-kiosk-*.tar.gz"))
    bundle_mb, venv_mb = size(bundle) / 1e6, size(ROOT / ".venv") / 1e6
    print(f"bundle folder: {bundle_mb:.0f} MB; .venv (baseline): {venv_mb:.0f} MB; ratio {bundle_mb / venv_mb:.2f}")
    figure("frozen bundle size", bundle_mb, "MB", venv_mb, "the .venv it was built from")
    if archives:
        print(f"archive {archives[-1].name}: {archives[-1].stat().st_size / 1e6:.0f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DCP_KIOSK_")}
        env.update(HOME=tmp, XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=f"{tmp}/config", QT_QPA_PLATFORM="offscreen")
        for label, argv in (("--version", ["--version"]), ("self-test", ["self-test", "--data-dir", f"{tmp}/kiosk"])):
            times: dict[str, list[float]] = {"frozen": [], "source": []}
            timed([str(frozen), *argv], env)  # warm the page cache for both
            timed([str(source), *argv], env)
            for _ in range(args.runs):
                times["frozen"].append(timed([str(frozen), *argv], env))
                times["source"].append(timed([str(source), *argv], env))
            f, s = statistics.median(times["frozen"]), statistics.median(times["source"])
            print(
                f"{label:>10}: frozen {f:.2f} s, source {s:.2f} s (baseline); ratio {f / s:.2f} (median of {args.runs})"
            )
            figure(f"frozen bundle start, dcp-kiosk {label}", f, "s", s, ".venv/bin/dcp-kiosk, same command")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
