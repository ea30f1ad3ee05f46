"""`dcp-kiosk speak`: for IT to try the kiosk's voice, and to list the voices per language.

The Qt part is ui.speech.try_voice, reached through app.cli.run (the one module of app that may
import ui), in a child process (`--in-process`) so that every wait is bounded; this module words
what happened, for a person or as JSON. Doctor's speech check calls `voice_report` too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
from typing import Any

from app import languages
from app.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, config_of, print_json

LOAD_BUDGET_S = 20.0  # Python, Qt and the engine's own start (speech-dispatcher spawned: about 2.6 s)
MAX_CHILD_OUTPUT = 1_000_000  # bytes of the child's JSON read (every voice of every language is about 20 kB)
MAX_TEXT = 2000  # characters: a sentence or a paragraph to try, not a book
LANGUAGE_NAMES = {code: languages.info(code).english_name for code in languages.codes()}  # every catalogue


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _language(code: str) -> str:
    return f"{code} ({LANGUAGE_NAMES[code]})" if code in LANGUAGE_NAMES else code


def voices_text(result: dict[str, Any]) -> str:
    lines = [f"engine:    {result['engine']} (loaded in {_seconds(result.get('load_s'))})"]
    for lang, found in result.get("languages", {}).items():
        if found["voice"] is None:
            lines.append(f"  {_language(lang):<14} NO VOICE")
        else:
            others = len(found["voices"]) - 1
            more = f", and {others} more" if others > 0 else ""
            lines.append(f"  {_language(lang):<14} {found['voice']} ({found['locale']}){more}")
    if result.get("missing"):
        lines.append(f"no voice for: {', '.join(result['missing'])} (the kiosk speaks English there, and says so)")
    return "\n".join(lines)


def speak_text(result: dict[str, Any]) -> str:
    lines = [f"engine:    {result['engine']} (loaded in {_seconds(result.get('load_s'))})"]
    lines.append(f"language:  {_language(result['language'])}")
    if result.get("voice"):
        lines.append(f"voice:     {result['voice']} ({result['locale']})")
    if result.get("states"):
        lines.append(f"states:    {' -> '.join(result['states'])}")
    if result.get("start_s") is not None:
        lines.append(f"started speaking after {_seconds(result['start_s'])}")
    if result.get("done_s") is not None:
        lines.append(f"ready again after {_seconds(result['done_s'])}")
    if result.get("spoken"):
        lines.append("done: the text was spoken.")
    if result["language"] not in result.get("supported", [result["language"]]):
        lines.append(
            f"note: {result['language']} is not one of the kiosk's languages ({', '.join(result['supported'])})"
        )
    return "\n".join(lines)


def _here() -> list[str]:
    """How to run this program again: the frozen bundle is its own executable."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]


def voice_report(
    engine: str,
    *,
    voices: bool,
    text: str = "",
    language: str = "en",
    timeout_s: float = 30.0,
    extra: list[str] | None = None,
) -> dict[str, Any]:
    """Ask a child `dcp-kiosk speak --in-process --json` (the Qt part) and give its result.

    In a child because a stuck speech-dispatcher can hold Qt's engine inside its constructor for
    ever, where no timeout reaches; the child is stopped after LOAD_BUDGET_S + timeout_s."""
    cmd = [*_here(), "speak", "--in-process", "--json", "--engine", engine, *(extra or [])]
    cmd += ["--voices"] if voices else ["--text", text, "--language", language, "--timeout", f"{timeout_s:g}"]
    limit = LOAD_BUDGET_S + (0 if voices else timeout_s)
    unknown: dict[str, Any] = {"engine": engine, "engines": None, "language": language, "languages": {}}
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        return {**unknown, "error": f"cannot start the speech check ({type(exc).__name__})"}
    try:
        out, _err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # and whatever it started in its group
        proc.communicate()
        return {
            **unknown,
            "error": f"the speech engine '{engine}' did not answer within {limit:g} s (is speech-dispatcher stuck?)",
        }
    try:
        result = json.loads(out[:MAX_CHILD_OUTPUT].decode("utf-8"))
    except ValueError:
        result = None
    if not isinstance(result, dict):
        return {**unknown, "error": f"the speech check stopped without an answer (exit {proc.returncode})"}
    return result


def cmd_speak(args: argparse.Namespace) -> int:
    config = config_of(args)
    engine = args.engine or config.speech_engine
    if not args.voices:
        if not args.text or not args.text.strip():
            print('dcp-kiosk: speak: give --text "..." to say, or --voices to list the voices', file=sys.stderr)
            return EXIT_USAGE
        if len(args.text) > MAX_TEXT:
            print(f"dcp-kiosk: speak: --text is longer than {MAX_TEXT} characters", file=sys.stderr)
            return EXIT_USAGE
    if args.in_process:
        from app.cli.run import try_voice  # the Qt part, through the composition root

        result = try_voice(
            engine,
            voices=args.voices,
            text=args.text or "",
            language=args.language,
            volume=config.speech_volume,
            timeout_s=args.timeout,
        )
    else:
        extra = [f"--data-dir={args.data_dir}"] if args.data_dir else []
        extra += [f"--config={args.config}"] if args.config else []
        result = voice_report(
            engine,
            voices=args.voices,
            text=args.text or "",
            language=args.language,
            timeout_s=args.timeout,
            extra=extra,
        )
    if args.json:
        print_json(result)
    else:
        print(voices_text(result) if args.voices else speak_text(result))
    if result.get("error"):
        if not args.in_process:
            print(f"dcp-kiosk: speak: {result['error']}", file=sys.stderr)
        engines = result.get("engines")
        return EXIT_USAGE if engines is not None and result["engine"] not in engines else EXIT_FAIL
    return EXIT_OK
