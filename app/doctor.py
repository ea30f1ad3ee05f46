"""`dcp-kiosk doctor`: is this kiosk fit to serve the public? A plain list of what to fix.

Each check gives ok, warn or fail with one line of detail and, when not ok, what to do. Doctor
only reads: it never creates, repairs or moves the database (start-up does that), and it never
prints the device token or the data key. A failure anywhere makes the exit status non-zero.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import keyring.errors

from app import languages
from app.config import ConfigError, KioskConfig, load_config
from app.enrolment import is_loopback
from app.gazetteer import Addresses, packs_folder
from local_store.db import quick_check
from local_store.gazetteer.shelf import PackShelf
from local_store.vault import KEYRING_SERVICE, VaultError, check_key
from sync.client import AuthFailed, PortalClient, PortalError

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skipped"

# Keyring backends that do not protect a secret: they fail, store nothing, or write plain text.
UNSAFE_BACKENDS = {
    "keyring.backends.fail.Keyring": "no keyring backend is available",
    "keyring.backends.null.Keyring": "the null keyring stores nothing",
    "keyrings.alt.file.PlaintextKeyring": "the plaintext file keyring does not protect secrets",
    "keyrings.alt.file.EncryptedKeyring": "the file keyring needs a password typed at every start",
}


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass
class Context:
    config: KioskConfig | None = None
    keyring_ok: bool = False
    install_id: str | None = None
    portal_url: str | None = None
    kiosk_id: str | None = None
    token: str | None = None
    portal_ok: bool = False


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def check_config(ctx: Context, load: Callable[[], KioskConfig]) -> Check:
    try:
        ctx.config = load()
    except ConfigError as exc:
        return Check("configuration", FAIL, str(exc), "correct that key in the configuration file or environment")
    return Check("configuration", OK, f"valid; data in {ctx.config.data_dir}")


def check_keyring(ctx: Context) -> Check:
    backend = keyring.get_keyring()
    name = _backend_name(backend)
    backends = getattr(backend, "backends", None)
    if backends is not None and not backends:  # a chainer with nothing behind it
        name = "keyring.backends.fail.Keyring"
    if name in UNSAFE_BACKENDS:
        return Check(
            "keyring",
            FAIL,
            f"{UNSAFE_BACKENDS[name]} ({name})",
            "start the kiosk in a session with an unlocked Secret Service keyring "
            "(docs/deployment.md) or, on Windows, as a user with Credential Manager",
        )
    probe = f"doctor-probe:{uuid.uuid4()}"
    try:
        keyring.set_password(KEYRING_SERVICE, probe, "probe")
        back = keyring.get_password(KEYRING_SERVICE, probe)
        keyring.delete_password(KEYRING_SERVICE, probe)
    except Exception as exc:  # any backend failure: locked, D-Bus gone, no daemon
        return Check(
            "keyring",
            FAIL,
            f"{name} cannot store a secret ({type(exc).__name__})",
            "unlock the keyring at session start (gnome-keyring-daemon --unlock); see docs/deployment.md",
        )
    if back != "probe":
        return Check("keyring", FAIL, f"{name} did not give back what was stored", "use a working keyring backend")
    ctx.keyring_ok = True
    return Check("keyring", OK, name)


def check_database(ctx: Context) -> Check:
    assert ctx.config is not None
    path = ctx.config.db_path
    if not path.exists():
        folder = path.parent if path.parent.exists() else path.parent.parent
        if not os.access(folder, os.W_OK):
            return Check("database", FAIL, f"{folder} is not writable", f"give the kiosk user write access to {folder}")
        return Check("database", WARN, f"{path} does not exist yet", "start the kiosk once, or enrol it")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        return Check("database", FAIL, f"cannot open {path}: {exc}", "check the file's owner and permissions")
    try:
        problem = quick_check(conn)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if problem is None else {}
    except sqlite3.DatabaseError as exc:
        problem = f"{exc}"
        meta = {}
    finally:
        conn.close()
    if problem is not None:
        return Check(
            "database",
            FAIL,
            f"{path} is damaged: {problem}",
            "stop the kiosk and start it again: it moves the damaged file aside (kept for IT) and starts a new one",
        )
    ctx.install_id = meta.get("install_id")
    ctx.portal_url, ctx.kiosk_id = meta.get("portal_url") or None, meta.get("kiosk_id") or None
    mode = "training" if ctx.config.training else "live"
    if meta.get("mode") and meta["mode"] != mode:
        return Check("database", FAIL, f"{path} holds {meta['mode']} data, not {mode}", "use a separate data directory")
    if meta.get("key_check") and ctx.install_id and ctx.keyring_ok:
        try:
            check_key(meta, ctx.install_id)
        except (VaultError, ValueError) as exc:
            return Check(
                "database",
                FAIL,
                f"stored answers cannot be opened: {exc}",
                "this is the wrong keyring for this database: restore the kiosk user's keyring, or contact IT",
            )
    return Check("database", OK, f"{path}: integrity ok")


def check_disk(ctx: Context) -> Check:
    assert ctx.config is not None
    folder = ctx.config.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free / 1e6
    need = ctx.config.min_free_disk_mb
    if free_mb < need:
        return Check("disk", FAIL, f"{free_mb:.0f} MB free at {folder}, under {need} MB", "free some disk space")
    if free_mb < 2 * need:
        return Check("disk", WARN, f"{free_mb:.0f} MB free at {folder}", "free some disk space soon")
    return Check("disk", OK, f"{free_mb:.0f} MB free")


def check_portal(ctx: Context, skew_limit: float) -> list[Check]:
    """Reachability with TLS verified, then clock skew (from the portal's clock)."""
    if not ctx.portal_url:
        return [
            Check("portal", FAIL, "this kiosk is not enrolled, so it has no portal", "run `dcp-kiosk enrol`"),
            Check("clock", SKIP, "needs the portal's clock"),
        ]
    parts = urlsplit(ctx.portal_url)
    if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
        return [
            Check("portal", FAIL, f"{ctx.portal_url} is not https", "re-enrol with the portal's https:// address"),
            Check("clock", SKIP, "needs the portal's clock"),
        ]
    assert ctx.config is not None
    client = PortalClient(ctx.portal_url, None, ca_bundle=ctx.config.ca_bundle)
    try:
        sent = time.time()
        server_time = client.health()
        back = time.time()
    except PortalError as exc:
        tls = exc.error_class == "tls"  # the message names the certificate's problem
        fix = (
            "check the portal's certificate (its host name and dates), or install the council's CA bundle "
            "and set ca_bundle in the configuration"
            if tls
            else "check the network, proxy and firewall; the kiosk keeps working offline meanwhile"
        )
        return [
            Check("portal", FAIL, exc.message if tls else f"{ctx.portal_url} cannot be reached: {exc.message}", fix),
            Check("clock", SKIP, "needs the portal's clock"),
        ]
    finally:
        client.close()
    ctx.portal_ok = True
    tls_note = "TLS verified" if parts.scheme == "https" else "loopback, no TLS"
    skew = server_time.timestamp() - (sent + back) / 2
    clock = (
        Check("clock", OK, f"{skew:+.1f} s from the portal's clock")
        if abs(skew) <= skew_limit
        else Check(
            "clock",
            FAIL,
            f"{skew:+.0f} s from the portal's clock (limit {skew_limit:.0f} s)",
            "turn on network time (timedatectl set-ntp true, or Windows Time)",
        )
    )
    return [Check("portal", OK, f"{ctx.portal_url} answers ({tls_note})"), clock]


def check_enrolment(ctx: Context) -> Check:
    if not ctx.portal_url or not ctx.kiosk_id or not ctx.install_id:
        return Check("enrolment", FAIL, "not enrolled", "run `dcp-kiosk enrol --portal URL --kiosk-id ID --site ID`")
    if not ctx.keyring_ok:
        return Check("enrolment", SKIP, "needs the keyring")
    try:
        token = keyring.get_password(KEYRING_SERVICE, f"device-token:{ctx.install_id}")
    except keyring.errors.KeyringError as exc:
        return Check("enrolment", FAIL, f"cannot read the device token ({type(exc).__name__})", "fix the keyring")
    if not token:
        return Check("enrolment", FAIL, "the device token is not in the keyring", "enrol the kiosk again")
    if not ctx.portal_ok:
        return Check("enrolment", SKIP, f"kiosk {ctx.kiosk_id}; the portal cannot be reached to check the token")
    assert ctx.config is not None
    client = PortalClient(ctx.portal_url, token, ca_bundle=ctx.config.ca_bundle)
    try:
        client.catalogue(None)
    except AuthFailed as exc:
        what = "does not know" if exc.status == 401 else "has revoked"
        return Check(
            "enrolment",
            FAIL,
            f"the portal {what} kiosk {ctx.kiosk_id}'s token (HTTP {exc.status})",
            "ask for a new device token and run `dcp-kiosk enrol` again",
        )
    except PortalError as exc:
        return Check("enrolment", WARN, f"could not check the token: {exc.message}", "try again later")
    finally:
        client.close()
    return Check("enrolment", OK, f"kiosk {ctx.kiosk_id}, token accepted")


def _run(cmd: list[str]) -> str | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None


def check_fonts() -> Check:
    if sys.platform != "linux":
        return Check("fonts", OK, "system fonts")
    if shutil.which("fc-list") is None:
        return Check("fonts", FAIL, "fc-list is missing (fontconfig)", "install fontconfig and fonts-noto-core")
    every = _run(["fc-list", ":", "family"]) or ""
    if not every.strip():
        return Check("fonts", FAIL, "no fonts are installed", "install fonts-dejavu-core and fonts-noto-core")
    families = {name.strip() for row in every.splitlines() for name in row.split(",") if name.strip()}
    wanted = {code: languages.info(code) for code in languages.codes()}
    bundled = bundled_font_families()
    missing = [
        f"{lang.english_name} ({', '.join(lang.fonts)})"
        for lang in wanted.values()
        if lang.fonts and not any(f in families or f in bundled for f in lang.fonts)
    ]
    if missing:
        return Check(
            "fonts",
            WARN,
            f"no font for {', '.join(missing)}: those languages would show boxes",
            "install fonts-noto-core",
        )
    scripts = ", ".join(lang.english_name for lang in wanted.values() if lang.fonts)
    return Check("fonts", OK, f"{len(families)} font families; {scripts} covered")


def bundled_font_families() -> set[str]:
    """The Noto families the bundle carries (its fonts folder), by their file names."""
    folder = Path(getattr(sys, "_MEIPASS", "")) / "fonts" if getattr(sys, "frozen", False) else None
    if folder is None or not folder.is_dir():
        return set()
    names = {p.stem.split("-")[0] for p in folder.glob("*.ttf")}
    return {re.sub(r"(?<!^)(?=[A-Z])", " ", name) for name in names}  # NotoNastaliqUrdu -> Noto Nastaliq Urdu


def check_languages() -> Check:
    """Every language's catalogue compiled and readable, and how much of it awaits a native speaker's review."""
    codes = languages.codes()
    broken = []
    for code in codes:
        mo = languages.catalogue_path(code).with_suffix(".mo")
        if not mo.exists():
            broken.append(f"{code} is not compiled")
            continue
        try:
            languages.read_compiled(mo)
        except (OSError, ValueError, UnicodeError):
            broken.append(f"{code} cannot be read")
    if broken:
        return Check("languages", FAIL, "; ".join(broken), "rebuild the kiosk (make catalogues; make package)")
    drafts = []
    for code in codes:
        waiting, entries = languages.drafts(code)
        if waiting:
            drafts.append(f"{languages.info(code).english_name} {waiting} of {entries}")
    names = ", ".join(f"{languages.info(c).english_name} ({c})" for c in codes)
    if drafts:
        return Check(
            "languages",
            WARN,
            f"{names}; draft translations not yet reviewed by a native speaker: {', '.join(drafts)}",
            "have each draft catalogue reviewed before live use (README: Languages)",
        )
    return Check("languages", OK, names)


def check_addresses(config: KioskConfig) -> Check:
    """The address pack in use: which, how many addresses, whose; none yet is a warning (citizens type)."""
    addresses = Addresses(PackShelf(packs_folder(config.data_dir)))
    try:
        installed = addresses.shelf.current()
        info = addresses.info()
    finally:
        addresses.close()
    if installed is None:
        return Check(
            "addresses",
            WARN,
            "no address pack yet: citizens type their addresses",
            "publish the council's gazetteer on the portal (docs/gazetteer.md); the kiosk fetches it when it syncs",
        )
    if info is None:
        return Check(
            "addresses",
            FAIL,
            f"the address pack {installed.version} cannot be opened: citizens type their addresses",
            "publish the pack again on the portal; the kiosk fetches a new version when it syncs",
        )
    meta = info.meta
    return Check(
        "addresses",
        OK,
        f"pack {installed.version}: {meta.addresses:,} addresses of {meta.custodian_name or 'the council'}, "
        f"built {meta.built_at[:10]}",
    )


SPEECH_TIMEOUT_S = 30.0  # Python and Qt start, speech-dispatcher spawned (about 2.6 s), its voices listed
LANGUAGE_NAMES = {code: languages.info(code).english_name for code in languages.codes()}  # every catalogue
VoiceReport = Callable[[str], dict[str, Any]]


def speech_report(engine: str, timeout: float = SPEECH_TIMEOUT_S) -> dict[str, Any]:
    """`dcp-kiosk speak --voices --json --in-process` in a child, stopped after `timeout` seconds.

    A child, because app does not import Qt, and because a stuck speech-dispatcher can hold Qt's
    engine for ever where no timeout reaches (the child is killed, with what it started)."""
    here = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    cmd = [*here, "speak", "--voices", "--json", "--in-process", "--engine", engine]
    try:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        return {"engine": engine, "engines": None, "error": f"cannot start the check ({type(exc).__name__})"}
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"engine": engine, "engines": None, "error": f"the engine did not answer within {timeout:g} s"}
    try:
        report = json.loads(out[:1_000_000].decode("utf-8"))
    except ValueError:
        report = None
    if not isinstance(report, dict):
        return {
            "engine": engine,
            "engines": None,
            "error": f"the check stopped without an answer (exit {proc.returncode})",
        }
    return report


def check_speech(config: KioskConfig | None = None, report: VoiceReport | None = None) -> Check:
    """The speech engine loads, and each kiosk language has a voice (audio mode speaks the display language)."""
    engine = config.speech_engine if config is not None else ("sapi" if sys.platform == "win32" else "speechd")
    found = (report or speech_report)(engine)
    engines = found.get("engines")
    install = (
        "install the speech packages (packaging/apt-packages.txt: speech-dispatcher, speech-dispatcher-espeak-ng, "
        "espeak-ng)"
        if sys.platform == "linux"
        else "install the Windows speech voices (Settings, Time and language, Speech)"
    )
    if found.get("error"):
        if engines is not None and engine not in engines:
            detail = f"no speech engine '{engine}' (this kiosk has: {', '.join(engines) or 'none'})"
            return Check("speech", FAIL, detail, f"{install}, or set speech_engine in the configuration")
        stuck = "answer" in found["error"]
        fix = "stop the speech-dispatcher that does not answer (the kiosk starts a new one)" if stuck else install
        return Check("speech", FAIL, f"{engine}: {found['error']}", f"{fix}; then try `dcp-kiosk speak --text hello`")
    languages: dict[str, Any] = found.get("languages") or {}
    have = [lang for lang in LANGUAGE_NAMES if isinstance(languages.get(lang), dict) and languages[lang].get("voice")]
    missing = [lang for lang in LANGUAGE_NAMES if lang not in have]
    if engine == "mock":
        return Check("speech", WARN, "the mock engine speaks silently (tests only)", "set speech_engine to speechd")
    if not have:
        return Check("speech", FAIL, f"{engine} loads but has no voices", install)
    names = ", ".join(f"{lang} ({languages[lang]['voice']})" for lang in have)
    if missing:
        words = ", ".join(f"{LANGUAGE_NAMES[lang]} ({lang})" for lang in missing)
        return Check(
            "speech",
            WARN,
            f"{engine}: no voice for {words}; voices for {names}",
            f"install espeak-ng voices for {words}: audio mode speaks English there meanwhile, and tells staff",
        )
    return Check("speech", OK, f"{engine}: a voice for every language: {names}")


def check_open311(config: KioskConfig) -> Check:
    """The Open311 endpoint, when the kiosk has one or a service needs one: set up, its key kept, answering,
    and listing every service a journey delivers to."""
    from app.kiosk import Kiosk
    from app.open311 import api_key_name, client_for, endpoint, journeys_by_service

    kiosk = Kiosk(config)
    try:
        where, using = endpoint(kiosk.store), journeys_by_service(kiosk)
        client = client_for(config, kiosk.store)
        key_name = api_key_name(kiosk.store)
    finally:
        kiosk.close()
    journeys = sorted(j for js in using.values() for j in js)
    if where is None or client is None:
        if journeys:
            return Check(
                "open311",
                FAIL,
                f"{', '.join(journeys)} deliver to Open311 and no endpoint is set up: their reports wait here",
                "run `dcp-kiosk open311 connect --url URL [--jurisdiction ID] < api-key.txt`",
            )
        return Check("open311", SKIP, "no Open311 endpoint, and no service delivers to one")
    try:
        try:
            has_key = bool(keyring.get_password(KEYRING_SERVICE, key_name))
        except keyring.errors.KeyringError:
            return Check("open311", SKIP, f"{where.url}: needs the keyring to check its api_key")
        if not has_key:
            return Check(
                "open311", FAIL, "the Open311 api_key is not in the keyring", "run `dcp-kiosk open311 connect` again"
            )
        try:
            listed = {str(s.get("service_code")) for s in client.services()}
        except PortalError as exc:
            return Check(
                "open311", FAIL, f"{where.url} cannot be used: {exc.message}", "check the address and the network"
            )
    finally:
        client.close()
    missing = sorted(code for code in using if code not in listed)
    if missing:
        return Check(
            "open311",
            WARN,
            f"{where.url} does not list {', '.join(missing)}, which {', '.join(j for c in missing for j in using[c])} "
            "deliver to: it will refuse those reports",
            "ask the council's supplier, or change the journeys' delivery",
        )
    return Check("open311", OK, f"{where.url} answers: {len(listed)} services; {len(journeys)} journeys deliver to it")


def run_checks(
    load: Callable[[], KioskConfig] | None = None, speech: Callable[[KioskConfig | None], Check] | None = None
) -> list[Check]:
    """Every check, in order. `speech` replaces the speech check (tests; a caller with its own engine)."""
    ctx = Context()
    checks = [check_config(ctx, load or load_config)]
    checks.append(check_keyring(ctx))
    if ctx.config is None:
        checks += [
            Check(name, SKIP, "needs a valid configuration")
            for name in ("database", "disk", "portal", "clock", "enrolment", "addresses", "open311")
        ]
    else:
        database = check_database(ctx)
        checks.append(database)
        checks.append(check_disk(ctx))
        checks += check_portal(ctx, ctx.config.max_clock_skew_s)
        checks.append(check_enrolment(ctx))
        checks.append(check_addresses(ctx.config))
        # doctor only reads: the Open311 check opens the kiosk's database, so only one that is whole
        checks.append(
            check_open311(ctx.config) if database.status == OK else Check("open311", SKIP, "needs the database")
        )
    checks += [check_fonts(), check_languages(), (speech or check_speech)(ctx.config)]
    return checks


def healthy(checks: list[Check]) -> bool:
    return not any(c.status == FAIL for c in checks)


def as_json(checks: list[Check]) -> dict[str, Any]:
    return {"healthy": healthy(checks), "checks": [asdict(c) for c in checks]}


def as_text(checks: list[Check]) -> str:
    marks = {OK: "ok  ", WARN: "WARN", FAIL: "FAIL", SKIP: "--  "}
    lines = [f"{marks[c.status]}  {c.name:<12} {c.detail}" for c in checks]
    todo = [c for c in checks if c.status in (FAIL, WARN) and c.fix]
    if todo:
        lines += ["", "To fix:" if not healthy(checks) else "To look at:"]
        lines += [f"  {i}. {c.name}: {c.fix}" for i, c in enumerate(todo, 1)]
    else:
        lines += ["", "All checks passed."]
    return "\n".join(lines)
