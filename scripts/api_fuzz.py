"""A schemathesis pass over the whole API as every role sees it: the app served by gunicorn on a fresh demo
instance, then `schemathesis run` against /api/v1/openapi.json once per role (no token, inspector, holder,
enterprise, an authority account, the admin token), checking that no answer is a server error and that every
answer has the status, content type and schema the document declares.

    .venv/bin/python scripts/api_fuzz.py [--examples 25] [--schemathesis PATH] [--roles none,admin]

schemathesis is looked for on PATH, beside this Python, or given with --schemathesis. Exit status 0 when
every role's run found nothing. Rate limits are switched off for the run (they would answer 429 to a
fuzzer), and the per-account ID-number quota raised.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "fuzz"          # the full output of a role that failed (git-ignored)
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def serve(instance: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "INSTANCE_PATH": str(instance), "DEMO_PERSONS": "300", "RATELIMIT_ENABLED": "0",
           "BULK_ID_CHECKS_PER_DAY": "100000000", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:backend.gunicorn_conf", "--workers", "2",
                             "--threads", "4", "--timeout", "120",
                             "--bind", f"127.0.0.1:{port}", "backend:create_app()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(instance / "server.log", "w"))
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"the server did not start: {instance / 'server.log'}")
            time.sleep(0.5)
    proc.terminate()
    sys.exit("the server did not answer in time")


def tokens(base: str, instance: Path) -> dict[str, str | None]:
    admin = (instance / "admin-token").read_text().strip()
    demo = json.loads((instance / "demo-samples.json").read_text())["accounts"]
    out: dict[str, str | None] = {"none": None, "admin": admin}
    for a in demo:
        out[a["role"]] = call(base, "/api/v1/auth/login", {"username": a["username"], "password": a["password"]})[
            "access_token"]
    call(base, "/api/v1/accounts", {"username": "fuzz.inspector", "password": "fuzz-inspector-pass", "role": "inspector"},
         admin)
    out["inspector"] = call(base, "/api/v1/auth/login", {"username": "fuzz.inspector",
                                                         "password": "fuzz-inspector-pass"})["access_token"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=25, help="test cases per operation and role")
    ap.add_argument("--schemathesis", default=None, help="path of the schemathesis command")
    ap.add_argument("--roles", default="none,inspector,holder,enterprise,authority,admin")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    exe = args.schemathesis or shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(exe).exists() and not shutil.which(exe):
        sys.exit("schemathesis is not installed (pip install schemathesis) or give --schemathesis PATH")
    with tempfile.TemporaryDirectory(prefix="jz-fuzz-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = serve(instance, port)
        failed = []
        try:
            roles = tokens(base, instance)
            for role in args.roles.split(","):
                cmd = [exe, "run", f"{base}/api/v1/openapi.json", "--checks", CHECKS, "-n", str(args.examples),
                       "--seed", str(args.seed), "--no-color", "--workers", "2", "--request-timeout", "60",
                       "--generation-database", "none", "--warnings", "off"]
                if roles.get(role):
                    cmd += ["-H", f"Authorization: Bearer {roles[role]}"]
                t0 = time.monotonic()
                run = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)    # its cache stays there
                tail = "\n".join(run.stdout.strip().splitlines()[-12:])
                print(f"== role {role}: exit {run.returncode} in {time.monotonic() - t0:.0f} s\n{tail}\n", flush=True)
                if run.returncode != 0:
                    failed.append(role)
                    OUT.mkdir(parents=True, exist_ok=True)
                    (OUT / f"{role}.log").write_text(run.stdout + run.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log = (instance / "server.log").read_text()
            errors = log.count("unhandled error")
            print(f"server log: {errors} unhandled errors")
            if errors:
                failed.append("server-log")
                OUT.mkdir(parents=True, exist_ok=True)
                (OUT / "server.log").write_text(log)
    print("FAILED: " + ", ".join(failed) if failed else "PASS: no server error, no schema violation")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
