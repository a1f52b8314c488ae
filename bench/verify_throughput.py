"""Throughput of `POST /api/v1/verify` through gunicorn, beside a minimal Flask endpoint (bench/minimal_app.py)
that only checks an ES256 signature with pyjwt and reads one row by primary key. Prints figures; not a test.

    .venv/bin/python bench/verify_throughput.py                  # SQLite, wrk, 2 sync workers, 16 connections
    .venv/bin/python bench/verify_throughput.py --db postgres    # the throwaway PostgreSQL of scripts/pg-server.sh
    .venv/bin/python bench/verify_throughput.py --worker-class gthread --threads 4
    .venv/bin/python bench/verify_throughput.py --form v1                   # copies as tokens of before issue 11

What it does, by itself, in about a minute and a half (never more than --budget seconds of load):
1. a fresh instance under bench/out/verify-<time>/ (AUTO_INIT: migrations, keys), enterprises, persons and
   registrations made with backend.services.registry, and --copies copies issued with issue_copy;
2. two gunicorn servers on 127.0.0.1 with the same worker settings: the real app (`backend:create_app()`,
   RATELIMIT_ENABLED=0, DEMO_PERSONS=0) and the minimal app, on the same database;
3. one pass of every QR text through /api/v1/verify (the verdict distribution must be all "valid");
4. --rounds rounds, each a --duration run of each endpoint back to back (order alternating, to share out
   the noise of other processes; a --warmup run before an endpoint's first), with the same load
   generator and --connections: `wrk` (Debian package) with a Lua script that POSTs the JSON
   bodies in turn and checks every answer (status 200 and verdict "valid" / "ok": true), or, when wrk is
   absent, an asyncio client in this process;
5. requests/s, latency p50/p99, server CPU per request (utime+stime of the gunicorn processes over the
   run, from /proc); the ratio verify/minimal (median of the rounds' throughput ratios; also by CPU per
   request); every non-200 or non-valid answer counted.
The servers are stopped at the end, always.

On a machine with few cores the load generator competes with the workers for CPU: the figures are those
of the whole loopback system, and the ratio (same generator, same load) is the number to compare. When
other processes share the CPUs, the throughput of one run swings widely; the CPU-per-request ratio
stays steady.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

TARGET_RATIO = 0.75        # issue 9: the pydantic edge must stay cheap on the hot path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
OUT = BENCH / "out"
sys.path.insert(0, str(REPO))

BASE_URL = "http://127.0.0.1:5000"    # PUBLIC_BASE_URL of the issued QR texts, given to the servers too
PG_DB = "b_verify"                    # the database --db postgres makes (and remakes) on the throwaway server
VERIFY_PATH = "/api/v1/verify"
MINIMAL_PATH = "/minimal"
EXPECT = {"verify": '"verdict":"valid"', "minimal": '"ok":true'}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"

WRK_LUA = r"""
-- POST the JSON bodies of a file in turn; count answers that are not 200 or lack the expected text.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  expect = args[2]
  idx = (tid * 7919) % #bodies
  n_ok, n_bad, n_non200 = 0, 0, 0
  sample = ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  idx = idx % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[idx])
end

function response(status, headers, body)
  if status ~= 200 then
    n_non200 = n_non200 + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 300) end
  elseif string.find(body, expect, 1, true) then
    n_ok = n_ok + 1
  else
    n_bad = n_bad + 1
    if sample == "" then sample = "200 " .. string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local o, b, n, s = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("n_ok"); b = b + t:get("n_bad"); n = n + t:get("n_non200")
    local ts = t:get("sample")
    if s == "" and ts then s = ts end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"ok":%d,"bad":%d,"non200":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, o, b, n, e.connect, e.read, e.write, e.timeout))
  if s ~= "" then io.write("BENCH_SAMPLE " .. string.gsub(s, "\n", " ") .. "\n") end
end
"""


# ----------------------------------------------------------------------------------------------------------
# Data

def id_number(i: int) -> str:
    from backend.services.checkdigits import id_check_char
    birth = dt.date(1970 + i % 25, 1 + i % 12, 1 + i % 28)
    first17 = f"{110101 + i // 1000:06d}{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + id_check_char(first17)


def uscc(e: int) -> str:
    from backend.services.checkdigits import uscc_check_char
    first17 = f"91110000{e:09d}"
    return first17 + uscc_check_char(first17)


def make_data(instance: Path, copies: int) -> list[str]:
    """Registry rows and `copies` issued copies (one per registration); their QR texts."""
    from backend import create_app
    from backend.extensions import db
    from backend.services.issuance.copies import issue_copy
    from backend.services.registry.enterprises import create_enterprise
    from backend.services.registry.persons import create_person
    from backend.services.registry.registrations import create_registration

    app = create_app({"INSTANCE_PATH": str(instance), "AUTO_INIT": True, "DEMO_PERSONS": 0,
                      "PUBLIC_BASE_URL": BASE_URL})
    ext = app.extensions
    cat, clock, settings = ext["jz.catalogue"], ext["jz.clock"], ext["jz.settings"]
    assert settings.base_url == BASE_URL, settings.base_url
    texts = []
    with app.app_context():
        s = db.session
        ring = ext["jz.keystore"].get()
        n_ent = max(1, copies // 20)
        for e in range(n_ent):
            create_enterprise(s, cat, name=f"北京建证基准建设工程有限公司第{e + 1}分公司", short_name=f"建证基准{e + 1}",
                              uscc=uscc(e), actor="bench")
        for i in range(copies):
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7 + 3) % len(GIVEN)]
            p = create_person(s, name=name, id_number=id_number(i), phone=f"139{i:08d}", actor="bench")
            p.synthetic = True          # like the demo data: a portrait, so the answer carries a signed photo URL
            reg = create_registration(s, cat, clock, person_id=p.id, enterprise_uscc=uscc(i % n_ent), kind_code="JZS1",
                                      specialties=["JZ", "SZ"] if i % 2 else ["JZ"], actor="bench")
            texts.append(issue_copy(s, ring, cat, settings, clock, reg.registration_number, "bench").qr_text)
        s.commit()
        db.engine.dispose()
    return texts


def as_v1(instance: Path, texts: list[str]) -> list[str]:
    """The same copies as tokens of before issue 11: the v2 claims less `h`, JSON, in `{base}/v#`."""
    from backend.crypto import tokens
    from backend.crypto.keys import load_keyring
    ring = load_keyring(instance / "keys")
    out = []
    for text in texts:
        _, claims = tokens.verify(ring, tokens.unpack(text.split("#", 1)[1]), issuer=os.environ.get("TOKEN_ISSUER", "JZ"))
        out.append(f"{BASE_URL}/v#{tokens.sign(ring, {k: v for k, v in claims.items() if k != 'h'})}")
    return out


def postgres_url() -> str:
    """A fresh database b_verify on the throwaway server of scripts/pg-server.sh."""
    import psycopg
    url = subprocess.run([str(REPO / "scripts" / "pg-server.sh"), "start"], check=True, capture_output=True,
                         text=True, timeout=90).stdout.strip().splitlines()[-1]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")
    return url.rsplit("/", 1)[0] + "/" + PG_DB


# ----------------------------------------------------------------------------------------------------------
# Servers

def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of one process (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def db_cpu_seconds(dbname: str) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend serving `dbname` (their titles read `postgres: user db ...`)."""
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                title = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {dbname} " in title:
                out[int(d.name)] = proc_cpu_seconds(int(d.name))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, app_spec: str, env: dict, args, run_dir: Path, pythonpath: str | None = None):
        self.name, self.port = name, free_port()
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-k", args.worker_class,
               "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--error-logfile", "-"]
        if args.worker_class == "gthread":
            cmd += ["--threads", str(args.threads)]
        if pythonpath:
            cmd += ["--pythonpath", pythonpath]
        cmd.append(app_spec)
        self.log_path = run_dir / f"{name}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)   # its own process group: stopped as a whole

    def cpu_seconds(self) -> float:
        """User + system CPU time so far of the gunicorn master and its workers (Linux /proc)."""
        pids = [self.proc.pid]
        try:
            pids += [int(x) for x in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except OSError:
            return float("nan")
        return sum(proc_cpu_seconds(pid) for pid in pids)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, path: str, body: bytes, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            try:
                status, _ = post(self.url(path), body)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} server not ready after {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self.log.close()


def post(url: str, body: bytes) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


# ----------------------------------------------------------------------------------------------------------
# Load generators: each returns {"rps", "requests", "p50_ms", "p99_ms", "ok", "bad", "non200", "errors", "sample"}

def run_wrk(url: str, bodies_file: Path, expect: str, lua: Path, conns: int, threads: int, seconds: float) -> dict:
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds:g}s", "--timeout", "5s", "-s", str(lua),
           url, "--", str(bodies_file), expect]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{out}")
    r = json.loads(line[len("BENCH_JSON "):])
    sample = next((ln[len("BENCH_SAMPLE "):] for ln in out.splitlines() if ln.startswith("BENCH_SAMPLE ")), "")
    return {"rps": r["requests"] / (r["duration_us"] / 1e6), "requests": r["requests"],
            "p50_ms": r["p50_us"] / 1000, "p99_ms": r["p99_us"] / 1000, "ok": r["ok"], "bad": r["bad"],
            "non200": r["non200"],
            "errors": r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"], "sample": sample}


async def _py_load(port: int, path: str, bodies: list[bytes], expect: bytes, conns: int, seconds: float) -> dict:
    lat: list[float] = []
    res = Counter()
    sample = [""]
    end = time.monotonic() + seconds

    async def one_conn(k: int):
        i = k * 7919
        reader = writer = None
        while time.monotonic() < end:
            body = bodies[i % len(bodies)]
            i += 1
            req = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                t0 = time.perf_counter()
                writer.write(req)
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
                data = await reader.readexactly(int(headers.get("content-length", "0")))
                lat.append(time.perf_counter() - t0)
                if status != 200:
                    res["non200"] += 1
                    sample[0] = sample[0] or f"{status} {data[:300]!r}"
                elif expect in data:
                    res["ok"] += 1
                else:
                    res["bad"] += 1
                    sample[0] = sample[0] or f"200 {data[:300]!r}"
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    reader = writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                res["errors"] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    t0 = time.monotonic()
    await asyncio.gather(*(one_conn(k) for k in range(conns)))
    elapsed = time.monotonic() - t0
    lat.sort()
    q = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else (lambda p: float("nan"))
    return {"rps": len(lat) / elapsed, "requests": len(lat), "p50_ms": q(0.50), "p99_ms": q(0.99),
            "ok": res["ok"], "bad": res["bad"], "non200": res["non200"], "errors": res["errors"], "sample": sample[0]}


def run_python(port: int, path: str, bodies: list[bytes], expect: str, conns: int, seconds: float) -> dict:
    return asyncio.run(_py_load(port, path, bodies, expect.encode(), conns, seconds))


# ----------------------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    ap.add_argument("--threads", type=int, default=2, help="threads per worker (gthread only)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--duration", type=float, default=4.0, help="seconds measured per run")
    ap.add_argument("--warmup", type=float, default=2.0,
                    help="seconds of unmeasured load before an endpoint's first run")
    ap.add_argument("--rounds", type=int, default=6,
                    help="rounds of one measured run per endpoint, back to back, order alternating")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--wrk-threads", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the instance directory under bench/out/")
    ap.add_argument("--form", choices=("v2", "v1"), default="v2",
                    help="v1: post each copy as a token of before issue 11 (JSON, {base}/v#), for comparison")
    ap.add_argument("--budget", type=float, default=110.0,
                    help="seconds from the start after which no further round is begun")
    args = ap.parse_args()
    if args.rounds < 1 or args.duration <= 0:
        ap.error("--rounds must be at least 1 and --duration positive")

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    if client == "wrk" and not shutil.which("wrk"):
        print("wrk not found: apt-get install -y wrk (or --client python)", file=sys.stderr)
        return 2

    started = time.monotonic()
    run_dir = OUT / f"verify-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    instance = run_dir / "instance"
    instance.mkdir(parents=True)

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "INSTANCE_PATH", "KEY_DIR", "REDIS_URL")}
    env["PUBLIC_BASE_URL"] = BASE_URL
    os.environ.pop("INSTANCE_PATH", None)
    os.environ.pop("KEY_DIR", None)
    os.environ["PUBLIC_BASE_URL"] = BASE_URL
    if args.db == "postgres":
        db_url = postgres_url()
        os.environ["DATABASE_URL"] = env["DATABASE_URL"] = db_url
        # one machine, one key: the app may make its secrets, keys and demo CA and migrate (backend/startup.py)
        for name in ("AUTO_INIT", "LOCAL_SECRETS", "PDF_DEMO_CA"):
            os.environ[name] = env[name] = "1"
    else:
        os.environ.pop("DATABASE_URL", None)
        db_url = f"sqlite:///{instance / 'jianzheng.db'}"

    t0 = time.monotonic()
    texts = make_data(instance, args.copies)
    if args.form == "v1":
        texts = as_v1(instance, texts)
    print(f"data: {args.copies} copies issued into {args.db} ({db_url}) in {time.monotonic() - t0:.1f} s; "
          f"QR texts in form {args.form}, {statistics.mean(map(len, texts)):.0f} characters on average")

    bodies = [json.dumps({"qr": t}, separators=(",", ":")) for t in texts]
    bodies_file = run_dir / "bodies.jsonl"
    bodies_file.write_text("\n".join(bodies) + "\n")
    lua = run_dir / "post.lua"
    lua.write_text(WRK_LUA)

    app_env = env | {"INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": "0", "DEMO_PERSONS": "0"}
    min_env = env | {"BENCH_DB_URL": db_url, "BENCH_KEY_DIR": str(instance / "keys")}
    servers: dict[str, Server] = {}
    results: dict[str, list[dict]] = {"verify": [], "minimal": []}
    warm_problems = Counter()
    try:
        servers["verify"] = Server("verify", "backend:create_app()", app_env, args, run_dir)
        servers["minimal"] = Server("minimal", "minimal_app:create_app()", min_env, args, run_dir, str(BENCH))
        paths = {"verify": VERIFY_PATH, "minimal": MINIMAL_PATH}
        for name, srv in servers.items():
            srv.wait_ready(paths[name], bodies[0].encode())

        # Every copy once through the real endpoint: the verdict distribution.
        verdicts = Counter()
        for b in bodies:
            status, data = post(servers["verify"].url(VERIFY_PATH), b.encode())
            verdicts[f"{status} {json.loads(data).get('verdict') if status == 200 else data[:80]!r}"] += 1
        print(f"verdicts of the {len(bodies)} copies (one pass): {dict(verdicts)}")

        print(f"load: {client}{f' -t{args.wrk_threads}' if client == 'wrk' else ''}, {args.connections} connections, "
              f"{args.warmup:g} s warm-up + {args.duration:g} s measured, {args.rounds} round(s); gunicorn "
              f"-w {args.workers} -k {args.worker_class}"
              f"{f' --threads {args.threads}' if args.worker_class == 'gthread' else ''}; {os.cpu_count()} CPUs")

        def load(name: str, seconds: float) -> dict:
            srv = servers[name]
            cpu0 = srv.cpu_seconds()
            db0 = db_cpu_seconds(PG_DB) if args.db == "postgres" else {}
            if client == "wrk":
                res = run_wrk(srv.url(paths[name]), bodies_file, EXPECT[name], lua, args.connections,
                              args.wrk_threads, seconds)
            else:
                res = run_python(srv.port, paths[name], [b.encode() for b in bodies], EXPECT[name], args.connections,
                                 seconds)
            res["cpu_ms"] = (srv.cpu_seconds() - cpu0) * 1000 / max(1, res["requests"])
            if args.db == "postgres":   # backends born during the run count from zero
                db1 = db_cpu_seconds(PG_DB)
                res["db_cpu_ms"] = sum(t - db0.get(pid, 0.0) for pid, t in db1.items()) * 1000 / max(1, res["requests"])
            return res

        for r in range(args.rounds):
            if r and time.monotonic() - started + 2 * (args.duration + 1) > args.budget:
                print(f"  (stopping after {r} rounds: --budget {args.budget:g} s)")
                break
            for name in (("minimal", "verify") if r % 2 == 0 else ("verify", "minimal")):
                if r == 0 and args.warmup > 0:
                    w = load(name, args.warmup)
                    warm_problems[name] += w["bad"] + w["non200"] + w["errors"]
                res = load(name, args.duration)
                results[name].append(res)
                print(f"  round {r + 1} {name:8s} {res['rps']:8.1f} req/s  p50 {res['p50_ms']:6.2f} ms  "
                      f"p99 {res['p99_ms']:6.2f} ms  server CPU {res['cpu_ms']:.2f} ms/req"
                      + (f" + PostgreSQL {res['db_cpu_ms']:.2f}" if "db_cpu_ms" in res else "")
                      + f"  requests {res['requests']}  ok {res['ok']}  "
                      f"not-valid {res['bad']}  non-200 {res['non200']}  socket errors {res['errors']}"
                      + (f"\n      first problem: {res['sample']}" if res["sample"] else ""), flush=True)
    finally:
        for srv in servers.values():
            srv.stop()

    def agg(name: str) -> dict:
        rs = results[name]
        return {"rps": statistics.mean(x["rps"] for x in rs), "best": max(x["rps"] for x in rs),
                "p50_ms": statistics.median(x["p50_ms"] for x in rs),
                "p99_ms": statistics.median(x["p99_ms"] for x in rs),
                "cpu_ms": statistics.median(x["cpu_ms"] for x in rs),
                "db_cpu_ms": statistics.median(x.get("db_cpu_ms", 0.0) for x in rs),
                "requests": sum(x["requests"] for x in rs),
                "ok": sum(x["ok"] for x in rs), "bad": sum(x["bad"] for x in rs),
                "non200": sum(x["non200"] for x in rs), "errors": sum(x["errors"] for x in rs)}

    v, m = agg("verify"), agg("minimal")
    ratio = statistics.median(a["rps"] / b["rps"] for a, b in zip(results["verify"], results["minimal"]))
    best_ratio = v["best"] / m["best"] if m["best"] else float("nan")
    cpu_ratio = m["cpu_ms"] / v["cpu_ms"] if v["cpu_ms"] else float("nan")
    print()
    print("req/s: mean and best of the rounds; latency and CPU: median of the rounds")
    print(f"{'endpoint':10s} {'req/s':>8s} {'best':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'CPU ms/req':>10s} "
          f"{'requests':>9s} {'not-valid':>10s} {'non-200':>8s} {'sock-err':>8s}")
    for name, a in (("minimal", m), ("verify", v)):
        print(f"{name:10s} {a['rps']:8.1f} {a['best']:8.1f} {a['p50_ms']:8.2f} {a['p99_ms']:8.2f} {a['cpu_ms']:10.2f} "
              f"{a['requests']:9d} {a['bad']:10d} {a['non200']:8d} {a['errors']:8d}")
    verdict = lambda x: "met" if x >= TARGET_RATIO else "NOT met"  # noqa: E731
    print(f"ratio verify/minimal, throughput, median of the rounds' ratios: {ratio:.2f}  "
          f"(target >= {TARGET_RATIO:.2f}: {verdict(ratio)})")
    print(f"ratio verify/minimal, throughput, best round of each:          {best_ratio:.2f}")
    print(f"ratio verify/minimal, server CPU per request (minimal/verify):  {cpu_ratio:.2f}  "
          f"(steadiest when other processes share the CPUs)")
    if args.db == "postgres":
        both = (m["cpu_ms"] + m["db_cpu_ms"]) / (v["cpu_ms"] + v["db_cpu_ms"])
        print(f"PostgreSQL backend CPU per request (median): minimal {m['db_cpu_ms']:.2f} ms, "
              f"verify {v['db_cpu_ms']:.2f} ms; ratio of server + database CPU: {both:.2f}")
    if client == "python":
        print("note: the Python client shares the CPUs and may itself be the limit; the CPU ratio is the fairer figure")
    problems = v["bad"] + v["non200"] + v["errors"] + m["bad"] + m["non200"] + m["errors"] + sum(warm_problems.values())
    print(f"answer check: {'every answer 200 and valid' if not problems else f'{problems} problem answers (see above)'}"
          f"{f'; warm-up problems {dict(warm_problems)}' if sum(warm_problems.values()) else ''}")
    (run_dir / "results.json").write_text(json.dumps({"args": vars(args), "client": client, "db": args.db,
                                                      "verify": results["verify"], "minimal": results["minimal"],
                                                      "ratio": ratio, "best_ratio": best_ratio,
                                                      "cpu_ratio": cpu_ratio}, indent=1))
    if not args.keep:
        shutil.rmtree(instance, ignore_errors=True)
    print(f"total {time.monotonic() - started:.0f} s; logs and results.json in {run_dir}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
