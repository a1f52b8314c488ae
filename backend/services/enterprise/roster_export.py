"""The roster as a file (CSV or XLSX) holding exactly what the screen shows: the same filters, search and
order (roster.chosen_staff), every page of it, with the headers and words in the reader's language only.
The XLSX is the bulk check's (bulk/export.py): widths to fit, the header row frozen, ID numbers as text."""
from __future__ import annotations

import datetime as dt

from backend.models import RegStatus
from backend.services.clock import Clock
from backend.services.enterprise.bulk.export import add_sheet, csv_bytes, xlsx_bytes
from backend.services.enterprise.roster import earliest_expiry

COLUMNS = [("姓名", "Name"), ("性别", "Sex"), ("身份证号", "ID number"), ("注册编号", "Registration number"),
           ("执业印章号", "Seal number"), ("类别", "Kind"), ("注册状态", "Status"),
           ("注册专业及有效期", "Specialties and validity"),
           ("最早到期日", "Earliest expiry"), ("电子证书使用期至", "Copy usable until"), ("年龄上限日期", "Age cap date"),
           ("预警", "Warnings"), ("挂证信号", "Certificate-renting signals")]
TEXT_COLUMNS = (2, 3, 4)            # ID and registration numbers keep their digits and letters as typed
SEX = {"M": ("男", "male"), "F": ("女", "female")}
SPECIALTY_STATUS = {"lapsed": ("已过期", "lapsed"), "cancelled": ("已注销", "cancelled")}


def header(lang: str) -> list[str]:
    return [en if lang == "en" else zh for zh, en in COLUMNS]


def _specialties(e: dict, en: bool) -> str:
    parts = []
    for s in e["specialties"]:
        end = SPECIALTY_STATUS.get(s["status"])
        parts.append(f"{s['name_en'] if en else s['name']} {s['valid_from']}–{s['valid_until']}"
                     + (f" ({end[en]})" if end else ""))
    return ("; " if en else ";").join(parts)


def _local_date(instant: str, clock: Clock) -> str:
    """An instant of the answer (UTC, "…Z") as the date on the registry's calendar, as the screen shows it."""
    return clock.local(dt.datetime.fromisoformat(instant.removesuffix("Z"))).date().isoformat()


def row(e: dict, lang: str, clock: Clock) -> list:
    en = lang == "en"
    copy = e["current_copy"]
    sep = "; " if en else ";"
    return [e["name"], SEX.get(e["sex"], (e["sex"], e["sex"]))[en], e["id_number"], e["registration_number"],
            e["seal_number"], e["kind_name_en"] if en else e["kind_name"],
            (RegStatus.EN if en else RegStatus.ZH)[e["status"]], _specialties(e, en), earliest_expiry(e),
            _local_date(copy["usage_until"], clock) if copy else None, e["age_cap_date"],
            sep.join(w["message_en" if en else "message"] for w in e["warnings"]) or None,
            sep.join(s["message_en" if en else "message"] for s in e["signals"]) or None]


def roster_csv(entries: list[dict], lang: str, clock: Clock) -> bytes:
    return csv_bytes(header(lang), (row(e, lang, clock) for e in entries))


def roster_xlsx(entries: list[dict], lang: str, clock: Clock) -> bytes:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    add_sheet(wb, "Staff" if lang == "en" else "本单位人员", header(lang), [row(e, lang, clock) for e in entries],
              text_columns=TEXT_COLUMNS)
    return xlsx_bytes(wb)
