"""Access tokens of accounts: HS256 with their own secret, pinned, with required claims and our clock."""
import datetime as dt

import jwt
import pytest

from backend.crypto.access_tokens import AccessTokenInvalid, read_access, sign_access

SECRET = "s" * 40
NOW = dt.datetime(2026, 11, 21, 4, 0, 0)


def _token(**kw):
    args = dict(issuer="JZ:auth", now=NOW, ttl=3600, sub="7", role="enterprise", extra={"ent": "91320500MA0000001X"})
    args.update(kw)
    return sign_access(SECRET, **args)[0]


def test_round_trip_carries_the_claims():
    claims = read_access(SECRET, _token(), issuer="JZ:auth", now=NOW + dt.timedelta(minutes=59))
    assert claims["sub"] == "7" and claims["role"] == "enterprise" and claims["ent"] == "91320500MA0000001X"
    assert claims["exp"] - claims["iat"] == 3600 and len(claims["jti"]) >= 16
    assert jwt.get_unverified_header(_token()) == {"alg": "HS256", "typ": "at+jwt"}


@pytest.mark.parametrize("when", [dt.timedelta(hours=1), dt.timedelta(days=3)])
def test_expired_by_our_clock(when):
    with pytest.raises(AccessTokenInvalid, match="expired"):
        read_access(SECRET, _token(), issuer="JZ:auth", now=NOW + when)


def test_issued_in_the_future_is_refused():
    with pytest.raises(AccessTokenInvalid, match="iat"):
        read_access(SECRET, _token(), issuer="JZ:auth", now=NOW - dt.timedelta(minutes=5))


def _forge(claims: dict, key=SECRET, alg="HS256", typ="at+jwt"):
    return jwt.encode(claims, key, algorithm=alg, headers={"typ": typ})


T0 = int(NOW.replace(tzinfo=dt.UTC).timestamp())
BASE = {"iss": "JZ:auth", "sub": "7", "role": "authority", "jti": "abcdefghijklmnop", "iat": T0, "exp": T0 + 3600}


def test_the_forgery_baseline_is_genuine():
    assert read_access(SECRET, _forge(BASE), issuer="JZ:auth", now=NOW)["role"] == "authority"


@pytest.mark.parametrize("token", [
    _forge(BASE, key="t" * 40),                                          # another secret
    _forge({**BASE, "iss": "JZ"}),                                        # a certificate issuer
    _forge(BASE, typ="JWT"),                                              # not an access token
    _forge({k: v for k, v in BASE.items() if k != "jti"}),
    _forge({k: v for k, v in BASE.items() if k != "role"}),
    _forge({k: v for k, v in BASE.items() if k != "sub"}),
    _forge(BASE, key=None, alg="none"),                                   # alg none
    _forge(BASE, key="s" * 64, alg="HS512"),                              # not pinned
    "not.a.token", "", "a" * 5000,
])
def test_forged_or_incomplete_tokens_are_refused(token):
    with pytest.raises(AccessTokenInvalid):
        read_access(SECRET, token, issuer="JZ:auth", now=NOW)


def test_a_certificate_key_token_is_refused():
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    es = jwt.encode(BASE, key, algorithm="ES256", headers={"typ": "at+jwt"})
    with pytest.raises(AccessTokenInvalid):
        read_access(SECRET, es, issuer="JZ:auth", now=NOW)
