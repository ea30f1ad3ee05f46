"""KioskConfig: a TOML file plus DCP_KIOSK_* environment overrides, typed and validated."""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "dcp-kiosk"


class ConfigError(ValueError):
    """The configuration is not usable; the message names the key."""


@dataclass(frozen=True)
class KioskConfig:
    """Every key is documented, with its default, in docs/configuration.md (a test checks it)."""

    data_dir: Path
    training: bool = False
    ca_bundle: str | None = None
    idle_timeout_s: int = 90
    sync_interval_s: int = 30
    retention_days: int = 0
    heartbeat_interval_s: int = 300
    log_level: str = "INFO"
    log_max_bytes: int = 1_000_000
    log_backups: int = 5
    min_free_disk_mb: int = 200
    max_clock_skew_s: int = 120
    staff_lockout_failures: int = 5
    staff_lockout_s: int = 300

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"


def default_config_file() -> Path:
    """Where the configuration file is read from when neither --config nor DCP_KIOSK_CONFIG names one."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_data_dir(training: bool) -> Path:
    base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base / "training" if training else base / "live"


# Keys that may be 0 (every other whole number must be more than 0).
_MINIMUM: dict[str, int] = {"retention_days": 0, "log_backups": 0, "min_free_disk_mb": 0}
_CHOICES: dict[str, tuple[str, ...]] = {"log_level": ("DEBUG", "INFO", "WARNING", "ERROR")}


def _coerce(key: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{key} must be true or false, not {value!r}")
    if kind is int:
        if isinstance(value, bool | float):
            raise ConfigError(f"{key} must be a whole number, not {value!r}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {value!r}") from None
        minimum = _MINIMUM.get(key, 1)
        if number < minimum:
            raise ConfigError(f"{key} must be more than 0" if minimum == 1 else f"{key} must be {minimum} or more")
        return number
    if isinstance(value, dict | list | bool):
        raise ConfigError(f"{key} must be text, not {value!r}")
    text = str(value)
    choices = _CHOICES.get(key)
    if choices is not None:
        text = text.upper()
        if text not in choices:
            raise ConfigError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return text


_KINDS: dict[str, type] = {
    "training": bool,
    "ca_bundle": str,
    "idle_timeout_s": int,
    "sync_interval_s": int,
    "retention_days": int,
    "heartbeat_interval_s": int,
    "log_level": str,
    "log_max_bytes": int,
    "log_backups": int,
    "min_free_disk_mb": int,
    "max_clock_skew_s": int,
    "staff_lockout_failures": int,
    "staff_lockout_s": int,
}


def load_config(
    *,
    data_dir: str | Path | None = None,
    config_file: str | Path | None = None,
    training: bool | None = None,
    environ: dict[str, str] | None = None,
) -> KioskConfig:
    """File, then DCP_KIOSK_* environment, then explicit arguments (the command line) win.

    The file is --config, else DCP_KIOSK_CONFIG, else default_config_file() if it exists.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or env.get("DCP_KIOSK_CONFIG")
    if not path and default_config_file().is_file():
        path = default_config_file()
    if path:
        try:
            values.update(tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"cannot read the configuration file {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"the configuration file {path} is not valid TOML: {exc}") from None
    for f in fields(KioskConfig):
        env_value = env.get(f"DCP_KIOSK_{f.name.upper()}")
        if env_value is not None:
            values[f.name] = env_value
    if data_dir is not None:
        values["data_dir"] = data_dir
    if training is not None:
        values["training"] = training
    unknown = set(values) - {f.name for f in fields(KioskConfig)}
    if unknown:
        known = [f.name for f in fields(KioskConfig)]
        hints = []
        for key in sorted(unknown):
            close = difflib.get_close_matches(key, known, n=1)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise ConfigError(f"unknown configuration key: {', '.join(hints)}")
    typed: dict[str, Any] = {k: _coerce(k, v, _KINDS[k]) for k, v in values.items() if k in _KINDS}
    is_training = bool(typed.get("training", False))
    if isinstance(values.get("data_dir"), dict | list | bool | int | float):
        raise ConfigError(f"data_dir must be a folder path, not {values['data_dir']!r}")
    typed["data_dir"] = (
        Path(values["data_dir"]).expanduser() if values.get("data_dir") else default_data_dir(is_training)
    )
    bundle = typed.get("ca_bundle")
    if bundle is not None and not Path(bundle).expanduser().is_file():
        raise ConfigError(f"ca_bundle: there is no file at {bundle}")
    return KioskConfig(**typed)
