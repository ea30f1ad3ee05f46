"""Private listening: each path to "is speech private now" (EN 301 549 5.1.3.9).

The configuration ("headphones", "speaker"), the hardware ("detect": a fake `pactl` whose answer
changes between polls, and the real PulseAudio with a null sink), the citizen's toggle and reset,
and every way the audio server can fail (no pactl, an error, garbage, too much, a pactl that hangs).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QProcess
from pytestqt.qtbot import QtBot

from ui.speech import listening as mod
from ui.speech.listening import Detection, Listening, detect_headphones

# -- what `pactl --format=json list sinks` says (PulseAudio 16; trimmed to the fields that matter) --


def port(name: str, description: str, kind: str, availability: str, priority: int = 100) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "type": kind,
        "priority": priority,
        "availability_group": "Legacy 1",
        "availability": availability,
    }


def sink(name: str, active: str | None, ports: list[dict[str, Any]], **props: str) -> dict[str, Any]:
    return {
        "index": 0,
        "state": "SUSPENDED",
        "name": name,
        "description": props.pop("description", name),
        "driver": "module-alsa-card.c",
        "mute": False,
        "monitor_source": name + ".monitor",
        "flags": ["HARDWARE", "HW_MUTE_CTRL", "HW_VOLUME_CTRL", "DECIBEL_VOLUME", "LATENCY"],
        "properties": {k.replace("_", ".", 1): v for k, v in props.items()},
        "ports": ports,
        "active_port": active,
        "formats": ["pcm"],
    }


LAPTOP = "alsa_output.pci-0000_00_1f.3.analog-stereo"


def laptop(plugged: bool) -> dict[str, Any]:
    """An analog sink with speaker and headphones ports: PulseAudio moves to the headphones port when plugged."""
    return sink(
        LAPTOP,
        "analog-output-headphones" if plugged else "analog-output-speaker",
        [
            port("analog-output-speaker", "Speakers", "Speaker", "availability unknown", 10000),
            port(
                "analog-output-headphones",
                "Headphones",
                "Headphones",
                "available" if plugged else "not available",
                9900,
            ),
        ],
        description="Built-in Audio Analog Stereo",
        device_bus="pci",
        device_form_factor="internal",
        device_icon_name="audio-card-analog-pci",
    )


USB_HEADSET = sink(
    "alsa_output.usb-Logitech_USB_Headset-00.analog-stereo",
    "analog-output",
    [port("analog-output", "Analog Output", "Analog", "availability unknown", 9900)],
    device_bus="usb",
    device_form_factor="headset",
    device_icon_name="audio-headset-usb",
)
BLUETOOTH_HEADPHONES = sink(
    "bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink",
    "headphone-output",
    [port("headphone-output", "Headphone", "Headphones", "available")],
    device_bus="bluetooth",
    device_form_factor="headphone",
    device_icon_name="audio-headphones-bluetooth",
)
BLUETOOTH_SPEAKER = sink(
    "bluez_sink.00_1B_66_DD_EE_FF.a2dp_sink",
    "speaker-output",
    [port("speaker-output", "Speaker", "Speaker", "available")],
    device_bus="bluetooth",
    device_form_factor="speaker",
    device_icon_name="audio-speakers-bluetooth",
)
HDMI = sink(
    "alsa_output.pci-0000_00_1f.3.hdmi-stereo",
    "hdmi-output-0",
    [port("hdmi-output-0", "HDMI / DisplayPort", "HDMI", "available", 5900)],
    device_bus="pci",
    device_form_factor="internal",
    device_icon_name="audio-card-pci",
)
NULL_SINK = {  # exactly what `pactl --format=json list sinks` printed for module-null-sink on this machine
    "index": 0,
    "state": "IDLE",
    "name": "kiosk",
    "description": "Null Output",
    "driver": "module-null-sink.c",
    "properties": {"device.description": "Null Output", "device.class": "abstract", "device.icon_name": "audio-card"},
    "ports": [],
    "active_port": None,
    "formats": ["pcm"],
}


def sinks_json(*sinks: dict[str, Any]) -> str:
    return json.dumps(list(sinks))


@pytest.mark.parametrize(
    ("sinks", "default", "headphones", "ok"),
    [
        pytest.param([laptop(plugged=True), HDMI], LAPTOP, True, True, id="laptop-headphones-plugged"),
        pytest.param([laptop(plugged=False), HDMI], LAPTOP, False, True, id="laptop-headphones-unplugged"),
        pytest.param([laptop(plugged=True), USB_HEADSET], USB_HEADSET["name"], True, True, id="usb-headset"),
        pytest.param([BLUETOOTH_HEADPHONES], BLUETOOTH_HEADPHONES["name"], True, True, id="bluetooth-headphones"),
        pytest.param([BLUETOOTH_SPEAKER], BLUETOOTH_SPEAKER["name"], False, True, id="bluetooth-speaker"),
        pytest.param([laptop(plugged=True), HDMI], HDMI["name"], False, True, id="hdmi-default"),
        pytest.param([NULL_SINK], "kiosk", False, True, id="null-sink"),
        pytest.param([], "auto_null", False, True, id="no-sinks"),
        pytest.param([laptop(plugged=True)], "", False, True, id="no-default"),
    ],
)
def test_the_default_sinks_port_says_headphones_or_not(
    sinks: list[dict[str, Any]], default: str, headphones: bool, ok: bool
) -> None:
    found = detect_headphones(sinks_json(*sinks), default + "\n")
    assert (found.headphones, found.ok) == (headphones, ok), found


def test_a_headphones_port_that_is_not_available_is_the_speaker() -> None:
    stuck = laptop(plugged=False)
    stuck["active_port"] = "analog-output-headphones"  # chosen by hand, but nothing in the jack
    assert not detect_headphones(sinks_json(stuck), LAPTOP).headphones


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "Sink #0\n\tState: SUSPENDED\n\tName: alsa_output...",  # an old pactl without --format=json
        '{"name": "kiosk"}',
        "[" * 100_000,  # deeper than the JSON reader will go
        '[{"name": "kiosk", "ports": 7, "active_port": ["x"], "properties": "no"}]',
        '[1, null, "kiosk", {"name": 3}]',
        b"\xff\xfe[]",
    ],
)
def test_garbage_is_not_detected_and_never_raises(garbage: str | bytes) -> None:
    found = detect_headphones(garbage, "kiosk")
    assert found.headphones is False


def test_an_answer_larger_than_the_cap_is_refused_unread() -> None:
    found = detect_headphones(" " * (mod.MAX_OUTPUT + 1) + sinks_json(laptop(plugged=True)), LAPTOP)
    assert (found.headphones, found.ok, found.why) == (False, False, mod.TOO_LARGE)


# -- Listening --------------------------------------------------------------------------------


class FakePactl:
    """A `pactl` on disk whose answers the test changes between polls."""

    SCRIPT = """#!/bin/sh
D="$(dirname "$0")"
echo "$*" >> "$D/calls"
case "$1" in
  get-default-sink) cat "$D/default" ;;
  --format=json)
    if [ -f "$D/hang" ]; then echo $$ > "$D/hang.pid"; exec sleep 30; fi
    if [ -f "$D/fail" ]; then echo "Connection failure: Connection refused" >&2; exit 1; fi
    if [ -f "$D/huge" ]; then exec yes '['; fi  # without end: only the size cap stops it
    cat "$D/sinks.json" ;;
  *) echo "No valid command specified." >&2; exit 1 ;;
esac
"""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.path = folder / "pactl"
        self.path.write_text(self.SCRIPT)
        self.path.chmod(0o755)
        self.answer(laptop(plugged=False), HDMI, default=LAPTOP)

    def answer(self, *sinks: dict[str, Any], default: str) -> None:
        self.write("sinks.json", sinks_json(*sinks))
        self.write("default", default + "\n")

    def plug(self) -> None:
        self.answer(laptop(plugged=True), HDMI, default=LAPTOP)

    def unplug(self) -> None:
        self.answer(laptop(plugged=False), HDMI, default=LAPTOP)

    def write(self, name: str, text: str) -> None:
        tmp = self.folder / (name + ".tmp")
        tmp.write_text(text)
        tmp.replace(self.folder / name)  # a poll never reads half a file

    def set(self, flag: str, on: bool = True) -> None:
        if on:
            (self.folder / flag).touch()
        else:
            (self.folder / flag).unlink(missing_ok=True)

    def calls(self) -> list[str]:
        path = self.folder / "calls"
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def pactl(tmp_path: Path) -> FakePactl:
    return FakePactl(tmp_path / "bin")


@pytest.fixture
def make(qtbot: QtBot) -> Iterator[Callable[..., Listening]]:
    made: list[Listening] = []

    def build(mode: str = "detect", **kwargs: Any) -> Listening:
        kwargs.setdefault("poll_ms", 50)
        listening = Listening(mode, **kwargs)
        made.append(listening)
        return listening

    yield build
    for listening in made:
        listening.stop()


def checked(qtbot: QtBot, listening: Listening, n: int = 1) -> Detection:
    """Wait for `n` more checks of the audio server to end; the last one's finding."""
    seen: list[Detection] = []
    listening.checked.connect(seen.append)
    qtbot.waitUntil(lambda: len(seen) >= n, timeout=5000)
    listening.checked.disconnect(seen.append)
    return seen[-1]


@pytest.mark.parametrize(
    ("mode", "private", "words"),
    [("headphones", True, "headphones (configured)"), ("speaker", False, "open speaker (configured)")],
)
def test_the_configured_output_never_asks_the_hardware(
    qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl, mode: str, private: bool, words: str
) -> None:
    pactl.plug()
    listening = make(mode, pactl=str(pactl.path))
    listening.start()
    qtbot.wait(200)
    assert listening.private is private
    assert listening.source() == words
    assert pactl.calls() == [] and not listening.running


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="speech_output"):
        Listening("loud")


def test_plugging_in_and_out_is_detected_on_the_default_sink(
    qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl
) -> None:
    listening = make(pactl=str(pactl.path))
    assert listening.private is False and listening.source() == "open speaker (not checked yet)"
    changes: list[bool] = []
    plugs: list[bool] = []
    listening.changed.connect(changes.append)
    listening.plugged_in.connect(lambda: plugs.append(True))
    listening.start()
    checked(qtbot, listening)
    assert (listening.private, changes, plugs) == (False, [], [])
    assert listening.source() == "open speaker (no headphones detected)"
    assert pactl.calls()[:2] == ["get-default-sink", "--format=json list sinks"]

    with qtbot.waitSignals([listening.changed, listening.plugged_in], timeout=5000):
        pactl.plug()
    assert listening.private is True and changes == [True] and plugs == [True]
    assert listening.source() == "headphones (detected)"

    with qtbot.waitSignal(listening.changed, timeout=5000) as unplugged:
        pactl.unplug()
    assert unplugged.args == [False]
    assert listening.private is False and plugs == [True]  # unplugging is not a plug-in

    with qtbot.waitSignal(listening.changed, timeout=5000):  # a USB headset becomes the default sink
        pactl.answer(laptop(plugged=False), USB_HEADSET, default=USB_HEADSET["name"])
    assert listening.private is True and plugs == [True, True]


def test_headphones_already_in_at_start_are_private_but_not_a_plug_in(
    qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl
) -> None:
    pactl.plug()
    listening = make(pactl=str(pactl.path))
    plugs: list[bool] = []
    listening.plugged_in.connect(lambda: plugs.append(True))
    with qtbot.waitSignal(listening.changed, timeout=5000) as change:
        listening.start()
    assert change.args == [True]
    checked(qtbot, listening, 2)
    assert listening.private is True and plugs == []


@pytest.mark.parametrize(("mode", "base"), [("detect", False), ("speaker", False), ("headphones", True)])
def test_the_toggle_holds_for_this_citizen_until_reset(
    qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl, mode: str, base: bool
) -> None:
    listening = make(mode, pactl=str(pactl.path))
    listening.start()
    if mode == "detect":
        checked(qtbot, listening)
    changes: list[bool] = []
    listening.changed.connect(changes.append)
    assert listening.toggle() is (not base)
    assert listening.private is (not base) and changes == [not base]
    assert "switched for this citizen" in listening.source()
    if mode == "detect":
        checked(qtbot, listening, 2)  # polls that find nothing new leave the citizen's choice alone
        assert listening.private is (not base)
    assert listening.toggle() is base and changes == [not base, base]
    listening.toggle()
    listening.reset()
    assert listening.private is base and changes == [not base, base, not base, base]
    assert "switched" not in listening.source()
    listening.reset()  # nothing to undo: no signal
    assert changes == [not base, base, not base, base]


def test_pulling_the_headphones_out_overrules_the_toggle(
    qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl
) -> None:
    """A citizen who said "I have headphones" and then pulls them out is on the open speaker again."""
    listening = make(pactl=str(pactl.path))
    listening.start()
    checked(qtbot, listening)
    assert listening.toggle() is True
    with qtbot.waitSignal(listening.plugged_in, timeout=5000):
        pactl.plug()
    assert listening.private is True
    with qtbot.waitSignal(listening.changed, timeout=5000) as change:
        pactl.unplug()
    assert change.args == [False] and listening.private is False


def failed_once(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ui.speech" and r.levelno >= logging.WARNING]


def test_no_pactl_is_not_detected_with_one_log_line(
    qtbot: QtBot, make: Callable[..., Listening], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    listening = make(pactl=str(tmp_path / "no" / "pactl"))
    listening.toggle()  # a citizen's choice survives a detection that keeps failing
    listening.start()
    found = checked(qtbot, listening, 3)
    assert (found.ok, found.why, listening.private) == (False, mod.NO_PACTL, True)
    listening.reset()
    assert listening.private is False
    assert listening.source() == "open speaker (no headphones detected: pactl is not installed or cannot be run)"
    assert len(failed_once(caplog)) == 1, failed_once(caplog)


@pytest.mark.parametrize(
    ("flag", "why"), [("fail", mod.NO_SERVER), ("huge", mod.TOO_LARGE), ("garbage", mod.UNREADABLE)]
)
def test_a_failing_audio_server_is_not_detected_and_recovers(
    qtbot: QtBot,
    make: Callable[..., Listening],
    pactl: FakePactl,
    caplog: pytest.LogCaptureFixture,
    flag: str,
    why: str,
) -> None:
    pactl.plug()
    listening = make(pactl=str(pactl.path))
    listening.start()
    checked(qtbot, listening)
    assert listening.private is True
    with qtbot.waitSignal(listening.changed, timeout=5000) as change:
        if flag == "garbage":
            pactl.write("sinks.json", "Sink #0\n\tState: RUNNING\n")
        else:
            pactl.set(flag)
    assert change.args == [False]  # the safe side: answers hidden
    found = checked(qtbot, listening, 2)
    assert (found.ok, found.why) == (False, why)
    assert len(failed_once(caplog)) == 1
    with qtbot.waitSignal(listening.changed, timeout=5000):
        pactl.set(flag, on=False)
        pactl.plug()
    assert listening.private is True and listening.detection is not None and listening.detection.ok


def test_a_pactl_that_hangs_is_killed(qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl) -> None:
    pactl.plug()
    pactl.set("hang")
    listening = make(pactl=str(pactl.path), timeout_ms=300, poll_ms=5000)
    started = time.monotonic()
    listening.start()
    found = checked(qtbot, listening)
    took = time.monotonic() - started
    assert (found.ok, found.why, listening.private) == (False, mod.TIMED_OUT, False)
    assert 0.25 < took < 2.0, took
    pid = int((pactl.folder / "hang.pid").read_text())
    qtbot.waitUntil(lambda: listening._proc.state() == QProcess.ProcessState.NotRunning, timeout=2000)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left sleeping


def test_the_default_bound_is_two_seconds() -> None:
    listening = Listening()
    assert listening.timeout_ms == 2000
    assert not listening.running
    listening.deleteLater()


def test_stop_leaves_no_pactl_running(qtbot: QtBot, make: Callable[..., Listening], pactl: FakePactl) -> None:
    pactl.set("hang")
    listening = make(pactl=str(pactl.path))
    listening.start()
    qtbot.waitUntil(lambda: (pactl.folder / "hang.pid").exists(), timeout=3000)
    listening.stop()
    assert listening._proc.state() == QProcess.ProcessState.NotRunning and not listening.running


# -- the real audio server ------------------------------------------------------------------


@pytest.fixture
def pulseaudio(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """PulseAudio with one null sink ("kiosk"), private to the test; the name of its default sink."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("pulseaudio is not installed (packaging/system-deps.sh installs it)")
    run = Path(tempfile.mkdtemp(prefix="pa-"))  # short: a unix socket path has a length limit
    run.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    proc = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=kiosk",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], capture_output=True, timeout=5).returncode != 0:
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.skip("pulseaudio did not start here")
            time.sleep(0.1)
        yield "kiosk"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(run, ignore_errors=True)


def test_the_real_pulseaudio_null_sink_is_the_open_speaker(
    qtbot: QtBot, make: Callable[..., Listening], pulseaudio: str
) -> None:
    listening = make()
    listening.start()
    found = checked(qtbot, listening)
    assert found == Detection(False, True, mod.FOUND_SPEAKER, pulseaudio)  # it answered: a sink with no ports
    assert listening.private is False and listening.source() == "open speaker (no headphones detected)"
