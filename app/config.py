"""KioskConfig: one typed model of every key, loaded from a TOML file, DCP_KIOSK_* variables and the command line.

Each key is declared once, below: its type, default, bounds and description. docs/configuration.md
gives the same table for IT, and a test checks the two agree.
"""

from __future__ import annotations

import difflib
import os
import sys
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import platformdirs
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from app import languages

APP_NAME = "dcp-kiosk"


class ConfigError(ValueError):
    """The configuration is not usable; the message names the key."""


def default_config_file() -> Path:
    """Where the configuration file is read from when neither --config nor DCP_KIOSK_CONFIG names one."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_data_dir(training: bool) -> Path:
    base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base / "training" if training else base / "live"


# -- the value types: each turns text from a file or the environment into its value, or says why not --


def _refuse(message: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError("config", message + ", not {value}", {"value": repr(value)})


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise _refuse("must be true or false", value)


def _whole_number(value: Any) -> int:
    if isinstance(value, bool | float):
        raise _refuse("must be a whole number", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _refuse("must be a whole number", value) from None


def _text(value: Any) -> Any:
    if isinstance(value, dict | list | bool):
        raise _refuse("must be text", value)
    return str(value)


def _optional_text(value: Any) -> Any:
    """Text, where nothing (an empty value from the environment) means the default: None."""
    return None if value is None or value == "" else _text(value)


def _upper_text(value: Any) -> Any:
    return _text(value).upper()


def _folder(value: Any) -> Path:
    if isinstance(value, dict | list | bool | int | float):
        raise _refuse("must be a folder path", value)
    return Path(value).expanduser()


def _existing_file(value: str | None) -> str | None:
    if value is not None and not Path(value).expanduser().is_file():
        raise PydanticCustomError("config_path", "there is no file at {path}", {"path": value})
    return value


def _language_codes(value: Any) -> list[str] | None:
    """A list of catalogue codes: a TOML list, or "en,ur,gu" from the environment; each one the kiosk has."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _refuse("must be a list of language codes, like ['en', 'ur']", value)
    known = languages.codes()
    unknown = [v for v in value if v not in known]
    if unknown:
        raise PydanticCustomError(
            "config",
            "has {unknown}, which the kiosk has no catalogue for (it has {known})",
            {"unknown": ", ".join(unknown), "known": ", ".join(known)},
        )
    return list(dict.fromkeys(value))


Flag = Annotated[bool, BeforeValidator(_flag)]
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Folder = Annotated[Path, BeforeValidator(_folder)]
FilePath = Annotated[str | None, BeforeValidator(_text), AfterValidator(_existing_file)]
LogLevel = Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper_text)]
LanguageCodes = Annotated[list[str] | None, BeforeValidator(_language_codes)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]


class KioskConfig(BaseModel):
    """Every key is documented, with its default, in docs/configuration.md (a test checks it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Folder = Field(
        description="Where the database (`kiosk.sqlite3`) and the logs (`logs/`) live. "
        "Linux default: `~/.local/share/dcp-kiosk/live`. Also `--data-dir`.",
    )
    training: Flag = Field(
        False,
        description="Training mode: a separate database, references start `TRN-`, nothing reaches the council. "
        "Also `--training`.",
    )
    ca_bundle: FilePath = Field(
        None,
        description="A PEM file of extra certificate authorities for a council network that inspects TLS. "
        "Verification is never turned off. The file must exist.",
    )
    idle_timeout_s: WholeNumber = Field(
        90, ge=1, description="Seconds without a touch before the citizen is warned and then their answers are wiped."
    )
    sync_interval_s: WholeNumber = Field(
        30, ge=1, description="Seconds between delivery passes when nothing new is waiting."
    )
    retention_days: WholeNumber = Field(
        0,
        ge=0,
        description="Days to keep a delivered submission's answers (encrypted) before they are purged; "
        "`0` purges at delivery. The reference, journey and times are always kept.",
    )
    heartbeat_interval_s: WholeNumber = Field(
        300,
        ge=1,
        description="Seconds between heartbeats to the portal (version, outbox depth, oldest pending age, "
        "needs-attention count, last sync, clock skew, free disk).",
    )
    log_level: LogLevel = Field("INFO", description="The least severe message written to the log.")
    log_max_bytes: WholeNumber = Field(1_000_000, ge=1, description="Size at which `logs/dcp-kiosk.log` is rotated.")
    log_backups: WholeNumber = Field(5, ge=0, description="How many rotated log files to keep (`dcp-kiosk.log.1` ...).")
    min_free_disk_mb: WholeNumber = Field(
        200,
        ge=0,
        description="`doctor` fails below this much free disk in the data folder, and warns below twice it.",
    )
    max_clock_skew_s: WholeNumber = Field(
        120,
        ge=1,
        description="`doctor` fails when the kiosk's clock differs from the portal's by more than this.",
    )
    staff_lockout_failures: WholeNumber = Field(5, ge=1, description="Wrong staff PINs in a row that lock a staff id.")
    staff_lockout_s: WholeNumber = Field(
        300,
        ge=1,
        description="Seconds a staff id stays locked after too many wrong PINs. Sign-in works offline; "
        "PINs are stored as salted scrypt hashes (`dcp-kiosk staff add`).",
    )

    speech_engine: Annotated[str, BeforeValidator(_text)] = Field(
        "sapi" if sys.platform == "win32" else "speechd",
        description="The speech engine for audio mode (Windows default: `sapi`): `speechd` (Linux, speech-dispatcher with espeak-ng voices), "
        "`sapi` or `winrt` (Windows); `mock` speaks silently (tests). `dcp-kiosk doctor` lists the voices.",
    )
    speech_output: Literal["detect", "headphones", "speaker"] = Field(
        "detect",
        description="Where audio mode speaks. `detect`: headphones while the audio server reports them plugged in; "
        "`headphones`: the kiosk has only a private earpiece or handset; `speaker`: an open speaker, so answers "
        "and references are never spoken aloud (the citizen can switch with the keypad's * key).",
    )
    speech_volume: WholeNumber = Field(
        7, ge=1, le=10, description="Audio mode's volume, 1 to 10, set again for each citizen."
    )

    languages: LanguageCodes = Field(
        None,
        description="The languages the kiosk offers, as catalogue codes (`['en', 'ur', 'gu']`; `en,ur,gu` in the "
        "environment), in the order the home screen shows them. `none`: every catalogue the kiosk has. Offer a "
        "language live only once a native speaker has reviewed its draft translation.",
    )
    default_language: Annotated[str, BeforeValidator(_text)] = Field(
        "en",
        description="The language each citizen starts in, and that Start again and the time-out go back to; "
        "one of `languages`.",
    )

    receipt_printer: OptionalText = Field(
        None,
        description="The printer that prints receipts, by its name in the system's printer list (CUPS on Linux: "
        "`lpstat -e`). `none`: the system's default printer. With neither, no receipt is printed and the kiosk carries on.",
    )
    receipt_paper: Literal["80mm", "a4"] = Field(
        "80mm",
        description="The receipt printer's paper: `80mm`, a receipt roll (80 mm wide, each receipt as long as its "
        "content); `a4`, an office printer.",
    )

    @model_validator(mode="after")
    def _default_language_is_offered(self) -> KioskConfig:
        if self.default_language not in self.offered_languages:
            raise PydanticCustomError(
                "config",
                "default_language {value} is not one of the languages offered ({offered})",
                {"value": repr(self.default_language), "offered": ", ".join(self.offered_languages)},
            )
        return self

    @property
    def offered_languages(self) -> list[str]:
        """The languages offered, in order: `languages`, or every catalogue (English first)."""
        return list(self.languages) if self.languages else languages.codes()

    @model_validator(mode="before")
    @classmethod
    def _data_dir_follows_the_mode(cls, values: Any) -> Any:
        """With no data_dir given, the platform's data folder, apart for live and training."""
        if isinstance(values, dict) and values.get("data_dir") in (None, ""):
            try:
                training = _flag(values.get("training", False))
            except PydanticCustomError:
                training = False  # reported by the training key's own check
            values = {**values, "data_dir": default_data_dir(training)}
        return values

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"


KEYS: tuple[str, ...] = tuple(KioskConfig.model_fields)


def _message(error: Any, values: dict[str, Any]) -> str:
    """One pydantic error as the sentence IT reads: it starts with the key."""
    key = str(error["loc"][0]) if error["loc"] else ""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "config_path":
        return f"{key}: {error['msg']}"
    if kind == "greater_than_equal":
        return f"{key} must be more than 0" if ctx["ge"] == 1 else f"{key} must be {ctx['ge']} or more"
    if kind == "less_than_equal":
        return f"{key} must be {ctx['le']} or less"
    if kind == "literal_error":
        choices = ", ".join(get_args(KioskConfig.model_fields[key].annotation))
        return f"{key} must be one of {choices}, not {values.get(key, error['input'])!r}"
    return f"{key} {error['msg']}" if key else str(error["msg"])


def _unknown_keys(values: dict[str, Any]) -> None:
    unknown = set(values) - set(KEYS)
    if unknown:
        hints = []
        for key in sorted(unknown):
            close = difflib.get_close_matches(key, KEYS, n=1)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise ConfigError(f"unknown configuration key: {', '.join(hints)}")


def _read_file(path: str | Path) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the configuration file {path} is not valid TOML: {exc}") from None


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
    path = config_file or env.get("DCP_KIOSK_CONFIG")
    if not path and default_config_file().is_file():
        path = default_config_file()
    values: dict[str, Any] = _read_file(path) if path else {}
    for key in KEYS:
        env_value = env.get(f"DCP_KIOSK_{key.upper()}")
        if env_value is not None:
            values[key] = env_value
    if data_dir is not None:
        values["data_dir"] = data_dir
    if training is not None:
        values["training"] = training
    _unknown_keys(values)
    try:
        return KioskConfig.model_validate(values)
    except ValidationError as exc:
        raise ConfigError("; ".join(_message(e, values) for e in exc.errors())) from None
