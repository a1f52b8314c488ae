import pytest

from backend.services.checkdigits import (
    id_check_char,
    id_number_facts,
    id_number_ok,
    mod37_36_check_char,
    mod37_36_ok,
    uscc_check_char,
    uscc_ok,
)
from backend.services.issuance.copies import copy_identifier


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014", "513101198201130014"])
def test_domain_id_numbers_are_valid(value):
    assert id_number_ok(value)


def test_id_check_char_of_domain_example():
    # DOMAIN.md: S = 167, r = 2 -> X
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["110105194912310021", "11010519491231002", "1101051949123100XX", "ABCDEFGHIJKLMNOPQR",
                                   "１１０１０５１９４９１２３１００２X"])
def test_id_numbers_rejected(value):
    assert not id_number_ok(value)


def test_id_number_facts_gives_birth_and_sex():
    import datetime as dt
    assert id_number_facts("11010519491231002X") == (dt.date(1949, 12, 31), "F")
    assert id_number_facts("513101198201130014") == (dt.date(1982, 1, 13), "M")


def test_id_number_with_impossible_date_has_no_facts():
    first17 = "11010519490231001"        # 31 February
    assert id_number_ok(first17 + id_check_char(first17))
    assert id_number_facts(first17 + id_check_char(first17)) is None


def test_uscc_domain_examples():
    assert uscc_check_char("11100000000013338") == "W"      # S = 437 -> 28 -> W
    assert uscc_ok("11100000000013338W")
    assert uscc_ok("91320594780268314T")
    assert not uscc_ok("91350100M000100Y4Z")


@pytest.mark.parametrize("value", ["91320594780268314", "91320594780268314I", "9132059478026831IT", "913205947802683140"])
def test_uscc_rejected(value):
    assert not uscc_ok(value)


def test_mod37_36_known_vector():
    # ISO/IEC 7064 MOD 37,36 as used by the Global Release Identifier: A1-2425G-ABC1234002-M
    assert mod37_36_check_char("A12425GABC1234002") == "M"
    assert mod37_36_ok("A12425GABC1234002M")
    assert not mod37_36_ok("A12425GABC1234002N")


def test_mod37_36_detects_every_single_substitution():
    data = "11100000000013338W00111100000000013338W0000000042001"
    good = data + mod37_36_check_char(data)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i, ch in enumerate(data):
        for other in alphabet:
            if other != ch:
                assert not mod37_36_ok(data[:i] + other + data[i + 1:] + good[-1])


def test_copy_identifier_format_and_check():
    ident = copy_identifier("11100000000013338W001", "11100000000013338W", "0000000042", 3)
    root, rest = ident[:15], ident[15:]
    assert root == "1.2.156.3005.2."
    parts = rest.split(".")
    assert parts[:4] == ["11100000000013338W001", "11100000000013338W", "0000000042", "003"]
    assert mod37_36_ok("".join(parts))
