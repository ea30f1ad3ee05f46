"""Build the kiosk bundle: `python packaging/build.py` (what `make package` runs).

Writes a version stamp (package version, git commit, build time, platform), runs PyInstaller on
packaging/dcp-kiosk.spec into dist/dcp-kiosk/, checks that nothing excluded slipped in, adds the
kiosk session files, and packs dist/dcp-kiosk-<version>-<platform>.tar.gz (or .zip on Windows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
from exclusions import is_excluded  # noqa: E402


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        return out + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def platform_tag() -> str:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def build_info() -> dict[str, str]:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    return {
        "version": version,
        "commit": git_commit(),
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "platform": platform_tag(),
        "python": platform.python_version(),
    }


def bundle_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--no-archive", action="store_true", help="leave the folder only")
    args = parser.parse_args()
    dist = Path(args.dist)
    work = ROOT / "build"
    work.mkdir(exist_ok=True)
    info = build_info()
    info_path = work / "build-info.json"
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")

    # The translation catalogues, compiled from their .po files (the bundle carries only the .mo files).
    if subprocess.run([sys.executable, "-m", "tools.catalogues", "compile"], cwd=ROOT).returncode != 0:
        print("build: the translation catalogues did not compile (see above)", file=sys.stderr)
        return 1

    started = time.monotonic()
    cmd = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "dcp-kiosk.spec"),
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
    ]  # fmt: skip
    env = dict(os.environ, DCP_KIOSK_BUILD_INFO=str(info_path))
    if subprocess.run(cmd, cwd=ROOT, env=env).returncode != 0:
        print("build: PyInstaller failed (see above)", file=sys.stderr)
        return 1
    bundle = dist / "dcp-kiosk"

    shipped = [str(p.relative_to(bundle)) for p in bundle.rglob("*") if is_excluded(str(p.relative_to(bundle)))]
    if shipped:
        print("build: these must not ship but are in the bundle:\n  " + "\n  ".join(shipped), file=sys.stderr)
        return 1
    (bundle / "VERSION").write_text(f"{info['version']}+{info['commit']}\n", encoding="utf-8")
    session = bundle / "session"
    session.mkdir(exist_ok=True)
    for src in sorted((ROOT / "packaging" / "linux").iterdir()):
        shutil.copy2(src, session / src.name)
    seconds = time.monotonic() - started

    print(f"built {bundle} ({bundle_size(bundle) / 1e6:.0f} MB) in {seconds:.0f} s: {info['version']}+{info['commit']}")
    if not args.no_archive:
        name = f"dcp-kiosk-{info['version']}-{info['platform']}"
        fmt = "zip" if sys.platform == "win32" else "gztar"
        archive = shutil.make_archive(str(dist / name), fmt, root_dir=dist, base_dir="dcp-kiosk")
        print(f"packed {archive} ({Path(archive).stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
