"""Hand-written DTF 7.3 records for the import's tests: each builder gives one row in the real field order."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["10", "Test Borough Council", "9017", "2026-11-30", "1", "2026-11-30", "03:00:00", "7.3", "F"]


def street(usrn: str, change: str = "I", order: int = 1) -> list[str]:
    return ["11", change, str(order), usrn, "1", "9017", "2", "2010-04-01", "1", "8", "1", "2010-04-01",
            "2020-01-15", "2010-04-01", "", "360000", "424000", "360250", "424120", "10"]  # fmt: skip


def descriptor(usrn: str, name: str, locality: str = "Little Harwood", *, change: str = "I", order: int = 2,
               language: str = "ENG", town: str = "Harwood") -> list[str]:  # fmt: skip
    return ["15", change, str(order), usrn, name, locality, town, "Lancashire", language]


def blpu(uprn: str, *, change: str = "I", order: int = 3, status: str = "1", end: str = "",
         custodian: str = "9017", x: str = "364971.00", y: str = "429990.00") -> list[str]:  # fmt: skip
    return ["21", change, str(order), uprn, status, "2", "2012-06-01", "RD04", "", x, y, "1",
            custodian, "2012-06-01", end, "2021-03-02", "2012-06-01", "", "E05000001", "", "", "", ""]  # fmt: skip


def lpi(uprn: str, usrn: str, *, key: str = "", change: str = "I", order: int = 4, status: str = "1",
        language: str = "ENG", end: str = "", sao: tuple[str, ...] = ("", "", "", "", ""),
        pao: tuple[str, ...] = ("14", "", "", "", ""), postcode: str = "BB2 1LB", town: str = "Harwood") -> list[str]:  # fmt: skip
    key = key or f"9017L{uprn[-8:]}1"
    return ["24", change, str(order), uprn, key, language, status, "2012-06-01", end, "2012-06-01", "2021-03-02",
            *sao, *pao, usrn, "", "Y", postcode, town, "Y", "", "", ""]  # fmt: skip


def house(uprn: str, usrn: str, number: str = "14", order: int = 10, **kw: object) -> list[list[str]]:
    """A BLPU and its approved LPI."""
    return [blpu(uprn, order=order), lpi(uprn, usrn, order=order + 1, pao=(number, "", "", "", ""), **kw)]  # type: ignore[arg-type]


def text(
    rows: list[list[str]], *, header: list[str] | None = None, trailer: bool = True, count: int | None = None
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    records = [header or HEADER, *rows]
    if trailer:
        records.append(["99", "0", str(count if count is not None else len(records) + 1), "2026-11-30", "03:00:00"])
    writer.writerows(records)
    return out.getvalue()


def write(path: Path, rows: list[list[str]], **kw: object) -> Path:
    path.write_text(text(rows, **kw), encoding="utf-8", newline="")  # type: ignore[arg-type]
    return path


def a_street(usrn: str = "17000001", name: str = "King's Road") -> list[list[str]]:
    return [street(usrn), descriptor(usrn, name)]
