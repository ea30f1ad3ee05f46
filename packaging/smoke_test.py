"""Smoke test of the frozen build: `python packaging/smoke_test.py dist/dcp-kiosk`.

Runs the bundle as IT would, with nothing from the source tree on its path, and fails on a
non-zero exit or on any line of standard error that is not in EXPECTED_STDERR:

1. `--version` carries the build stamp; nothing that must not ship is in the folder.
2. `self-test`: offscreen, opens a database, parses the bundled journeys, renders the home screen.
3. `portal serve` from the bundle (training), a token from `portal token create`, `enrol` with
   the token on standard input, `sync --once`, `open311 connect` with `portal open311-key`, `status --json`
   (journeys cached), `doctor --json`.
4. With xvfb-run present: `run --windowed` on a virtual X screen for a few seconds (the xcb plugin).
5. Speech: `speak --engine mock` says a sentence and lists the voices (QtTextToSpeech and its plugins
   are in the bundle); where speech-dispatcher and PulseAudio are installed, doctor and `speak` run
   against a private audio server (tools/audio_server.py) and the bundle speaks Urdu through the real
   `speechd` engine, heard in the null sink.

Step 3 needs a keyring: run the script under packaging/session-keyring.sh on a machine without
a desktop session (`make package-test` does).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exclusions import is_excluded

# Standard-error lines that are known and harmless. Anything else fails the smoke test.
EXPECTED_STDERR = [
    # Qt's offscreen platform has no window manager to pass size hints to.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
]


class SmokeFailed(AssertionError):
    pass


def unexpected(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not any(p.match(line) for p in EXPECTED_STDERR)]


class Bundle:
    def __init__(self, folder: Path, work: Path) -> None:
        self.exe = folder / ("dcp-kiosk.exe" if sys.platform == "win32" else "dcp-kiosk")
        if not self.exe.is_file():
            raise SmokeFailed(f"no executable at {self.exe}: build it with `make package`")
        self.folder = folder
        self.work = work
        # Nothing from the source tree or the venv: the bundle must stand alone.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DCP_KIOSK_"))}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.env.update(HOME=str(work / "home"), XDG_CONFIG_HOME=str(work / "config"), LANG="C.UTF-8")

    def run(
        self, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,), prefix: list[str] | None = None
    ) -> str:
        cmd = [*(prefix or []), str(self.exe), *args]
        started = time.monotonic()
        done = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, env=self.env, cwd=self.work, timeout=120, check=False
        )
        seconds = time.monotonic() - started
        shown = " ".join(args)
        if done.returncode not in ok:
            raise SmokeFailed(f"`dcp-kiosk {shown}` exited {done.returncode}\n{done.stdout}\n{done.stderr}")
        bad = unexpected(done.stderr)
        if bad:
            raise SmokeFailed(f"`dcp-kiosk {shown}` wrote unexpected lines to stderr:\n  " + "\n  ".join(bad))
        print(f"ok  {seconds:5.2f} s  dcp-kiosk {shown}")
        return done.stdout


def check_contents(folder: Path) -> None:
    shipped = [str(p.relative_to(folder)) for p in folder.rglob("*") if is_excluded(str(p.relative_to(folder)))]
    if shipped:
        raise SmokeFailed("the bundle ships what it must not:\n  " + "\n  ".join(shipped))
    plugins = {p.name for p in folder.rglob("plugins/texttospeech/*.so")}
    if not {"libqtexttospeech_speechd.so", "libqtexttospeech_mock.so"} <= plugins:
        raise SmokeFailed(f"the speech plugins are not all in the bundle: {sorted(plugins)}")
    journeys = list(folder.rglob("journeys/training/*.json"))
    if len(journeys) < 1:
        raise SmokeFailed("the training journeys are not in the bundle")
    catalogues = sorted(p.stem for p in folder.rglob("app/locales/*.mo"))
    if not {"en", "ur", "gu", "pa", "pl"} <= set(catalogues):
        raise SmokeFailed(f"the compiled catalogues are not all in the bundle: {catalogues}")
    fonts = {p.name for p in folder.rglob("fonts/*.ttf")}
    wanted = {"NotoNaskhArabic-Regular.ttf", "NotoSansGujarati-Regular.ttf", "NotoSansGurmukhi-Regular.ttf"}
    if not wanted <= fonts:
        raise SmokeFailed(f"the scripts' fonts are not all in the bundle: {sorted(fonts)}")
    print(
        f"ok  contents: no excluded files, {len(journeys)} training journeys, speech plugins {sorted(plugins)}, "
        f"catalogues {catalogues}, {len(fonts)} fonts"
    )


def check_speech(bundle: Bundle, audio: object | None) -> None:
    out = bundle.run("speak", "--engine", "mock", "--text", "Hello from the kiosk")
    if "states:    speaking -> ready" not in out or "done: the text was spoken." not in out:
        raise SmokeFailed(f"the bundled mock engine did not speak: {out!r}")
    out = bundle.run("speak", "--engine", "mock", "--voices")
    if "en (English)   Anne (en_GB)" not in out:
        raise SmokeFailed(f"the bundled mock engine lists no English voice: {out!r}")
    if audio is None:
        print("--  the real engine: speech-dispatcher or PulseAudio is not installed, skipped")
        return
    from tools.audio_server import is_silent

    wav = bundle.work / "urdu.wav"
    with audio.record(wav):  # type: ignore[attr-defined]
        out = bundle.run("speak", "--engine", "speechd", "--language", "ur", "--text", "خوش آمدید")
        time.sleep(0.2)
    if "voice:     Urdu" not in out or "done: the text was spoken." not in out:
        raise SmokeFailed(f"the bundle did not speak Urdu through speechd: {out!r}")
    if is_silent(wav):
        raise SmokeFailed("the bundle's Urdu speech did not reach the audio server (the recording is silent)")
    print("ok  the bundle spoke Urdu through speechd, and the null sink heard it")


def smoke(folder: Path, work: Path) -> None:
    bundle = Bundle(folder, work)
    check_contents(folder)
    audio = None
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tools.audio_server import AudioServer, missing_tools

    if not missing_tools():
        audio = AudioServer().start()
        env = audio.env()
        bundle.env.update(PULSE_SERVER=env["PULSE_SERVER"], SPEECHD_ADDRESS=env["SPEECHD_ADDRESS"])
    try:
        _smoke(bundle, work, audio)
    finally:
        if audio is not None:
            audio.stop()


def address_pack(bundle: Bundle, work: Path) -> Path:
    """The frozen build imports a gazetteer (the synthetic borough) and searches the pack it built; the
    address found has its latitude and longitude (pyproj and its PROJ database are bundled)."""
    from reference_portal.gazetteer_data import KNOWN, write_dtf

    source = work / "borough.csv"
    summary = write_dtf(source, addresses=500)
    pack = work / "borough.pack.sqlite"
    imported = bundle.run("gazetteer", "import", str(source), "--out", str(pack))
    every = f"{summary.addresses:,} of {summary.addresses:,} addresses with latitude and longitude"
    if every not in imported:
        raise SmokeFailed(f"the frozen build's import did not give every address coordinates: {imported!r}")
    found = bundle.run("gazetteer", "search", str(pack), "kngs rd bb2")  # a typo: the fuzzy matcher is bundled
    line = next((line for line in found.splitlines() if line.startswith(KNOWN["kings_road_14"].uprn + "\t")), "")
    if not line:
        raise SmokeFailed(f"the frozen build's address search found {found!r}")
    where = re.fullmatch(r"[^\t]+\t[^\t]+\t(-?\d+\.\d{6}),(-?\d+\.\d{6})", line)
    if not where or not (53.6 < float(where[1]) < 53.9 and -2.7 < float(where[2]) < -2.3):
        raise SmokeFailed(f"the frozen build's address has no coordinates in East Lancashire: {line!r}")
    print(f"ok  gazetteer import and search (typo tolerance; {where[1]}, {where[2]})")
    return pack


def _smoke(bundle: Bundle, work: Path, audio: object | None) -> None:
    version = bundle.run("--version")
    if "build " not in version:
        raise SmokeFailed(f"--version has no build stamp: {version!r}")

    data = work / "kiosk"
    out = bundle.run("self-test", "--training", "--data-dir", str(data))
    if "self-test ok" not in out:
        raise SmokeFailed(f"self-test said: {out!r}")

    pack = address_pack(bundle, work)
    portal_db = work / "portal" / "portal.sqlite3"
    portal = subprocess.Popen(
        [str(bundle.exe), "portal", "serve", "--port", "0", "--db", str(portal_db), "--gazetteer", str(pack)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bundle.env,
        cwd=work,
    )
    try:
        assert portal.stdout is not None
        line = portal.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SmokeFailed(f"the bundled reference portal did not start: {line!r}")
        url = line.removeprefix("listening on ")
        print(f"ok  bundled reference portal at {url}")
        token = bundle.run("portal", "token", "create", "--kiosk-id", "smoke-1", "--db", str(portal_db)).strip()
        enrol = ["enrol", "--training", "--portal", url, "--kiosk-id", "smoke-1", "--site", "smoke-site"]
        out = bundle.run(*enrol, "--data-dir", str(data), stdin=token + "\n")
        if token in out:
            raise SmokeFailed("enrol printed the token")
        bundle.run("sync", "--once", "--training", "--data-dir", str(data))
        # The training catalogue's graffiti report goes to the portal's Open311 server: set up as IT would.
        key = bundle.run("portal", "open311-key", "--db", str(portal_db)).strip()
        connect = ["open311", "connect", "--training", "--url", url + "/open311/v2", "--jurisdiction", "harwood-vale"]
        out = bundle.run(*connect, "--data-dir", str(data), stdin=key + "\n")
        if key in out or "the api_key is in the keyring" not in out:
            raise SmokeFailed(f"open311 connect on the frozen build said: {out!r}")
        status = json.loads(bundle.run("status", "--json", "--training", "--data-dir", str(data)))
        if not status["enrolled"] or status["catalogue_journeys"] < 1 or not status["address_pack"]:
            raise SmokeFailed(f"after enrolment and sync, status is {status}")
        report = json.loads(bundle.run("doctor", "--json", "--training", "--data-dir", str(data), ok=(0, 1)))
        failed = {c["name"]: c["detail"] for c in report["checks"] if c["status"] == "fail"}
        if failed:
            raise SmokeFailed(f"doctor on the frozen build: {failed}")
        said = {c["name"]: c["detail"] for c in report["checks"]}
        if not any(c["name"] == "open311" and c["status"] == "ok" for c in report["checks"]):
            raise SmokeFailed(f"doctor on the frozen build does not see its Open311 endpoint: {said.get('open311')}")
        if "Urdu (ur)" not in said.get("languages", "") or "Gujarati" not in said.get("fonts", ""):
            raise SmokeFailed(f"doctor on the frozen build does not see its languages: {said}")
        if shutil.which("xvfb-run") and sys.platform == "linux":
            xvfb = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"]
            bundle.run("run", "--windowed", "--training", "--data-dir", str(data), "--exit-after", "3", prefix=xvfb)
        else:
            print("--  run under Xvfb: xvfb-run is not installed, skipped")
        check_speech(bundle, audio)
    finally:
        portal.terminate()
        try:
            _, err = portal.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            portal.kill()
            _, err = portal.communicate()
    bad = unexpected(err)
    if bad:
        raise SmokeFailed("the bundled portal wrote unexpected lines to stderr:\n  " + "\n  ".join(bad))


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/dcp-kiosk").resolve()
    with tempfile.TemporaryDirectory(prefix="dcp-kiosk-smoke-") as tmp:
        work = Path(tmp)
        for sub in ("home", "config"):
            (work / sub).mkdir()
        try:
            smoke(folder, work)
        except (SmokeFailed, subprocess.TimeoutExpired) as exc:
            print(f"smoke test FAILED: {exc}", file=sys.stderr)
            return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
