"""KioskConfig: the documented keys, the default file, overrides and messages that name the key."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from pydantic.fields import FieldInfo

from app.config import KEYS, ConfigError, KioskConfig, default_config_file, load_config
from tests.conftest import ROOT

DOC = ROOT / "docs" / "configuration.md"
FIELDS = KioskConfig.model_fields


def documented_keys() -> dict[str, tuple[str, str, str]]:
    """The key table in docs/configuration.md: | `key` | type | default | meaning | -> (type, default, meaning)."""
    rows = re.findall(
        r"^\|\s*`([a-z_]+)`\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*$",
        DOC.read_text(encoding="utf-8"),
        re.M,
    )
    return {key: (kind, default, meaning) for key, kind, default, meaning in rows}


def lower_bound(field: FieldInfo) -> int | None:
    return next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)


def upper_bound(field: FieldInfo) -> int | None:
    return next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)


def test_the_doc_and_the_model_list_the_same_keys() -> None:
    assert set(documented_keys()) == set(KEYS)


@pytest.mark.parametrize("key", [k for k in KEYS if not FIELDS[k].is_required()])
def test_the_doc_gives_each_default(key: str) -> None:
    doc_default = documented_keys()[key][1].strip("`")
    value = FIELDS[key].default
    expected = "none" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    assert doc_default == expected


@pytest.mark.parametrize("key", KEYS)
def test_the_doc_gives_each_description_and_bound(key: str) -> None:
    kind, _, meaning = documented_keys()[key]
    assert meaning == FIELDS[key].description
    bound, top = lower_bound(FIELDS[key]), upper_bound(FIELDS[key])
    if bound is not None and top is not None:
        assert kind == f"whole number {bound} to {top}"
    elif bound is not None:
        assert kind == ("whole number > 0" if bound == 1 else f"whole number ≥ {bound}")
    else:
        assert "whole number" not in kind


def test_the_defaults_load_with_no_file(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path, environ={})
    assert config.heartbeat_interval_s == 300
    assert config.log_level == "INFO"
    assert config.data_dir == tmp_path


def test_the_default_file_is_read_from_the_user_config_dir(tmp_path: Path) -> None:
    path = default_config_file()
    if sys.platform == "linux":  # the place the doc names (conftest redirects XDG_CONFIG_HOME to tmp)
        assert "`$XDG_CONFIG_HOME/dcp-kiosk/config.toml`" in DOC.read_text(encoding="utf-8")
        assert path == Path(os.environ["XDG_CONFIG_HOME"]) / "dcp-kiosk" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("heartbeat_interval_s = 60\nlog_level = 'debug'\n", encoding="utf-8")
    config = load_config(data_dir=tmp_path, environ={})
    assert (config.heartbeat_interval_s, config.log_level) == (60, "DEBUG")


def test_an_explicit_file_wins_over_the_default_and_the_environment_over_the_file(tmp_path: Path) -> None:
    default_config_file().parent.mkdir(parents=True, exist_ok=True)
    default_config_file().write_text("sync_interval_s = 5\n", encoding="utf-8")
    explicit = tmp_path / "kiosk.toml"
    explicit.write_text("sync_interval_s = 7\nmin_free_disk_mb = 50\n", encoding="utf-8")
    config = load_config(data_dir=tmp_path, config_file=explicit, environ={"DCP_KIOSK_MIN_FREE_DISK_MB": "75"})
    assert (config.sync_interval_s, config.min_free_disk_mb) == (7, 75)


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ("heartbeat_interval_s = 0", {}, "heartbeat_interval_s must be more than 0"),
        ("heartbeat_interval_s = true", {}, "heartbeat_interval_s must be a whole number"),
        ("max_clock_skew_s = 2.5", {}, "max_clock_skew_s must be a whole number"),
        ("log_level = 'loud'", {}, "log_level must be one of DEBUG, INFO, WARNING, ERROR"),
        ("log_level = 3", {}, "log_level must be one of"),
        ("ca_bundle = ['a']", {}, "ca_bundle must be text"),
        ("ca_bundle = '/no/such/bundle.pem'", {}, "ca_bundle: there is no file at /no/such/bundle.pem"),
        ("sync_intreval_s = 3", {}, "unknown configuration key: sync_intreval_s (did you mean sync_interval_s?)"),
        ("data_dir = 5", {}, "data_dir must be a folder path"),
        ("", {"DCP_KIOSK_LOG_BACKUPS": "-1"}, "log_backups must be 0 or more"),
        ("", {"DCP_KIOSK_TRAINING": "maybe"}, "training must be true or false"),
        ("", {"DCP_KIOSK_LOG_MAX_BYTES": "lots"}, "log_max_bytes must be a whole number"),
        ("receipt_paper = 'a5'", {}, "receipt_paper must be one of 80mm, a4, not 'a5'"),
        ("receipt_printer = ['a']", {}, "receipt_printer must be text"),
    ],
)
def test_a_bad_value_names_its_key(tmp_path: Path, toml: str, env: dict[str, str], message: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(config_file=path, environ=env)
    assert message in str(exc.value)


def test_a_file_that_is_not_toml_says_which_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("log_level = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kiosk\.toml is not valid TOML"):
        load_config(config_file=path, environ={})


def test_a_good_ca_bundle_is_kept(tmp_path: Path) -> None:
    bundle = tmp_path / "council-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = load_config(data_dir=tmp_path, environ={"DCP_KIOSK_CA_BUNDLE": str(bundle)})
    assert config.ca_bundle == str(bundle)


def test_the_receipt_printer_is_the_default_one_unless_named(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path, environ={})
    assert (config.receipt_printer, config.receipt_paper) == (None, "80mm")
    assert load_config(data_dir=tmp_path, environ={"DCP_KIOSK_RECEIPT_PRINTER": ""}).receipt_printer is None
    path = tmp_path / "config.toml"
    path.write_text("receipt_printer = 'Epson TM-T88VI'\nreceipt_paper = 'a4'\n", encoding="utf-8")
    named = load_config(data_dir=tmp_path, config_file=path, environ={})
    assert (named.receipt_printer, named.receipt_paper) == ("Epson TM-T88VI", "a4")


def test_the_cli_reports_a_bad_key_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    path = tmp_path / "kiosk.toml"
    path.write_text("idle_timeout_s = 'soon'\n", encoding="utf-8")
    assert main(["status", "--config", str(path), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "idle_timeout_s must be a whole number" in err and "Traceback" not in err


def test_the_languages_offered_are_the_catalogues_unless_the_council_says(tmp_path: Path) -> None:
    from app import languages

    assert load_config(data_dir=tmp_path, environ={}).offered_languages == languages.codes()
    chosen = load_config(data_dir=tmp_path, environ={"DCP_KIOSK_LANGUAGES": "en, ur,gu"})
    assert chosen.offered_languages == ["en", "ur", "gu"]
    path = tmp_path / "config.toml"
    path.write_text("languages = ['ur', 'en']\ndefault_language = 'ur'\n", encoding="utf-8")
    welsh_free = load_config(data_dir=tmp_path, config_file=path, environ={})
    assert welsh_free.offered_languages == ["ur", "en"] and welsh_free.default_language == "ur"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "languages = ['en', 'cy']",
            "languages has cy, which the kiosk has no catalogue for (it has en, gu, pa, pl, ur)",
        ),
        ("languages = 'en'\ndefault_language = 'ur'", "default_language 'ur' is not one of the languages offered (en)"),
        ("languages = [1]", "languages must be a list of language codes, like ['en', 'ur'], not [1]"),
        ("default_language = 'xx'", "default_language 'xx' is not one of the languages offered"),
    ],
)
def test_a_language_the_kiosk_cannot_show_is_refused_by_name(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as found:
        load_config(data_dir=tmp_path, config_file=path, environ={})
    assert message in str(found.value)
