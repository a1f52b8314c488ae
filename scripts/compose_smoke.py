"""The checks of scripts/compose-smoke.sh against a running compose stack (docker-compose.yml): nginx in front of
two app replicas on PostgreSQL and Redis. Standard library only (the host's python3); the check digits of
the made-up ID number and credit code come from backend/services/checkdigits.py (no dependencies).

Each check prints one line with its figures; the exit status is the number of failed checks (0: all passed).
Usage (the shell script passes these): python3 scripts/compose_smoke.py --proxy URL --app1 URL --app2 URL
    --admin-token T --compose "docker-compose -p NAME --env-file FILE" [--docker /usr/bin/docker]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shlex
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.services.checkdigits import id_check_char, uscc_check_char  # noqa: E402

FAILED: list[str] = []


def report(ok: bool, name: str, figures: str = "") -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {figures}" if figures else ""), flush=True)
    if not ok:
        FAILED.append(name)
    return ok


def call(method: str, url: str, body=None, token: str | None = None, headers: dict | None = None,
         timeout: float = 15, raw: bytes | None = None, content_type: str | None = None):
    """(status, parsed JSON or bytes, headers); never raises for an HTTP status."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if content_type:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, payload, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, payload, hdrs = e.code, e.read(), e.headers
    if (hdrs.get("Content-Type") or "").startswith("application/json"):
        try:
            return status, json.loads(payload), hdrs
        except ValueError:
            pass
    return status, payload, hdrs


def id_number(birth: dt.date, sex: str, n: int) -> str:
    first17 = f"{320102 + n // 400:06d}{birth:%Y%m%d}{(n % 400) * 2 + 11 + (0 if sex == 'M' else 1):03d}"
    return first17 + id_check_char(first17)


def uscc(n: int) -> str:
    first17 = f"91320500MA{n:05d}{random.randint(10, 99)}"[:17]
    return first17 + uscc_check_char(first17)


def png(width: int = 120, height: int = 160) -> bytes:
    """A plain PNG photo (a face-coloured field), made with zlib alone."""
    rows = b"".join(b"\x00" + bytes((200, 180, 160)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def multipart(field: str, filename: str, data: bytes, mime: str) -> tuple[bytes, str]:
    boundary = f"jzsmoke{random.getrandbits(64):x}"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {mime}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def metric_sum(text: str, name: str, **labels: str) -> float:
    """The sum of a Prometheus sample family's values over the samples whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        m = re.match(rf"^{re.escape(name)}(?:\{{(.*)\}})? ([0-9.eE+-]+)$", line)
        if not m:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(m.group(2))
    return total


class Smoke:
    def __init__(self, args):
        self.a = args
        self.proxy, self.app1, self.app2 = args.proxy.rstrip("/"), args.app1.rstrip("/"), args.app2.rstrip("/")
        self.admin = args.admin_token
        self.compose = shlex.split(args.compose)
        self.seq = random.randint(1000, 30000)

    def sh(self, *argv: str, check: bool = True) -> str:
        r = subprocess.run(list(argv), capture_output=True, text=True, timeout=600)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        return r.stdout

    def container(self, service: str) -> str:
        return self.sh(*self.compose, "ps", "-q", service).strip()

    def psql(self, sql: str) -> str:
        return self.sh(self.a.docker, "exec", self.container("db"), "psql", "-h", "/run/postgresql", "-U", "postgres",
                       "-d", "jianzheng", "-tAc", sql).strip()

    def wait_ready(self, base: str, seconds: float = 120) -> float:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            try:
                status, _, _ = call("GET", f"{base}/readyz", timeout=3)
                if status == 200:
                    return time.monotonic() - start
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{base}/readyz not 200 after {seconds} s")

    # --- the checks ---------------------------------------------------------------------------------------
    def start_on_postgres(self):
        for base in (self.app1, self.app2, self.proxy):
            status, body, _ = call("GET", f"{base}/readyz")
            report(status == 200, f"readyz {base}", json.dumps(body.get("checks") if isinstance(body, dict) else body,
                                                               ensure_ascii=False))
        persons = int(self.psql("select count(*) from persons"))
        report(persons == 0, "demo-free start on PostgreSQL", f"{persons} persons before the first is made")
        heads = self.psql("select version_num from alembic_version")
        report(bool(heads), "migrated once by the migrate service", f"alembic head {heads}")

    def static_files(self):
        """nginx serves pwa/ itself (precompressed, the app's CSP and cache headers); the pages come from the app."""
        s1, _, h1 = call("GET", f"{self.proxy}/app.js", headers={"Accept-Encoding": "br, gzip"})
        s2, _, h2 = call("GET", f"{self.proxy}/styles.css", headers={"Accept-Encoding": "gzip"})
        s3, _, h3 = call("GET", f"{self.proxy}/icons/icon-192.png")
        s4, _, h4 = call("GET", f"{self.proxy}/V")
        s5, b5, _ = call("GET", f"{self.proxy}/no-such-file.js")
        inline = "'sha256-" in (h4.get("Content-Security-Policy") or "")      # the page's inline script, by hash
        ok = (s1 == 200 and h1.get("Content-Encoding") == "br" and h1.get("Cache-Control") == "no-cache"
              and "default-src 'self'" in (h1.get("Content-Security-Policy") or "") and h1.get("ETag")
              and s2 == 200 and h2.get("Content-Encoding") == "gzip"
              and s3 == 200 and h3.get("Cache-Control") == "public, max-age=604800"
              and s4 == 200 and inline
              and s5 == 404 and isinstance(b5, dict) and b5.get("error") == "not_found")
        report(bool(ok), "nginx serves the web app's files (brotli/gzip, cache headers, CSP); pages and 404s from the app",
               f"app.js {s1} {h1.get('Content-Encoding')} {h1.get('Cache-Control')}; styles.css {s2} "
               f"{h2.get('Content-Encoding')}; icon {s3} {h3.get('Cache-Control')}; /V {s4} (inline script by hash: "
               f"{'yes' if inline else 'no'}); missing file {s5}")

    def create(self):
        auth = self.admin
        n = self.seq
        birth = dt.date(1984, 5, 6)
        s, p, _ = call("POST", f"{self.proxy}/api/v1/persons", {"name": "周建华", "id_number": id_number(birth, "M", n)},
                       token=auth)
        code = uscc(n)
        s2, e, _ = call("POST", f"{self.proxy}/api/v1/enterprises", {"name": f"江苏冒烟测试建设有限公司{n}", "uscc": code},
                        token=auth)
        ok = s == 201 and s2 == 201
        body, ctype = multipart("image", "photo.png", png(), "image/png")
        s3, _, _ = call("PUT", f"{self.proxy}/api/v1/persons/{p['id']}/photo", raw=body, content_type=ctype,
                        token=auth) if ok else (0, None, None)
        s4, r, _ = call("POST", f"{self.proxy}/api/v1/registrations", {
            "person_id": p["id"], "enterprise_uscc": code, "kind": "JZS2", "specialties": ["JZ", "SZ"]},
            token=auth) if ok else (0, None, None)
        s5, c, _ = call("POST", f"{self.proxy}/api/v1/registrations/{urllib.parse.quote(r['registration_number'])}/copies",
                        token=auth) if s4 == 201 else (0, None, None)
        report(s5 == 201, "an authority makes a person, a photo, a registration and a copy through the proxy",
               f"statuses {s} {s2} {s3} {s4} {s5}")
        if s5 != 201:
            raise RuntimeError(f"cannot go on without a copy: {p} {e} {r} {c}")
        self.person_id, self.copy = p["id"], c
        self.uscc = code

    def verify_everywhere(self, label: str = "") -> dict:
        verdicts = {}
        for name, base in (("proxy", self.proxy), ("app1", self.app1), ("app2", self.app2)):
            s, body, _ = call("POST", f"{base}/api/v1/verify", {"qr": self.copy["qr"]})
            verdicts[name] = body.get("verdict") if s == 200 else s
        report(all(v == "valid" for v in verdicts.values()), f"the copy verifies on both replicas{label}",
               json.dumps(verdicts))
        return verdicts

    def login_across(self):
        user, password = f"smoke.{self.seq}", f"Smoke-{random.getrandbits(64):x}"
        s, _, _ = call("POST", f"{self.proxy}/api/v1/accounts",
                       {"username": user, "password": password, "role": "authority"}, token=self.admin)
        s1, tok, _ = call("POST", f"{self.app1}/api/v1/auth/login", {"username": user, "password": password})
        token = tok.get("access_token") if s1 == 200 else None
        s2, me, _ = call("GET", f"{self.app2}/api/v1/auth/me", token=token)
        s3, _, _ = call("GET", f"{self.proxy}/api/v1/auth/me", token=token)
        report(s == 201 and s1 == 200 and s2 == 200 and s3 == 200,
               "a login made on app1 is accepted by app2 (and through the proxy)",
               f"create {s}, login@app1 {s1}, me@app2 {s2} ({me.get('username') if isinstance(me, dict) else me}), "
               f"me@proxy {s3}")
        self.user, self.password = user, password

    def photo_across(self):
        s, body, _ = call("POST", f"{self.app1}/api/v1/verify", {"qr": self.copy["qr"]})
        url = (body.get("certificate") or {}).get("photo_url") if s == 200 else None
        if not url:
            report(False, "a photo link made by app1 opens on app2", f"no photo_url (verify {s})")
            return
        s2, data, h = call("GET", self.app2 + url)
        s3, _, _ = call("GET", self.proxy + url)
        report(s2 == 200 and data == png() and s3 == 200, "a photo link made by app1 opens on app2",
               f"app2 {s2} {h.get('Content-Type')} {len(data)} bytes, proxy {s3}")

    def rate_limit_shared(self):
        """60/minute per client: 60 lookups through the proxy (round-robin: 30 per replica), then the 61st, and one
        straight to each replica, are all 429. A client's own X-Forwarded-For changes nothing (one trusted hop)."""
        before = {n: self.metrics(b) for n, b in (("app1", self.app1), ("app2", self.app2))}
        statuses = []
        for i in range(60):
            s, _, _ = call("GET", f"{self.proxy}/api/v1/lookup?q=%E5%91%A8%E5%BB%BA%E5%8D%8E",
                           headers={"X-Forwarded-For": f"198.51.100.{i % 250}"})
            statuses.append(s)
        s61, body61, _ = call("GET", f"{self.proxy}/api/v1/lookup?q=%E5%91%A8")
        s62, _, _ = call("GET", f"{self.proxy}/api/v1/lookup?q=%E5%91%A8")
        d1, _, _ = call("GET", f"{self.app1}/api/v1/lookup?q=%E5%91%A8")
        d2, _, _ = call("GET", f"{self.app2}/api/v1/lookup?q=%E5%91%A8")
        after = {n: self.metrics(b) for n, b in (("app1", self.app1), ("app2", self.app2))}
        served = {n: metric_sum(after[n], "jz_http_requests_total", route="/api/v1/lookup")
                  - metric_sum(before[n], "jz_http_requests_total", route="/api/v1/lookup") for n in after}
        ok200 = statuses.count(200)
        report(ok200 == 60 and s61 == 429 and s62 == 429 and d1 == 429 and d2 == 429,
               "the lookup rate limit is shared by the replicas (61st request in a minute: 429)",
               f"first 60: {ok200}x200 { {x: statuses.count(x) for x in set(statuses) if x != 200} }; 61st {s61} "
               f"({body61.get('error') if isinstance(body61, dict) else ''}), 62nd {s62}, app1 {d1}, app2 {d2}; "
               f"lookups answered per replica (metrics) {served}")
        report(all(v > 0 for v in served.values()), "nginx spreads requests over both replicas", json.dumps(served))

    def metrics(self, base: str) -> str:
        s, body, _ = call("GET", f"{base}/metrics")
        if s != 200:
            return ""
        return body.decode() if isinstance(body, bytes) else json.dumps(body)

    def metrics_count(self, counts_before: dict):
        got = {}
        for name, base in (("app1", self.app1), ("app2", self.app2)):
            text = self.metrics(base)
            got[name] = (metric_sum(text, "jz_http_requests_total", route="/api/v1/verify")
                         - counts_before.get(name, 0))
        s, _, _ = call("GET", f"{self.proxy}/metrics")
        report(all(v > 0 for v in got.values()) and s == 404,
               "/metrics on each replica counts the verify requests made (not served through the proxy)",
               f"verify requests counted since the start: {got}; /metrics through nginx: {s}")

    def kill_under_load(self, seconds: float = 16.0, rate: float = 15.0, kill_at: float = 4.0):
        """Verify requests through the proxy at `rate`/s; app2 is killed (SIGKILL) `kill_at` s in."""
        results: list[tuple[float, int]] = []
        lock = threading.Lock()
        start = time.monotonic()
        stop_at = start + seconds
        killed_at = [None]

        def worker(k: int, n: int):
            i = 0
            while True:
                due = start + (i * n + k) / rate
                now = time.monotonic()
                if due > stop_at:
                    return
                if due > now:
                    time.sleep(due - now)
                t = time.monotonic() - start
                try:
                    s, _, _ = call("POST", f"{self.proxy}/api/v1/verify", {"qr": self.copy["qr"]}, timeout=10)
                except OSError:
                    s = 0
                with lock:
                    results.append((t, s))
                i += 1

        n = 4
        threads = [threading.Thread(target=worker, args=(k, n)) for k in range(n)]
        for t in threads:
            t.start()
        time.sleep(kill_at)
        victim = self.container("app2")
        self.sh(self.a.docker, "kill", victim)
        killed_at[0] = time.monotonic() - start
        for t in threads:
            t.join()
        total = len(results)
        lost = [(t, s) for t, s in results if s != 200]
        late = [(t, s) for t, s in lost if t > killed_at[0] + 5]
        pct = 100.0 * len(lost) / max(total, 1)
        report(total > 0 and pct <= 1.0 and not late, "docker kill of one replica under verify load",
               f"{total} requests at {rate}/s over {seconds:.0f} s, app2 killed at {killed_at[0]:.1f} s; "
               f"lost {len(lost)} ({pct:.2f}%), after kill+5 s {len(late)}; failures {sorted({s for _, s in lost})}")
        state = self.sh(self.a.docker, "inspect", "-f", "{{.State.Status}} restarts={{.RestartCount}}", victim,
                        check=False).strip()
        print(f"      app2 after the kill: {state}", flush=True)

    def down_up(self):
        t0 = time.monotonic()
        self.sh(*self.compose, "down")
        self.sh(*self.compose, "up", "-d", "--no-build")
        waited = max(self.wait_ready(self.proxy), self.wait_ready(self.app1), self.wait_ready(self.app2))
        took = time.monotonic() - t0
        persons = int(self.psql("select count(*) from persons"))
        s, tok, _ = call("POST", f"{self.proxy}/api/v1/auth/login", {"username": self.user, "password": self.password})
        report(persons == 1 and s == 200, "compose down, then up: the data are kept",
               f"{persons} person, login {s}; down+up and ready in {took:.1f} s (ready {waited:.1f} s after up)")
        self.verify_everywhere(" after down and up")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--app1", required=True)
    ap.add_argument("--app2", required=True)
    ap.add_argument("--admin-token", required=True)
    ap.add_argument("--compose", required=True)
    ap.add_argument("--docker", default="docker")
    args = ap.parse_args()
    sm = Smoke(args)
    t0 = time.monotonic()
    try:
        for base in (sm.proxy, sm.app1, sm.app2):
            sm.wait_ready(base)
        sm.start_on_postgres()
        sm.static_files()
        sm.create()
        sm.verify_everywhere()
        sm.login_across()
        sm.photo_across()
        sm.rate_limit_shared()
        sm.metrics_count({})
        sm.kill_under_load()
        sm.down_up()
    except Exception as e:      # a step that cannot go on: the rest is not run
        report(False, "the smoke run went on to the end", f"{type(e).__name__}: {e}")
    print(f"checks: {len(FAILED)} failed, in {time.monotonic() - t0:.1f} s"
          + (f" ({', '.join(FAILED)})" if FAILED else ""), flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
