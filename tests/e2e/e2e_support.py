"""What the browser tests and bench/scan_bench.py share: demo data made through the real services, a real
server in a subprocess, a fake camera (.y4m) showing a certificate QR, and the Chromium flags.

Debian's chromium is used (`executable_path=/usr/bin/chromium`); never `playwright install`.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import qrcode
from PIL import Image, ImageFilter

from backend.services.accounts import management
from backend.services.registry import enterprises, persons, registrations

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
BASE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_args(y4m: Path | None = None) -> list[str]:
    """Flags for a headless Chromium whose camera shows the given .y4m (looped)."""
    args = list(BASE_FLAGS)
    if y4m is not None:
        args += ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                 f"--use-file-for-fake-video-capture={y4m}"]
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NAMESAKE = "赵测试"


def _add_namesakes(session, catalogue, clock, uscc: str, n: int) -> None:
    """n registrations held by people of the same name: enough for the lookup to have two pages."""
    import datetime as dt

    from backend.services.checkdigits import id_check_char
    for i in range(n):
        first17 = f"320505{1970 + i:04d}0101{101 + 2 * i:03d}"
        p = persons.create_person(session, name=NAMESAKE, id_number=first17 + id_check_char(first17),
                                  phone="13900000001", actor="e2e")
        registrations.create_registration(session, catalogue, clock, person_id=p.id, enterprise_uscc=uscc, kind_code="JZS2",
                                     specialties=["JZ"], qualification_issued_on=clock.today() - dt.timedelta(days=400),
                                     actor="e2e")
    session.commit()


def prepare_instance(instance: Path, base_url: str, namesakes: int = 0) -> list[dict]:
    """Database, keys and one sample copy per verdict in `instance`, made in-process by the services;
    `namesakes` more registrations named NAMESAKE for the lookup's pages."""
    from backend import create_app
    from backend.demo.samples import make_samples
    from backend.extensions import db
    from backend.models import Enterprise
    from backend.services.workflows.lapse import run_lapse

    app = create_app({"INSTANCE_PATH": str(instance), "DEMO_PERSONS": 0, "PUBLIC_BASE_URL": base_url,
                      "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'jianzheng.db'}"})
    with app.app_context():
        e = app.extensions
        out = make_samples(db.session, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"], e["jz.clock"], instance)
        run_lapse(db.session, e["jz.catalogue"], e["jz.clock"], actor="e2e:lapse")    # as on first start: the
        db.session.commit()                                                            # lapsed sample is 失效
        if namesakes:
            uscc = db.session.query(Enterprise.uscc).order_by(Enterprise.id).first()[0]
            _add_namesakes(db.session, e["jz.catalogue"], e["jz.clock"], uscc, namesakes)
        db.session.remove()
        db.engine.dispose()
    for s in out["samples"]:
        s["png_path"] = str(instance / s["png"])
    return out["samples"]


ENTERPRISE_USER = "e2e.enterprise"
ENTERPRISE_PASSWORD = "Jz-e2e-pass-2026"
EXTRA_STAFF = [   # name, birth date, kind, specialties, years ago registered: warnings and a 挂证 signal
    ("孙期满", "19800305", "JZS2", ["JZ"], 2.95),   # specialty expiring within 30 days: renewal window open
    ("周安管", "19790612", "AQB", ["B"], 0.2),      # 安管 B without a constructor registration here
]


def prepare_enterprise(instance: Path) -> dict:
    """An enterprise account for the first demo enterprise (the samples' employer) and two more of its
    staff whose warnings and signal the roster shows, made in-process by the services like the samples.
    Returns {"username", "password", "uscc", "name", "staff": {name: {"id_number", "registration_number"}}}."""
    import datetime as dt

    from backend import create_app
    from backend.extensions import db
    from backend.models import Enterprise
    from backend.services.checkdigits import id_check_char
    from backend.services.clock import Clock

    app = create_app({"INSTANCE_PATH": str(instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'jianzheng.db'}"})
    with app.app_context():
        e, s = app.extensions, db.session
        ent = s.query(Enterprise).order_by(Enterprise.id).first()
        clock = e["jz.clock"]
        staff = {}
        for i, (name, birth, kind, specs, years_ago) in enumerate(EXTRA_STAFF):
            first17 = f"320505{birth}{301 + 2 * i:03d}"
            p = persons.create_person(s, name=name, id_number=first17 + id_check_char(first17), phone="13900000002",
                                      actor="e2e")
            then = Clock(str(clock.tz), fixed=clock.now() - dt.timedelta(days=round(365.25 * years_ago)))
            reg = registrations.create_registration(s, e["jz.catalogue"], then, person_id=p.id, enterprise_uscc=ent.uscc,
                                               kind_code=kind, specialties=specs,
                                               qualification_issued_on=then.today() - dt.timedelta(days=400), actor="e2e")
            staff[name] = {"id_number": p.id_number, "registration_number": reg.registration_number}
        management.create_account(s, username=ENTERPRISE_USER, password=ENTERPRISE_PASSWORD, role="enterprise",
                                  enterprise_uscc=ent.uscc, actor="e2e")
        s.commit()
        out = {"username": ENTERPRISE_USER, "password": ENTERPRISE_PASSWORD, "uscc": ent.uscc, "name": ent.name,
               "staff": staff}
        db.session.remove()
        db.engine.dispose()
    return out


WORKFLOW_PASSWORD = "Jz-e2e-flow-2026"
# An employer of their own in Hangzhou (33) decides by the rules at once; the second demo employer
# (Beijing, 11) is a review-mode province for the e2e server, like Guangdong (44) by default. The samples'
# employer is left alone: the enterprise pages' tests count its staff and warnings.
DECISION_MODE = '{"default": "auto", "44": "review", "11": "review"}'
WORKFLOW_STAFF = [   # name, birth date, ID sequence, employer ("auto" | "review"), specialties
    ("郑续期", "19810203", "315", "auto", ["JZ"]),          # holder in the renewal window, auto mode
    ("冯离职", "19840509", "335", "auto", ["JZ", "SZ"]),    # the employer files to cancel this registration
    ("吴复核", "19820416", "355", "review", ["JZ", "SZ"]),  # holder in the renewal window, review mode
    ("钱分项", "19830611", "375", "auto", ["JZ"]),          # JZ in its window; SZ added today (SPLIT_LATER)
]
SPLIT_LATER = ("钱分项", "SZ")    # a specialty registered today: its renewal window is three years away


def prepare_workflows(instance: Path) -> dict:
    """Accounts and people for the workflow pages, made by the services: an auto-mode employer with its
    enterprise account, the review-mode demo employer's account, holders bound to people registered 2.95
    years ago (inside the renewal window), and an authority account. Returns {"password",
    "holder_auto", "holder_review", "holder_split": {"username", "name", "registration_number"}, "leaver": {...},
    "enterprise_auto", "enterprise_review": {"username", "name", "uscc"}, "authority": username}."""
    import datetime as dt

    from backend import create_app
    from backend.extensions import db
    from backend.models import Enterprise
    from backend.services.checkdigits import id_check_char, uscc_check_char
    from backend.services.clock import Clock

    app = create_app({"INSTANCE_PATH": str(instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'jianzheng.db'}"})
    with app.app_context():
        e, s = app.extensions, db.session
        clock = e["jz.clock"]
        first17 = "91330100MA0000077"
        ent_auto = enterprises.create_enterprise(s, e["jz.catalogue"], name="杭州流程示范建设有限公司", short_name="流程示范",
                                                 uscc=first17 + uscc_check_char(first17), actor="e2e")
        ent_review = s.query(Enterprise).filter(Enterprise.uscc.like("91110105%")).order_by(Enterprise.id).first()
        employers = {"auto": ent_auto, "review": ent_review}
        then = Clock(str(clock.tz), fixed=clock.now() - dt.timedelta(days=round(365.25 * 2.95)))
        people = {}
        for name, birth, seq, where, specs in WORKFLOW_STAFF:
            first17 = f"330106{birth}{seq}"
            p = persons.create_person(s, name=name, id_number=first17 + id_check_char(first17), phone="13900000003",
                                      actor="e2e")
            reg = registrations.create_registration(s, e["jz.catalogue"], then, person_id=p.id,
                                               enterprise_uscc=employers[where].uscc, kind_code="JZS2",
                                               specialties=specs,
                                               qualification_issued_on=then.today() - dt.timedelta(days=400), actor="e2e")
            people[name] = {"name": name, "person_id": p.id, "registration_number": reg.registration_number}
            if name == SPLIT_LATER[0]:
                registrations.add_specialty(s, e["jz.catalogue"], clock, reg.registration_number, SPLIT_LATER[1], "e2e")
        made = [("e2e.holder.auto", "holder", {"person_id": people["郑续期"]["person_id"]}),
                ("e2e.holder.review", "holder", {"person_id": people["吴复核"]["person_id"]}),
                ("e2e.holder.split", "holder", {"person_id": people["钱分项"]["person_id"]}),
                ("e2e.enterprise.auto", "enterprise", {"enterprise_uscc": ent_auto.uscc}),
                ("e2e.enterprise.review", "enterprise", {"enterprise_uscc": ent_review.uscc}),
                ("e2e.authority", "authority", {})]
        for username, role, extra in made:
            management.create_account(s, username=username, password=WORKFLOW_PASSWORD, role=role, **extra, actor="e2e")
        s.commit()
        out = {"password": WORKFLOW_PASSWORD,
               "holder_auto": {"username": "e2e.holder.auto", **people["郑续期"]},
               "holder_review": {"username": "e2e.holder.review", **people["吴复核"]},
               "holder_split": {"username": "e2e.holder.split", **people["钱分项"]},
               "leaver": people["冯离职"],
               "enterprise_auto": {"username": "e2e.enterprise.auto", "name": ent_auto.name, "uscc": ent_auto.uscc},
               "enterprise_review": {"username": "e2e.enterprise.review", "name": ent_review.name,
                                     "uscc": ent_review.uscc},
               "authority": "e2e.authority"}
        db.session.remove()
        db.engine.dispose()
    return out


def start_server(instance: Path, port: int, log: Path, extra_env: dict | None = None) -> subprocess.Popen:
    """`flask --app backend run` on 127.0.0.1:port against `instance`; returns once /healthz answers."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_DEBUG", "KEY_DIR")}
    env.update(INSTANCE_PATH=str(instance), DEMO_PERSONS="0", RATELIMIT_ENABLED="0",
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", PYTHONDONTWRITEBYTECODE="1", DECISION_MODE=DECISION_MODE)
    env.update(extra_env or {})
    fh = open(log, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "backend", "run", "--host", "127.0.0.1",
                             "--port", str(port), "--with-threads"], cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not answer /healthz within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- the fake camera ------------------------------------------------------------------------------

def qr_image(text: str, ec: str = "M") -> Image.Image:
    level = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
             "Q": qrcode.constants.ERROR_CORRECT_Q}[ec]
    q = qrcode.QRCode(error_correction=level, box_size=1, border=4)
    q.add_data(text)
    q.make(fit=True)
    return q.make_image(fill_color="black", back_color="white").convert("L")


def camera_frame(text: str | None, W=640, H=480, size=420, rotate=0.0, blur=0.0, contrast=1.0, bg=110,
                 dx=0, dy=0) -> Image.Image:
    """One grey frame: the QR scaled to `size` px (modules kept crisp), rotated, blurred like a lens."""
    frame = Image.new("L", (W, H), bg)
    if text is not None:
        img = qr_image(text).resize((size, size), Image.NEAREST)
        if rotate:
            img = img.convert("LA").rotate(rotate, resample=Image.BICUBIC, expand=True)
            x, y = (W - img.width) // 2 + dx, (H - img.height) // 2 + dy
            frame.paste(img.convert("L"), (x, y), img.split()[1])
        else:
            frame.paste(img, ((W - size) // 2 + dx, (H - size) // 2 + dy))
    if blur:
        frame = frame.filter(ImageFilter.GaussianBlur(blur))
    if contrast != 1.0:
        a = 128 + (np.asarray(frame, dtype=np.float32) - 128) * contrast
        frame = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    return frame


def write_y4m(path: Path, text: str | None, *, frames=30, W=640, H=480, fps=15, size=420, rotate=0.0, blur=0.0,
              noise=0.0, contrast=1.0, jitter=0, lead_blank=0, seed=0) -> Path:
    """A looping fake-camera video (YUV4MPEG2, 4:2:0, grey) that shows `text` as a QR code."""
    rnd = np.random.default_rng(seed)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        chroma = np.full((H // 2, W // 2), 128, np.uint8).tobytes()
        for i in range(frames):
            dx, dy = (int(v) for v in rnd.integers(-jitter, jitter + 1, 2)) if jitter else (0, 0)
            fr = camera_frame(None if i < lead_blank else text, W, H, size, rotate, blur, contrast, dx=dx, dy=dy)
            y = np.asarray(fr, dtype=np.float32)
            if noise:
                y = y + rnd.normal(0, noise, y.shape)
            f.write(b"FRAME\n" + np.clip(y, 0, 255).astype(np.uint8).tobytes() + chroma + chroma)
    return path
