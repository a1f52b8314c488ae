"""ES256 signing keys under KEY_DIR: generated on first start, rotated by a CLI command.

Layout: `<kid>.key.pem` (private, 0600) for the current key only, `<kid>.pub.pem` for every key ever
used, and `current` naming the signing kid. Retired keys keep their public half so that earlier copies
and status lists still verify. kid = the first 8 characters of the RFC 7638 thumbprint.

Or the signing key is one PEM file (SIGNING_KEY_FILE, a mounted secret shared by every replica): it signs,
and the `*.pub.pem` under KEY_DIR, if any, are the retired keys that still verify. Where the app may not make
keys (production, backend/startup.py), `python -m backend.crypto.keys init [KEY_DIR]` makes the first, once.
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


def read_key_file(path: str | Path) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from a PEM file (PKCS#8 or SEC 1, unencrypted): SIGNING_KEY_FILE."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("not an EC P-256 key (ES256)")
    return key


def _retired(key_dir: Path) -> dict[str, ec.EllipticCurvePublicKey]:
    if not key_dir.is_dir():
        return {}
    return {p.name[: -len(".pub.pem")]: serialization.load_pem_public_key(p.read_bytes())
            for p in key_dir.glob("*.pub.pem")}


def load_key_file(path: str | Path, key_dir: str | Path) -> KeyRing:
    """The ring of a SIGNING_KEY_FILE: that key signs; KEY_DIR's public keys (if any) still verify."""
    priv = read_key_file(path)
    kid = thumbprint(priv.public_key())[:KID_LENGTH]
    pubs = {**_retired(Path(key_dir)), kid: priv.public_key()}
    return KeyRing(kid, priv, pubs, Path(path).stat().st_mtime)


def load_keyring(key_dir: str | Path, create: bool = True) -> KeyRing:
    """KEY_DIR's ring; its first key is made when there is none, unless `create` is False (then FileNotFoundError)."""
    key_dir = Path(key_dir)
    if create:
        ensure_keys(key_dir)
    cur = key_dir / "current"
    kid = cur.read_text().strip()
    priv = serialization.load_pem_private_key((key_dir / f"{kid}.key.pem").read_bytes(), password=None)
    return KeyRing(kid, priv, _retired(key_dir), cur.stat().st_mtime)


class KeyStore:
    """A process-wide cache of the key ring that reloads when `current` changes (a rotation), or the key file.
    `create`: whether a missing key is made under KEY_DIR (the demo default) or is an error (production)."""

    def __init__(self, key_dir: str | Path, check_every: float = 2.0, key_file: str | Path | None = None,
                 create: bool = True):
        self.key_dir = Path(key_dir)
        self.key_file = Path(key_file) if key_file else None
        self.create = create
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
            watched = self.key_file or self.key_dir / "current"
            try:
                mtime = watched.stat().st_mtime
            except FileNotFoundError:
                mtime = None
            if self._ring is None or mtime != self._ring.loaded_from:
                self._ring = (load_key_file(self.key_file, self.key_dir) if self.key_file
                              else load_keyring(self.key_dir, create=self.create))
        return self._ring


def main(argv: list[str] | None = None) -> int:
    """`python -m backend.crypto.keys init [KEY_DIR]`: make the first signing key in KEY_DIR (default: $KEY_DIR)
    unless it holds one; prints the current kid. For production, where the app itself never makes keys."""
    import sys
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "init" or len(args) > 2:
        print("usage: python -m backend.crypto.keys init [KEY_DIR]", file=sys.stderr)
        return 2
    key_dir = args[1] if len(args) == 2 else os.environ.get("KEY_DIR")
    if not key_dir:
        print("KEY_DIR 未设置 / KEY_DIR is not set", file=sys.stderr)
        return 2
    ensure_keys(key_dir)
    print(f"签名密钥 / signing key: {(Path(key_dir) / 'current').read_text().strip()} in {key_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
