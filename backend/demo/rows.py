"""Rows of the synthetic registry, generated in plain Python from one seeded random.Random.

Rows are tuples in the column order of COLUMNS, with dates as ISO text (SQLite's storage format and
valid COPY input for PostgreSQL), so that demo_data.py can write them in bulk without per-row
conversions. Speed matters here (a million persons in minutes), hence weighted choice by table lookup
(demo_vocab.Picker) and partial sums of the check-digit formula cached per region and date.
"""
from __future__ import annotations

import datetime as dt
import random

from backend.demo.numbers import registration_number
from backend.demo.vocab import ID_WEIGHTS, Picker, Vocabulary, org_code
from backend.services.checkdigits import USCC_ALPHABET, uscc_check_char
from backend.services.clock import add_years as _years_later

COLUMNS = {
    "enterprises": ("id", "name", "short_name", "uscc", "province_code", "status", "created_at", "updated_at"),
    "persons": ("id", "name", "sex", "birth_date", "id_type", "id_number", "phone", "synthetic",
                "created_at", "updated_at"),
    "registrations": ("id", "person_id", "enterprise_id", "kind_code", "registration_number", "seal_counter",
                      "province_code", "status", "status_reason", "first_registered_on", "created_at",
                      "updated_at", "version"),
    "registration_specialties": ("id", "registration_id", "specialty_code", "valid_from", "valid_until", "status"),
    "qualifications": ("id", "person_id", "kind_code", "specialty_code", "certificate_no", "issued_on"),
}


class Synth:
    """Generates enterprises and persons with their registrations, specialties and qualifications.

    `taken` holds what must stay unique across calls: ID numbers (as int of the first 17 digits),
    credit codes, enterprise names and the last serial per registration-number prefix.
    """

    KIND_WEIGHTS = {"JZS2": 48, "JZS1": 22, "AQB": 8, "AQC": 7, "TZZY": 6, "AQA": 3, "ZJS2": 3, "JZJ2": 1.5, "JGS2": 1.5}
    # A second kind at the same employer: a constructor often also holds 安管 B (Beijing even requires
    # a B holder to be a registered constructor at the same employer); a B or A holder, a constructor.
    SECOND_KIND = {"constructor": (("AQB", 70), ("ZJS2", 15), ("AQA", 15)), "safety": (("JZS2", 70), ("JZS1", 30))}
    SPECIALTY_WEIGHTS = {"JZ": 40, "SZ": 20, "JD": 15, "GL": 10, "SL": 8, "KY": 3, "TL": 3, "GH": 2, "TX": 3, "MH": 1,
                         "01": 25, "05": 15, "04": 12, "02": 10, "06": 8, "C2": 50, "C1": 20, "C3": 30, "TJ": 70, "AZ": 30}
    STATUS_DRAW = (("active", 905), ("suspended", 30), ("cancelled", 40), ("rescinded", 12), ("revoked", 13))

    def __init__(self, catalogue, today: dt.date, rnd: random.Random, stamp: str, taken: dict):
        self.cat, self.today, self.rnd, self.r, self.stamp, self.taken = catalogue, today, rnd, rnd.random, stamp, taken
        self.today_ord = today.toordinal()
        self.voc = Vocabulary(rnd, catalogue.provinces)
        kinds = [(k, self.KIND_WEIGHTS.get(k, 2)) for k in catalogue.kinds]
        self.kind = Picker(kinds, rnd, 1000)
        self.spec_pickers = {k.code: Picker([(c, self.SPECIALTY_WEIGHTS.get(c, 5)) for c in k.specialties], rnd, 256)
                             for k in catalogue.kinds.values()}
        self.status = Picker(self.STATUS_DRAW, rnd, 1000)
        self.phone_prefix = self.voc.raw["phone_prefixes"]
        self.employers: list[tuple[int, str, bool]] = []            # (id, province code, active)
        self._iso: dict[int, str] = {}
        self._date_sum: dict[int, tuple[str, int]] = {}
        self.oldest = _years_later(today, -70).toordinal() + 1
        self.youngest = _years_later(today, -23).toordinal()
        self.floor = dt.date(2005, 1, 1).toordinal()              # first national exams: 2004-2005

    def iso(self, o: int) -> str:
        s = self._iso.get(o)
        if s is None:
            s = self._iso[o] = dt.date.fromordinal(o).isoformat()
        return s

    # --- enterprises -------------------------------------------------------------------------
    def enterprises(self, first_id: int, n: int) -> list[tuple]:
        r, voc, rows = self.r, self.voc, []
        trade = voc.raw["enterprise"]["trade_names"]
        names, usccs = self.taken["enterprise_names"], self.taken["usccs"]
        for eid in range(first_id, first_id + n):
            prov = voc.province()
            p = voc.prov[prov]
            for attempt in range(50):
                place = p["name"] if voc.place() == "province" or len(p["cities"]) == 1 else \
                    p["cities"][int(r() * len(p["cities"]))]
                t, ind = trade[int(r() * len(trade))], voc.industry()
                name = f"{place}{t}{ind}{voc.suffix()}" if attempt < 40 else f"{place}{t}{ind}第{attempt}有限公司"
                if name not in names:
                    break
            names.add(name)
            while True:
                region = str(p["regions"][int(r() * len(p["regions"]))])
                if r() < 0.4:   # codes issued since 2015 start with MA
                    body = "MA" + "".join(USCC_ALPHABET[int(r() * 31)] for _ in range(6))
                else:
                    body = f"{int(r() * 1e8):08d}"
                first17 = "91" + region + org_code(body)
                uscc = first17 + uscc_check_char(first17)
                if uscc not in usccs:
                    break
            usccs.add(uscc)
            x = r()
            status = "active" if x < 0.99 else "revoked" if x < 0.995 else "bankrupt"
            self.employers.append((eid, prov, status == "active"))
            rows.append((eid, name, f"{t}{ind}"[:32], uscc, prov, status, self.stamp, self.stamp))
        return rows

    # --- persons -----------------------------------------------------------------------------
    def id_number(self, region: int, birth_ord: int, male: bool) -> str:
        ds = self._date_sum.get(birth_ord)
        if ds is None:
            ymd = dt.date.fromordinal(birth_ord).strftime("%Y%m%d")
            ds = self._date_sum[birth_ord] = (ymd, sum(int(c) * w for c, w in zip(ymd, ID_WEIGHTS[6:14])))
        base, seen, r = self.voc.region_sum[region] + ds[1], self.taken["id_numbers"], self.r
        prefix = f"{region}{ds[0]}"
        while True:
            seq = int(r() * 499) * 2 + (1 if male else 2)          # odd for men, even for women; 001-999
            key = int(prefix) * 1000 + seq
            if key not in seen:
                seen.add(key)
                s = base + (seq // 100) * 8 + (seq // 10 % 10) * 4 + (seq % 10) * 2
                return f"{prefix}{seq:03d}{'10X98765432'[s % 11]}"

    def people(self, ids: dict, n: int) -> dict[str, list[tuple]]:
        """n persons; ids holds the next id of each table and is advanced."""
        out = {t: [] for t in ("persons", "registrations", "registration_specialties", "qualifications")}
        r, voc, emp = self.r, self.voc, self.employers
        for _ in range(n):
            pid = ids["persons"]
            ids["persons"] += 1
            male = r() < 0.85
            sex = "M" if male else "F"
            age_days = self.rnd.triangular(23, 70, 36) * 365.2425
            birth = min(self.youngest, max(self.oldest, self.today_ord - int(age_days)))
            employer = emp[int(len(emp) * r() ** 1.7)]               # a few large employers, many small
            home = employer[1] if r() < 0.75 else voc.province()
            regions = voc.prov[home]["regions"]
            idn = self.id_number(regions[int(r() * len(regions))], birth, male)
            phone = f"{self.phone_prefix[int(r() * len(self.phone_prefix))]}{int(r() * 1e8):08d}"
            out["persons"].append((pid, voc.name(sex), sex, self.iso(birth), "ID", idn, phone, True,
                                   self.stamp, self.stamp))
            first = self.kind()
            self.registration(out, ids, pid, sex, birth, employer, first)
            if r() < 0.12:   # a second kind at the SAME employer (one person, one employer)
                second = self._second_kind(first)
                if second and second != first:
                    self.registration(out, ids, pid, sex, birth, employer, second)
        return out

    def _second_kind(self, first: str) -> str | None:
        kind = self.cat.kind(first)
        options = [(c, w) for c, w in self.SECOND_KIND.get(kind.family, ()) if c in self.cat.kinds]
        if not options:
            return None
        x, acc = self.r() * sum(w for _, w in options), 0.0
        for c, w in options:
            acc += w
            if x < acc:
                return c
        return options[-1][0]

    # --- registrations -----------------------------------------------------------------------
    def registration(self, out: dict, ids: dict, pid: int, sex: str, birth: int, employer, kind_code: str) -> None:
        r, kind, today = self.r, self.cat.kind(kind_code), self.today_ord
        eid, prov, employer_active = employer
        cap = _years_later(dt.date.fromordinal(birth), kind.age_cap_for(sex)).toordinal()
        earliest = max(birth + 8036, self.floor)                      # qualified at 22 at the earliest
        latest = min(today, cap) - 1                                  # nobody registers past the age cap
        qual = max(earliest, min(latest - 30, earliest + int(r() * (latest - 30 - earliest))))
        first_reg = max(qual, min(latest, qual + 20 + int(r() * r() * 1500)))
        n_spec = 1
        if len(kind.specialties) > 2 and kind.family != "safety" and kind.family != "special":
            x = r()
            n_spec = 1 if x < 0.55 else 2 if x < 0.88 else 3
        elif len(kind.specialties) == 2:
            n_spec = 1 if r() < 0.8 else 2
        codes, pick = [], self.spec_pickers[kind.code]
        for _ in range(50):
            c = pick()
            if c not in codes:
                codes.append(c)
                if len(codes) == n_spec:
                    break
        number = registration_number(self, kind, prov, qual, first_reg, codes[0])
        rid = ids["registrations"]
        ids["registrations"] += 1
        periods = [self._period(first_reg if i == 0 else first_reg + int(r() * (latest - first_reg)), kind, cap)
                   for i in range(len(codes))]
        status, reason = self._status(employer_active, cap, periods, kind.age_cap_for(sex))
        for code, (vf, vu) in zip(codes, periods):
            s_status = ("cancelled" if status in ("cancelled", "rescinded", "revoked")
                        else "lapsed" if status == "lapsed" or vu < today else "active")
            out["registration_specialties"].append((ids["registration_specialties"], rid, code, self.iso(vf),
                                                    self.iso(vu), s_status))
            ids["registration_specialties"] += 1
            out["qualifications"].append((ids["qualifications"], pid, kind.code, code, f"{number}-{code}",
                                          self.iso(min(qual, vf))))
            ids["qualifications"] += 1
        x = r()
        seal = 1 if x < 0.85 else 2 if x < 0.97 else 3
        out["registrations"].append((rid, pid, eid, kind.code, number, seal, prov, status, reason,
                                     self.iso(first_reg), self.stamp, self.stamp, 1))

    def _period(self, start: int, kind, cap: int) -> tuple[int, int]:
        """The current validity period of a specialty registered on `start` and renewed every
        validity_years (each period counts from the start of the one before); 10% were not renewed
        (the previous period, already over). No period starts after the age cap, which also cuts it."""
        years, today = kind.validity_years, self.today
        starts = [dt.date.fromordinal(start)]
        while True:
            nxt = _years_later(starts[-1], years)
            if nxt > today or nxt.toordinal() > cap:
                break
            starts.append(nxt)
        if len(starts) > 1 and self.r() < 0.10:
            starts.pop()
        vf = starts[-1]
        return vf.toordinal(), min(_years_later(vf, years).toordinal() - 1, cap)

    def _status(self, employer_active: bool, cap: int, periods, cap_years: int) -> tuple[str, str | None]:
        """Consistent with the daily lapse job: past the age cap or with every specialty over means lapsed."""
        reasons = self.voc.reasons
        if not employer_active:
            return "cancelled", reasons["employer_inactive"]
        if cap < self.today_ord:
            return "lapsed", reasons["lapsed_age"].format(cap=cap_years)
        if all(vu < self.today_ord for _, vu in periods):
            return "lapsed", reasons["lapsed_expired"]
        status = self.status()
        if status == "active":
            return status, None
        options = reasons[status]
        return status, options[int(self.r() * len(options))]
