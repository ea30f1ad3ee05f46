"""Private listening (EN 301 549 5.1.3.9): personal data is spoken only through headphones.

`Listening` answers one question for the speech controller: is speech private right now? The
answer comes from the configuration key `speech_output`:

- "headphones": always private (a kiosk with only an earpiece or a handset);
- "speaker": never private (an open speaker);
- "detect": private while the audio server reports headphones on the default sink. PulseAudio,
  and PipeWire's pulse server, report each sink's ports and whether something is plugged into
  them; `pactl` asks them. It runs as a QProcess (never blocking the UI thread), bounded in time
  (killed after `timeout_ms`) and in size (`MAX_OUTPUT`); any failure means "not detected", so
  the open speaker, which is the safe side: answers are then hidden, never spoken aloud.

The citizen's * key and the staff switch call `toggle()`, which holds for this citizen only:
`reset()` (after each citizen) and any change the hardware reports take over again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, QTimer, Signal, Slot

from ui.i18n import staff_tr

__all__ = ["MAX_OUTPUT", "MODES", "TIMEOUT_MS", "Detection", "Listening", "detect_headphones"]

log = logging.getLogger("ui.speech")

MODES = ("detect", "headphones", "speaker")
TIMEOUT_MS = 2000  # one check (both pactl calls) is killed after this
MAX_OUTPUT = 256 * 1024  # a kiosk's sinks are a few KB of JSON; more than this is not an answer
MAX_STDERR = 2000

# Port types (pactl's words for PA_DEVICE_PORT_TYPE_*) and names that are a private earpiece.
_PRIVATE_TYPES = {"headphones", "headset", "earpiece", "handset"}
_PRIVATE_WORDS = ("headphone", "headset", "earpiece", "handset")
# Port types that are plainly not private: the sink's own form factor does not overrule them.
_OPEN_TYPES = {"speaker", "hdmi", "line", "spdif", "tv", "car", "hifi", "radio", "video", "aux", "network"}
_PRIVATE_FORM_FACTORS = {"headphone", "headset", "handset"}

# What a check found, in English (the log) and as a key for `tr` (the staff console, doctor).
FOUND_HEADPHONES = "headphones (detected)"
FOUND_SPEAKER = "open speaker (no headphones detected)"
NOT_CHECKED = "open speaker (not checked yet)"
NO_PACTL = "pactl is not installed or cannot be run"
NO_SERVER = "the audio server did not answer"
TIMED_OUT = "the audio server did not answer in time"
TOO_LARGE = "the audio server's answer was too large"
UNREADABLE = "the audio server's answer could not be read"
NO_DEFAULT = "the audio server has no default output"
UNLISTED = "the default output is not among the outputs listed"


@dataclass(frozen=True)
class Detection:
    """What one check of the audio server found."""

    headphones: bool
    ok: bool  # the audio server answered (False: a failure, taken as "not detected")
    why: str  # one of the module's English constants, for the log and `tr`
    # The sink and port (a Bluetooth sink's name holds the device's address: never logged), or for a
    # failure pactl's own words, a size or a time (logged once).
    detail: str = ""


def _text(value: Any) -> str:
    return value.lower() if isinstance(value, str) else ""


def _port_is_private(port: dict[str, Any]) -> bool | None:
    """True: a headphones port; False: plainly an open one; None: the port does not say."""
    kind, name = _text(port.get("type")), _text(port.get("name"))
    if kind in _PRIVATE_TYPES or any(word in name for word in _PRIVATE_WORDS):
        return True
    if kind in _OPEN_TYPES or any(word in name for word in ("speaker", "hdmi", "iec958", "spdif", "lineout")):
        return False
    return None


def _sink_is_headset(sink: dict[str, Any]) -> bool:
    """A USB or Bluetooth headset: the whole sink is the earpiece (its port may be plain "analog-output")."""
    props = sink.get("properties")
    if not isinstance(props, dict):
        return False
    if _text(props.get("device.form_factor")) in _PRIVATE_FORM_FACTORS:
        return True
    bus, icon = _text(props.get("device.bus")), _text(props.get("device.icon_name"))
    return bus in ("usb", "bluetooth") and any(word in icon for word in ("headset", "headphone"))


def detect_headphones(sinks_json: str | bytes, default_sink: str) -> Detection:
    """Whether the default sink plays into headphones, from `pactl --format=json list sinks`.

    Headphones: the default sink's active port is a headphones port that is not "not available"
    (an analog sink with speaker and headphones ports switches to the headphones port when they are
    plugged in), or the default sink is itself a USB or Bluetooth headset. Anything else, or an
    answer that cannot be read, is the open speaker.
    """
    default_sink = default_sink.strip()
    if len(sinks_json) > MAX_OUTPUT:
        return Detection(False, False, TOO_LARGE, f"{len(sinks_json)} bytes")
    if not default_sink:
        return Detection(False, True, NO_DEFAULT)
    try:
        sinks = json.loads(sinks_json)
    except (ValueError, RecursionError) as exc:
        return Detection(False, False, UNREADABLE, type(exc).__name__)
    if not isinstance(sinks, list):
        return Detection(False, False, UNREADABLE, "not a list of outputs")
    sink = next((s for s in sinks if isinstance(s, dict) and s.get("name") == default_sink), None)
    if sink is None:
        return Detection(False, True, UNLISTED, default_sink[:100])
    where = default_sink[:100]
    active, ports = sink.get("active_port"), sink.get("ports")
    port: dict[str, Any] | None = None
    if isinstance(active, str) and isinstance(ports, list):
        port = next((p for p in ports if isinstance(p, dict) and p.get("name") == active), None)
    if port is not None:
        where += f" port {str(active)[:100]}"
        if _text(port.get("availability")) == "not available":
            return Detection(False, True, FOUND_SPEAKER, where + " (unplugged)")
        private = _port_is_private(port)
        if private is not None:
            return Detection(private, True, FOUND_HEADPHONES if private else FOUND_SPEAKER, where)
    if _sink_is_headset(sink):
        return Detection(True, True, FOUND_HEADPHONES, where + " (a headset)")
    return Detection(False, True, FOUND_SPEAKER, where)


class Listening(QObject):
    """Whether speech is private now: the configuration, the headphone jack, and this citizen's toggle."""

    changed = Signal(bool)  # `private`, whenever it changes (hardware, toggle, reset)
    plugged_in = Signal()  # headphones went from unplugged to plugged in ("walk up, plug in headphones")
    checked = Signal(object)  # a Detection: each check of the audio server, when it ends (doctor, tests)

    def __init__(
        self,
        mode: str = "detect",
        parent: QObject | None = None,
        *,
        pactl: str = "pactl",
        poll_ms: int = 2000,
        timeout_ms: int = TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"speech_output must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.pactl = pactl
        self.timeout_ms = timeout_ms
        self._override: bool | None = None  # this citizen's toggle
        self._detected = False  # the hardware's answer as used ("not detected" after a failure)
        self._known: bool | None = None  # the last answer the audio server actually gave
        self._detection: Detection | None = None
        self._logged: str | None = None  # the failure last logged (logged once, not at every poll)
        self._step: str | None = None  # the pactl call under way: "default", "sinks" or None
        self._default_sink = ""
        self._out = bytearray()
        self._err = bytearray()
        self._poll = QTimer(self)
        self._poll.setInterval(max(50, poll_ms))
        self._poll.timeout.connect(self.check)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._timed_out)
        self._proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("LC_ALL", "C")  # pactl translates words such as "not available"
        self._proc.setProcessEnvironment(env)
        self._proc.setStandardInputFile(QProcess.nullDevice())
        self._proc.readyReadStandardOutput.connect(self._read_out)
        self._proc.readyReadStandardError.connect(self._read_err)
        self._proc.finished.connect(self._finished)
        self._proc.errorOccurred.connect(self._error)
        app = QCoreApplication.instance()
        if app is not None:  # a pactl still running at exit is killed, not left to Qt's warning
            app.aboutToQuit.connect(self.stop)

    # -- the answer ----------------------------------------------------------------------

    @property
    def base(self) -> bool:
        """What the configuration and the hardware say, without this citizen's toggle."""
        if self.mode == "headphones":
            return True
        if self.mode == "speaker":
            return False
        return self._detected

    @property
    def private(self) -> bool:
        """Is speech private (headphones) right now."""
        return self._override if self._override is not None else self.base

    @property
    def detection(self) -> Detection | None:
        """The last check of the audio server ("detect" only; None before the first)."""
        return self._detection

    def source(self) -> str:
        """Where speech goes and why, in a few words for staff and doctor."""
        if self._override is not None:
            return (
                staff_tr("headphones (switched for this citizen)")
                if self._override
                else staff_tr("open speaker (switched for this citizen)")
            )
        if self.mode == "headphones":
            return staff_tr("headphones (configured)")
        if self.mode == "speaker":
            return staff_tr("open speaker (configured)")
        found = self._detection
        if found is None:
            return staff_tr(NOT_CHECKED)
        if found.ok:
            return staff_tr(found.why)
        return staff_tr("open speaker (no headphones detected: {why})").format(why=staff_tr(found.why))

    # -- the citizen's toggle ------------------------------------------------------------

    def toggle(self) -> bool:
        """The keypad's * key or the staff switch: flip private for this citizen; the new state."""
        self._override = not self.private
        self.changed.emit(self._override)
        return self._override

    def reset(self) -> None:
        """After each citizen: back to what the configuration and the hardware say."""
        before = self.private
        self._override = None
        if self.private != before:
            self.changed.emit(self.private)

    # -- the hardware --------------------------------------------------------------------

    def start(self) -> None:
        """Ask the audio server now and every `poll_ms` ("detect" only)."""
        if self.mode != "detect" or self._poll.isActive():
            return
        self._poll.start()
        self.check()

    def stop(self) -> None:
        """No timer and no pactl left running."""
        self._poll.stop()
        self._deadline.stop()
        self._step = None
        if self._proc.state() != QProcess.ProcessState.NotRunning:
            self._proc.kill()
            self._proc.waitForFinished(1000)

    @property
    def running(self) -> bool:
        return self._poll.isActive()

    @Slot()
    def check(self) -> None:
        """One check of the audio server (asynchronous; a check still under way is left to finish)."""
        if self._step is not None or self._proc.state() != QProcess.ProcessState.NotRunning:
            return
        self._deadline.start(self.timeout_ms)
        self._run("default", ["get-default-sink"])

    def _run(self, step: str, args: list[str]) -> None:
        self._step = step
        self._out.clear()
        self._err.clear()
        self._proc.start(self.pactl, args)  # a missing program reports through errorOccurred

    @Slot()
    def _read_out(self) -> None:
        chunk = bytes(self._proc.readAllStandardOutput().data())
        if self._step is None:
            return
        self._out += chunk
        if len(self._out) > MAX_OUTPUT:
            self._done(Detection(False, False, TOO_LARGE, f"more than {MAX_OUTPUT} bytes"))
            self._proc.kill()

    @Slot()
    def _read_err(self) -> None:
        chunk = bytes(self._proc.readAllStandardError().data())
        room = MAX_STDERR - len(self._err)
        if room > 0:
            self._err += chunk[:room]

    @Slot(int, QProcess.ExitStatus)
    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        step = self._step
        if step is None:
            return  # killed (too large, too slow, stopped): already dealt with
        self._read_out()
        if self._step is None:
            return
        if status != QProcess.ExitStatus.NormalExit or code != 0:
            words = bytes(self._err).decode("utf-8", "replace").strip().splitlines()
            self._done(Detection(False, False, NO_SERVER, f"pactl exit {code}: {words[0][:200] if words else ''}"))
            return
        out = bytes(self._out).decode("utf-8", "replace")
        if step == "default":
            self._default_sink = out.strip()
            if not self._default_sink:
                self._done(Detection(False, True, NO_DEFAULT))
                return
            self._run("sinks", ["--format=json", "list", "sinks"])
            return
        self._done(detect_headphones(out, self._default_sink))

    @Slot(QProcess.ProcessError)
    def _error(self, error: QProcess.ProcessError) -> None:
        # A crash or a kill also ends in `finished`; only a program that never started does not.
        if error == QProcess.ProcessError.FailedToStart and self._step is not None:
            self._done(Detection(False, False, NO_PACTL, self.pactl[:200]))

    @Slot()
    def _timed_out(self) -> None:
        if self._step is None:
            return
        self._done(Detection(False, False, TIMED_OUT, f"{self.timeout_ms} ms"))
        self._proc.kill()  # its `finished` comes later and is ignored

    def _done(self, found: Detection) -> None:
        self._step = None
        self._deadline.stop()
        if not found.ok and self._logged != found.why:  # once, not at every poll
            log.warning("headphone detection failed: %s (%s); speaking as on the open speaker", found.why, found.detail)
            self._logged = found.why
        elif found.ok and self._logged is not None:
            log.info("headphone detection works again: %s", found.why)
            self._logged = None
        self._set(found)

    def _set(self, found: Detection) -> None:
        before = self.private
        self._detection = found
        plugged = found.ok and found.headphones and self._known is False
        if found.ok:
            self._known = found.headphones
        if found.headphones != self._detected:
            self._detected = found.headphones
            if self.mode == "detect":
                self._override = None  # what the hardware now says takes over from a toggle
        if self.private != before:
            self.changed.emit(self.private)
        if plugged:
            self.plugged_in.emit()
        self.checked.emit(found)
