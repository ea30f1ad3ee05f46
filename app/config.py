"""KioskConfig: a TOML file plus DCP_KIOSK_* environment overrides, typed and validated."""

from __future__ import annotations

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
    data_dir: Path
    training: bool = False
    ca_bundle: str | None = None
    idle_timeout_s: int = 90
    sync_interval_s: int = 30
    retention_days: int = 0

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"


def default_data_dir(training: bool) -> Path:
    base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base / "training" if training else base / "live"


# Keys that may be 0 (every other whole number must be more than 0).
_MINIMUM: dict[str, int] = {"retention_days": 0}


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
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {value!r}") from None
        minimum = _MINIMUM.get(key, 1)
        if number < minimum:
            raise ConfigError(f"{key} must be more than 0" if minimum == 1 else f"{key} must be {minimum} or more")
        return number
    return str(value)


_KINDS: dict[str, type] = {
    "training": bool,
    "ca_bundle": str,
    "idle_timeout_s": int,
    "sync_interval_s": int,
    "retention_days": int,
}


def load_config(
    *,
    data_dir: str | Path | None = None,
    config_file: str | Path | None = None,
    training: bool | None = None,
    environ: dict[str, str] | None = None,
) -> KioskConfig:
    """File, then DCP_KIOSK_* environment, then explicit arguments (the command line) win."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or env.get("DCP_KIOSK_CONFIG")
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
        raise ConfigError(f"unknown configuration key: {', '.join(sorted(unknown))}")
    typed: dict[str, Any] = {k: _coerce(k, v, _KINDS[k]) for k, v in values.items() if k in _KINDS}
    is_training = bool(typed.get("training", False))
    typed["data_dir"] = Path(values["data_dir"]) if values.get("data_dir") else default_data_dir(is_training)
    return KioskConfig(**typed)
