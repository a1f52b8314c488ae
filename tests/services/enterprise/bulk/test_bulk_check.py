"""Bulk check: one result per row, never aborted by a bad row, looked up in bulk, masked, stored 24 h."""
import pytest

from backend.services.enterprise.bulk.check import BulkLimits, get_bulk_check, run_bulk_check
from backend.services.enterprise.bulk.export import to_csv, to_xlsx
from backend.services.errors import NotFound
from tests import factories as f
from tests.services.enterprise.test_roster import count_queries

LIMITS = BulkLimits(max_rows=2000)


def check(session, svc, ent, lines, *, full_view=False, clock=None):
    data = ("姓名,身份证号,注册编号\n" + "\n".join(",".join(x or "" for x in line) for line in lines) + "\n").encode()
    return run_bulk_check(session, svc.catalogue, clock or svc.clock, LIMITS, ent, data, actor="test",
                          full_view=full_view)


@pytest.fixture()
def world(session, svc):
    ent, other = f.enterprise(session, svc.catalogue), f.enterprise(session, svc.catalogue)
    mine = f.registration(session, svc.catalogue, svc.clock, ent=ent, p=f.person(session, name="王建国"))
    theirs = f.registration(session, svc.catalogue, svc.clock, ent=other, p=f.person(session, name="李秀英"),
                            kind="AQB", specialties=("B",))
    return ent, other, mine, theirs


def test_each_result(session, svc, world):
    ent, other, mine, theirs = world
    out = check(session, svc, ent, [
        ("王建国", mine.person.id_number, None),                     # 2 found, own staff
        ("李秀英", None, theirs.registration_number),                 # 3 found elsewhere
        ("张三", "11010519491231002X", None),                         # 4 not found
        ("王建 国", None, theirs.registration_number),                # 5 name does not match
        ("李秀英", mine.person.id_number, theirs.registration_number),  # 6 another's staff: ID not compared
        ("", "11010519491231002X", None),                             # 7 no name
        ("赵六", "110105194912310021", None),                         # 8 bad check digit
        ("钱七", None, "ABC123"),                                     # 9 unknown number format
        ("孙八", None, None),                                         # 10 neither number
        ("王建国", None, mine.registration_number + "(01)"),          # 11 a seal number
    ])
    rows = {r["line"]: r for r in out["rows"]}
    assert [rows[n]["result"] for n in range(2, 12)] == [
        "found", "found", "not_found", "mismatch", "found", "invalid_row", "invalid_row", "invalid_row",
        "invalid_row", "found"]
    assert out["summary"] == {"rows": 10, "found": 4, "not_found": 1, "mismatch": 1, "invalid_row": 4, "categories": {
        "valid_here": 2, "valid_elsewhere": 2, "ended": 0, "mismatch": 1, "not_found": 1, "invalid_row": 4}}
    own, elsewhere = rows[2], rows[3]
    assert own["id_number"] == mine.person.id_number and own["employer"] == "this"
    assert own["registration_number"] == mine.registration_number and own["status"] == "active"
    assert own["earliest_expiry"] == mine.specialties[0].valid_until.isoformat()
    assert elsewhere["employer"] == "other" and elsewhere["kind"] == "AQB"
    assert [s["code"] for s in elsewhere["signals"]] == ["registered_elsewhere"]      # what the record itself says
    assert rows[6]["id_number"] == theirs.person.id_number[:6] + "*" * 12 and "未核对身份证号" in rows[6]["message"]
    assert rows[5]["status"] is None and rows[5]["signals"] == []        # a mismatch reveals nothing more
    assert all(rows[n]["message"] and rows[n]["message_en"] for n in rows)
    assert "校验位" in rows[8]["message"]


def test_other_enterprises_staff_is_masked_unless_authority(session, svc, world):
    ent, other, mine, theirs = world
    line = [("李秀英", theirs.person.id_number, None)]
    assert "*" in check(session, svc, ent, line)["rows"][0]["id_number"]
    assert check(session, svc, other, line)["rows"][0]["id_number"] == theirs.person.id_number
    assert check(session, svc, ent, line, full_view=True)["rows"][0]["id_number"] == theirs.person.id_number


def test_queries_are_batched(session, svc, world):
    ent, other, mine, theirs = world
    many = [("王建国", mine.person.id_number, None), ("李秀英", None, theirs.registration_number),
            ("张三", "11010519491231002X", None)] * 400
    with count_queries(session) as n:
        out = check(session, svc, ent, many)
    assert out["summary"]["rows"] == 1200 and out["summary"]["found"] == 800
    assert len(n) < 20


def test_stored_for_a_day_for_its_own_enterprise(session, svc, world):
    ent, other, mine, theirs = world
    out = check(session, svc, ent, [("王建国", mine.person.id_number, None)])
    assert get_bulk_check(session, svc.clock, out["id"], ent.id)["rows"] == out["rows"]
    assert get_bulk_check(session, svc.clock, out["id"], None)["id"] == out["id"]        # authority
    with pytest.raises(NotFound):
        get_bulk_check(session, svc.clock, out["id"], other.id)
    with pytest.raises(NotFound):
        get_bulk_check(session, f.at(svc.clock, 1.01), out["id"], ent.id)
    check(session, svc, ent, [("王建国", mine.person.id_number, None)], clock=f.at(svc.clock, 2))   # purges old ones
    with pytest.raises(NotFound):
        get_bulk_check(session, f.at(svc.clock, 0.5), out["id"], ent.id)


def test_exports_neutralise_formulas(session, svc, world):
    ent, *_ = world
    out = check(session, svc, ent, [("=HYPERLINK(\"x\")", None, "=1+2"), ("@SUM(A1)", None, "-2+3")])
    text = to_csv(out, svc.catalogue).decode("utf-8-sig")
    assert text.startswith("行号,核查结论,姓名")
    assert "'=1+2" in text and "'@SUM(A1)" in text and "'-2+3" in text
    import io

    import openpyxl
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(out, svc.catalogue))).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert ws.max_row == 3


def _candidates(real: str, n: int) -> list[str]:
    """Well-formed ID numbers around the real one, as an attacker would enumerate them: the region of the
    public mask, every birth date of a year, the real sequence; the real one among them."""
    import datetime as dt

    from backend.services.checkdigits import id_check_char
    start = dt.date(int(real[6:10]), 1, 1)
    out = []
    for i in range(n):
        first17 = f"{real[:6]}{start + dt.timedelta(days=i):%Y%m%d}{real[14:17]}"
        out.append(first17 + id_check_char(first17))
    return out if real in out else out[:-1] + [real]


def test_no_oracle_tells_a_right_id_number_of_another_enterprise_from_a_wrong_one(session, svc, world):
    """Issue 8: one `found` among 1,958 `mismatch` rows gave the ID away. Rows about someone else's staff
    answer alike whatever ID number they carry, with or without the registration number."""
    ent, other, mine, theirs = world
    real = theirs.person.id_number
    ids = _candidates(real, 365)
    for number in (None, theirs.registration_number):
        out = check(session, svc, ent, [("李秀英", idn, number) for idn in ids])
        seen = {repr({k: v for k, v in r.items() if k != "line"}) for r in out["rows"]}
        assert len(seen) == 1, seen
        assert real not in repr(out)
        assert out["summary"]["mismatch"] == 0
    # own staff keep the full comparison: the employer knows them and may check its records
    own = check(session, svc, other, [("李秀英", idn, theirs.registration_number) for idn in ids[:5] + [real]])
    assert sorted(r["result"] for r in own["rows"]) == ["found"] + ["mismatch"] * 5


def test_id_numbers_are_counted_and_refused_past_the_daily_limit(session, svc, world):
    from backend.services.errors import ServiceError
    ent, other, mine, theirs = world
    asked = []

    def quota(n):
        asked.append(n)
        if sum(asked) > 3:
            raise ServiceError("超限", "over", code="id_check_limit_reached", status=429)
    lines = [("王建国", mine.person.id_number, None), ("李秀英", None, theirs.registration_number),
             ("张三", "11010519491231002X", None)]
    data = ("姓名,身份证号,注册编号\n" + "\n".join(",".join(x or "" for x in line) for line in lines) + "\n").encode()
    run_bulk_check(session, svc.catalogue, svc.clock, LIMITS, ent, data, actor="t", id_checks=quota)
    assert asked == [2]                                  # rows with an ID number, not rows
    with pytest.raises(ServiceError) as e:
        run_bulk_check(session, svc.catalogue, svc.clock, LIMITS, ent, data, actor="t", id_checks=quota)
    assert e.value.status == 429
