"""ES256 signing keys under KEY_DIR: generated on first start, rotated by a CLI command.

Layout: `<kid>.key.pem` (private, 0600) for the current key only, `<kid>.pub.pem` for every key ever
used, and `current` naming the signing kid. Retired keys keep their public half so that earlier copies
and status lists still verify. kid = the first 8 characters of the RFC 7638 thumbprint.
"""
from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

KID_LENGTH = 8


def _b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def public_jwk(pub: ec.EllipticCurvePublicKey) -> dict:
    n = pub.public_numbers()
    return {"crv": "P-256", "kty": "EC", "x": _b64u(n.x.to_bytes(32, "big")), "y": _b64u(n.y.to_bytes(32, "big"))}


def thumbprint(pub: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace."""
    canon = json.dumps(public_jwk(pub), sort_keys=True, separators=(",", ":")).encode()
    return _b64u(hashlib.sha256(canon).digest())


@dataclass
class KeyRing:
    current_kid: str
    private_key: ec.EllipticCurvePrivateKey
    public_keys: dict[str, ec.EllipticCurvePublicKey]
    loaded_from: float   # mtime of `current`, to notice a rotation by another process

    def jwks(self) -> dict:
        keys = []
        for kid, pub in sorted(self.public_keys.items(), key=lambda kv: kv[0] != self.current_kid):
            keys.append({**public_jwk(pub), "kid": kid, "use": "sig", "alg": "ES256"})
        return {"keys": keys}


@contextmanager
def _locked(key_dir: Path):
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)      # the private key's directory: the app's alone
    with open(key_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _new_key(key_dir: Path) -> str:
    priv = ec.generate_private_key(ec.SECP256R1())
    kid = thumbprint(priv.public_key())[:KID_LENGTH]
    _write(key_dir / f"{kid}.key.pem", priv.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), 0o600)
    _write(key_dir / f"{kid}.pub.pem", priv.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo), 0o644)
    return kid


def ensure_keys(key_dir: str | Path) -> None:
    key_dir = Path(key_dir)
    if (key_dir / "current").exists():
        return
    with _locked(key_dir):
        if not (key_dir / "current").exists():       # another worker may have made it meanwhile
            kid = _new_key(key_dir)
            _write(key_dir / "current", kid.encode(), 0o644)


def rotate(key_dir: str | Path) -> tuple[str | None, str]:
    """Make a new signing key; the old private key is removed, its public key stays. Returns (old, new)."""
    key_dir = Path(key_dir)
    ensure_keys(key_dir)
    with _locked(key_dir):
        old = (key_dir / "current").read_text().strip()
        new = _new_key(key_dir)
        _write(key_dir / "current", new.encode(), 0o644)
        (key_dir / f"{old}.key.pem").unlink(missing_ok=True)
    return old, new


def load_keyring(key_dir: str | Path) -> KeyRing:
    key_dir = Path(key_dir)
    ensure_keys(key_dir)
    cur = key_dir / "current"
    kid = cur.read_text().strip()
    priv = serialization.load_pem_private_key((key_dir / f"{kid}.key.pem").read_bytes(), password=None)
    pubs = {p.name[: -len(".pub.pem")]: serialization.load_pem_public_key(p.read_bytes())
            for p in key_dir.glob("*.pub.pem")}
    return KeyRing(kid, priv, pubs, cur.stat().st_mtime)


class KeyStore:
    """A process-wide cache of the key ring that reloads when `current` changes (a rotation)."""

    def __init__(self, key_dir: str | Path, check_every: float = 2.0):
        self.key_dir = Path(key_dir)
        self.check_every = check_every
        self._ring: KeyRing | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        """Reload on the next get() (after a rotation made by this process)."""
        self._ring = None

    def get(self) -> KeyRing:
        now = time.monotonic()
        if self._ring is None or now - self._checked > self.check_every:
            self._checked = now
            try:
                mtime = (self.key_dir / "current").stat().st_mtime
            except FileNotFoundError:
                mtime = None
            if self._ring is None or mtime != self._ring.loaded_from:
                self._ring = load_keyring(self.key_dir)
        return self._ring
