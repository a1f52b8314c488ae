"""Benchmark of the inspector app's scan path in headless Chromium (Debian's /usr/bin/chromium):

  * first camera frame that holds a code -> verdict on screen, online and offline (ms);
  * per-frame decode time in the worker for a 640x480 frame: a clean code, a rotated/blurred/noisy one,
    and frames with no code (what the decoder spends while the inspector aims).

    .venv/bin/python bench/scan_bench.py [--runs 15] [--json out.json] [--check]
    .venv/bin/python bench/scan_bench.py --link-open [--link-runs 5] [--lighthouse] [--json out.json] [--check]

A real server (`flask run`) on demo samples made by the services, a fake camera fed from a .y4m made here
(every frame shows the code, so the first frame the scanner grabs holds it). Times come from the app's
own marks on window.__jz (performance.now(): frame grabbed, code decoded, verdict painted).
Targets: offline <= 300 ms, online <= 600 ms, decode <= 10 ms per 640x480 frame.

--link-open: instead, the certificate link opened cold as a phone's own camera opens it, throttled to slow
4G (400 ms RTT, 1.6 Mbit/s down, CPU x4; see bench/link_open.py): navigation -> verdict on screen
(target <= 1500 ms) and the bytes received before it (target <= 150 KB), with their breakdown; with
--lighthouse also Lighthouse's performance score on /v and /v#<token> (target >= 95; needs the npm package
`lighthouse`, e.g. `npm i -E lighthouse@12.2.3`, in node_modules/ or $LIGHTHOUSE; nothing in CI needs it).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "e2e"), str(REPO / "bench")]

import link_open  # noqa: E402
from e2e_support import CHROMIUM, chromium_args, free_port, prepare_instance, start_server, stop_server, write_y4m  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

TARGETS = {"offline": 300.0, "online": 600.0, "decode": 10.0}
WAIT_SW = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  }
}"""


def stats(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    s = sorted(xs)
    return {"n": len(s), "median": round(statistics.median(s), 1), "p90": round(s[min(len(s) - 1, int(0.9 * len(s)))], 1),
            "min": round(s[0], 1), "max": round(s[-1], 1)}


def open_page(browser, base: str):
    ctx = browser.new_context(viewport={"width": 360, "height": 640})
    ctx.grant_permissions(["camera"], origin=base)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.evaluate(WAIT_SW)
    page.wait_for_selector("#data-age[data-state=ok]", state="attached")   # keys and status list on the device
    return ctx, page


def scan_runs(page, runs: int, mode: str) -> list[dict]:
    """`runs` scans one after another (one tap each); the app's marks of each."""
    out = []
    for _i in range(runs):
        before = int(page.get_attribute("body", "data-results") or 0)
        page.click('[data-action="scan"]' if page.is_visible('[data-action="scan"]') else '[data-action="scan-next"]')
        page.wait_for_selector(f'body[data-results="{before + 1}"]', state="attached")
        last = page.evaluate("window.__jz.last")
        if last["mode"] != mode:
            raise RuntimeError(f"expected a {mode} verdict, got {last}")
        out.append({"total": last["shownAt"] - last["firstFrameAt"], "decode": last["decodedAt"] - last["frameAt"],
                    "verify_render": last["shownAt"] - last["decodedAt"], "verdict": last["verdict"]})
    return out


def latency(pw, base: str, y4m: Path, runs: int) -> dict:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(y4m))
    try:
        ctx, page = open_page(browser, base)
        scan_runs(page, 2, "online")                       # warm up: JIT, caches, the server's first answers
        online = scan_runs(page, runs, "online")
        ctx.set_offline(True)
        page.wait_for_selector('#net[data-state="offline"]')
        offline = scan_runs(page, runs, "offline")
        decode = page.evaluate("window.__jz.perf")
        engine = decode["engine"]
        ctx.close()
    finally:
        browser.close()
    return {"online": online, "offline": offline, "engine": engine,
            "decode_ms": decode["decodeMs"][2:], "prep_ms": decode["prepMs"][2:]}


def idle_decode(pw, base: str, y4m: Path, seconds: float) -> dict:
    """Frames with no code: the scanner decodes every new frame for `seconds`."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(y4m))
    try:
        ctx, page = open_page(browser, base)
        page.click('[data-action="scan"]')
        page.wait_for_selector('#viewfinder[data-state="scanning"]', state="attached")
        time.sleep(seconds)
        perf = page.evaluate("window.__jz.perf")
        page.click('[data-action="stop"]')
        ctx.close()
    finally:
        browser.close()
    return {"decode_ms": perf["decodeMs"][3:], "prep_ms": perf["prepMs"][3:], "frames": perf["frames"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="scans per mode (after 2 warm-up scans)")
    ap.add_argument("--idle-seconds", type=float, default=4.0, help="how long to decode frames with no code")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--link-open", action="store_true", help="the cold, throttled link-open figures instead")
    ap.add_argument("--link-runs", type=int, default=5, help="cold link opens (after one warm-up of the server)")
    ap.add_argument("--lighthouse", action="store_true", help="with --link-open: Lighthouse on /v and /v#<token> too")
    ap.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per URL (the median is kept)")
    a = ap.parse_args()
    if a.link_open:
        return main_link_open(a)

    with tempfile.TemporaryDirectory(prefix="jz-scan-bench-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        samples = {s["label"]: s for s in prepare_instance(tmp / "instance", base)}
        clean = write_y4m(tmp / "clean.y4m", samples["valid"]["qr"])
        hard = write_y4m(tmp / "hard.y4m", samples["valid"]["qr"], size=320, rotate=20, blur=1.0, noise=4,
                         contrast=0.8, jitter=3)
        blank = write_y4m(tmp / "blank.y4m", None, noise=4)
        server = start_server(tmp / "instance", port, tmp / "server.log")
        try:
            with sync_playwright() as pw:
                res_clean = latency(pw, base, clean, a.runs)
                res_hard = latency(pw, base, hard, a.runs)
                res_idle = idle_decode(pw, base, blank, a.idle_seconds)
        finally:
            stop_server(server)

    fig = {
        "chromium": CHROMIUM, "engine": res_clean["engine"], "frame": "640x480",
        "first_frame_to_verdict_ms": {
            "online_clean": stats([r["total"] for r in res_clean["online"]]),
            "offline_clean": stats([r["total"] for r in res_clean["offline"]]),
            "online_hard": stats([r["total"] for r in res_hard["online"]]),
            "offline_hard": stats([r["total"] for r in res_hard["offline"]]),
        },
        "parts_ms": {
            "online_verify_and_paint": stats([r["verify_render"] for r in res_clean["online"]]),
            "offline_verify_and_paint": stats([r["verify_render"] for r in res_clean["offline"]]),
        },
        "decode_per_frame_ms": {
            "clean_code": stats(res_clean["decode_ms"]), "hard_code": stats(res_hard["decode_ms"]),
            "no_code": stats(res_idle["decode_ms"]),
        },
        "frame_to_pixels_ms": stats(res_clean["prep_ms"] + res_idle["prep_ms"]),
    }
    t = fig["first_frame_to_verdict_ms"]
    d = fig["decode_per_frame_ms"]
    worst_decode = max(d[k]["median"] for k in d if d[k]["n"])
    verdicts = {
        "offline": max(t["offline_clean"]["median"], t["offline_hard"]["median"]) <= TARGETS["offline"],
        "online": max(t["online_clean"]["median"], t["online_hard"]["median"]) <= TARGETS["online"],
        "decode": worst_decode <= TARGETS["decode"],
    }
    fig["targets_met"] = verdicts

    print(f"scan bench: headless {CHROMIUM}, fake camera 640x480, decoder engine: {fig['engine']}, {a.runs} scans per row")
    print("first frame holding a code -> verdict on screen (ms)   median    p90    min    max")
    for k, v in t.items():
        print(f"  {k:<52}{v['median']:>7}{v['p90']:>7}{v['min']:>7}{v['max']:>7}")
    for k, v in fig["parts_ms"].items():
        print(f"    of which {k:<43}{v['median']:>7}{v['p90']:>7}{v['min']:>7}{v['max']:>7}")
    print("decode per 640x480 frame in the worker (ms)            median    p90    min    max      n")
    for k, v in d.items():
        print(f"  {k:<52}{v['median']:>7}{v['p90']:>7}{v['min']:>7}{v['max']:>7}{v['n']:>7}")
    v = fig["frame_to_pixels_ms"]
    label = "frame -> ImageData (OffscreenCanvas, not in decode)"
    print(f"  {label:<52}{v['median']:>7}{v['p90']:>7}{v['min']:>7}{v['max']:>7}{v['n']:>7}")
    print("targets (medians): " + ", ".join(
        f"{k} <= {TARGETS[k]:g} ms: {'met' if ok else 'MISSED'}" for k, ok in verdicts.items()))
    if a.json:
        Path(a.json).write_text(json.dumps(fig, indent=1))
    return 1 if a.check and not all(verdicts.values()) else 0


def main_link_open(a) -> int:
    print("$ .venv/bin/python bench/scan_bench.py " + " ".join(sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="jz-link-bench-") as tmp:
        tmp = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        samples = {s["label"]: s for s in prepare_instance(tmp / "instance", base)}
        url = samples["valid"]["qr"]
        server = start_server(tmp / "instance", port, tmp / "server.log")
        try:
            with sync_playwright() as pw:
                res = link_open.link_open(pw, CHROMIUM, chromium_args(), base, url, a.link_runs)
            fig = link_open.report(res)
            if a.lighthouse:
                link_label = "/" + url.split("#")[0].rsplit("/", 1)[-1] + "#<token>"    # /v or /V, as issued
                fig["lighthouse"] = {"/v": link_open.lighthouse(base + "/v", CHROMIUM, a.lighthouse_runs),
                                     link_label: link_open.lighthouse(url, CHROMIUM, a.lighthouse_runs)}
                for name, r in fig["lighthouse"].items():
                    link_open.print_lighthouse(name, r)
                    if "score" in r:
                        fig["targets_met"][f"lighthouse {name}"] = r["score"] >= link_open.TARGETS["lighthouse"]
        finally:
            stop_server(server)
    print("targets: " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in fig["targets_met"].items()))
    if a.json:
        Path(a.json).write_text(json.dumps(fig, indent=1, ensure_ascii=False))
    return 1 if a.check and not all(fig["targets_met"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
