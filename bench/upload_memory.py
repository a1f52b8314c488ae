"""Peak memory and time of every upload path, request by request, in the real app: gunicorn with one sync
worker, a fresh instance (SQLite, DEMO_PERSONS=200) in a temporary directory.

    .venv/bin/python bench/upload_memory.py                      # this tree
    .venv/bin/python bench/upload_memory.py --app-dir ../other   # another checkout (e.g. before a change)

Before each request the worker's high-water mark is reset (writing "5" to /proc/<worker>/clear_refs makes
VmHWM the current RSS); after it, VmHWM minus the worker's RSS when fresh (after start-up and one small
request per path) is the request's peak, leftovers of earlier requests included. Child processes of the
worker (the PDF check runs in one) are sampled every 2 ms and their own peak is added. Target (issue 6):
at most 150 MB above a fresh worker and 5 s, whatever the file. Files: bench/upload_files.py.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import upload_files  # noqa: E402

LIMIT_MB, LIMIT_S = 150, 5.0
PORT = 5137


def status_mb(pid: int, key: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{key}:\s+(\d+)", text).group(1)) / 1024


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:          # a thread that has just ended
            pass
    return out


class ChildPeaks(threading.Thread):
    """The largest VmHWM of any child of the worker, once it runs its own program (before exec a vforked
    child shows the worker's memory)."""

    def __init__(self, worker: int):
        super().__init__(daemon=True)
        self.worker, self.peak, self.done = worker, 0.0, threading.Event()

    def run(self):
        while not self.done.is_set():
            for pid in children(self.worker):
                try:
                    if b"pdf_probe" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        self.peak = max(self.peak, status_mb(pid, "VmHWM"))
                except (OSError, AttributeError):
                    pass
            time.sleep(0.002)


def request(method: str, path: str, headers=None, body: bytes | None = None, json_body=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    headers = dict(headers or {})
    if json_body is not None:
        body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    try:
        return resp.status, json.loads(data)
    except ValueError:
        return resp.status, {}


def multipart(field: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(method: str, path: str, field: str, data: bytes, headers: dict):
    body, ctype = multipart(field, "upload.bin", data)
    return request(method, path, {**headers, "Content-Type": ctype}, body)


def start(app_dir: Path, instance: Path) -> subprocess.Popen:
    env = {**os.environ, "INSTANCE_PATH": str(instance), "DEMO_PERSONS": "200", "VERIFY_RATE_LIMIT": "100000/minute",
           "BULK_RATE_LIMIT": "100000/hour", "LOGIN_RATE_LIMIT": "100000/minute",
           "BULK_ID_CHECKS_PER_DAY": "10000000"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", "1", "--timeout", "300", "--bind",
                             f"127.0.0.1:{PORT}", "backend:create_app()"], cwd=app_dir, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(instance / "gunicorn.log", "w"))
    for _ in range(600):
        try:
            if request("GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the app did not start: see {instance / 'gunicorn.log'}")


def setup(admin: dict) -> dict:
    """An enterprise, a registered person, and that holder's draft name change (the application that needs
    proof files); the holder's and the authority's headers."""
    from tests import factories as f
    uscc = f.uscc()
    request("POST", "/api/v1/enterprises", admin, json_body={"name": f"江苏基准建设有限公司{uscc[-5:]}", "uscc": uscc})
    _, person = request("POST", "/api/v1/persons", admin, json_body={
        "name": "吴旧名", "id_number": f.id_number(__import__("datetime").date(1985, 3, 4), "M")})
    _, reg = request("POST", "/api/v1/registrations", admin, json_body={
        "person_id": person["id"], "enterprise_uscc": uscc, "kind": "JZS2", "specialties": ["JZ"]})
    user = f"holder.bench.{uuid.uuid4().hex[:6]}"
    request("POST", "/api/v1/accounts", admin, json_body={"username": user, "password": "correct horse battery",
                                                          "role": "holder", "person_id": person["id"]})
    _, login = request("POST", "/api/v1/auth/login", json_body={"username": user, "password": "correct horse battery"})
    holder = {"Authorization": f"Bearer {login['access_token']}"}
    _, app = request("POST", "/api/v1/applications", holder, json_body={
        "type": "personal_info", "registration_number": reg["registration_number"], "changes": {"name": "吴新名"}})
    return {"holder": holder, "files": f"/api/v1/applications/{app['id']}/files", "uscc": uscc,
            "person": f"/api/v1/persons/{person['id']}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout whose app is served")
    args = ap.parse_args()
    print("making the files ...", flush=True)
    paths = [("verify photo", "POST", "/api/v1/verify/image", "image", upload_files.verify_images()),
             ("person photo", "PUT", "{person}/photo", "image", upload_files.person_images()),
             ("holder photo", "POST", "/api/v1/holder/photo", "image", upload_files.person_images()),      # 入库登记
             ("holder sign.", "POST", "/api/v1/holder/signature", "image", upload_files.person_images()),
             ("proof file", "POST", "{files}", "file", upload_files.proof_files()),
             ("bulk check", "POST", "/api/v1/enterprise/bulk-check?uscc={uscc}", "file", upload_files.bulk_files())]
    with tempfile.TemporaryDirectory() as tmp:
        proc = start(args.app_dir.resolve(), Path(tmp))
        try:
            admin = {"Authorization": f"Bearer {(Path(tmp) / 'admin-token').read_text().strip()}"}
            ctx = setup(admin)
            worker = children(proc.pid)[0]
            for _, method, path, field, files in paths:       # warm-up: one small normal file per path
                upload(method, path.format(**ctx), field, files[0][1], {**admin, **ctx["holder"]}
                       if "files" in path or "holder" in path else admin)
            fresh = status_mb(worker, "VmRSS")
            print(f"gunicorn, 1 sync worker, app from {args.app_dir.resolve()}; fresh worker RSS {fresh:.0f} MB\n")
            print(f"{'path':<13} {'file':<42} {'size':>9} {'status':<28} {'peak MB':>8} {'child':>6} {'s':>6}  verdict")
            failed = 0
            for label, method, path, field, files in paths:
                headers = ctx["holder"] if "files" in path or "holder" in path else admin
                for name, data in files:
                    Path(f"/proc/{worker}/clear_refs").write_text("5")
                    probe = ChildPeaks(worker)
                    probe.start()
                    started = time.perf_counter()
                    status, body = upload(method, path.format(**ctx), field, data, headers)
                    seconds = time.perf_counter() - started
                    probe.done.set()
                    probe.join()
                    peak = status_mb(worker, "VmHWM") - fresh
                    ok = peak + probe.peak <= LIMIT_MB and seconds <= LIMIT_S
                    failed += not ok
                    answer = f"{status} {body.get('error', '')}".strip()
                    print(f"{label:<13} {name[:42]:<42} {len(data) / 1024:>7.0f}KB {answer[:28]:<28} {peak:>8.0f} "
                          f"{probe.peak:>6.0f} {seconds:>6.2f}  {'PASS' if ok else 'FAIL'}", flush=True)
            print(f"\nworker RSS at the end: {status_mb(worker, 'VmRSS'):.0f} MB (fresh {fresh:.0f} MB); "
                  f"target {LIMIT_MB} MB above fresh (worker + PDF child) and {LIMIT_S:.0f} s a request: "
                  f"{'PASS' if not failed else f'FAIL ({failed} requests)'}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
