"""The certificate link opened cold, as a phone's own camera or WeChat opens it (`{base}/v#<token>`), on a
slow 4G profile: headless Chromium (Debian's), CDP network and CPU throttling, a fresh browser context per
run (no HTTP cache, no service worker, nothing in IndexedDB). Used by `bench/scan_bench.py --link-open`.

Figures, from the app's own mark of the verdict on screen (window.__jz.last.shownAt, performance.now()
after the frame that shows it) and the Resource Timing entries of the page and of its dedicated workers
(transferSize: response headers and body as they came over the wire, compressed or not):
  * navigation start -> first paint, and whether the first paint already said 核验中 (the link was seen);
  * navigation start -> verdict on screen;
  * bytes received for requests started before the verdict, with their breakdown;
  * whether the decoder (scan-worker.js, decoder.js, vendor/) was asked for before the verdict;
  * when the service worker was registered and its precache done (after the verdict).
Optionally Lighthouse (npm `lighthouse`, if installed: --lighthouse) on `/v` and on `/v#<token>`.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
# Slow 4G as issue 11 measured it: 400 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, a 4x slower CPU.
PROFILE = {"latency_ms": 400, "down_kbps": 1600, "up_kbps": 750, "cpu_slowdown": 4}
TARGETS = {"link_verdict_ms": 1500.0, "link_bytes_kb": 150.0, "lighthouse": 95}
DECODER = ("scan-worker.js", "js/verify/decoder.js", "js/verify/scanner.js", "vendor/")

MARKS = """() => {
  const jz = window.__jz || {};
  const paint = performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]);
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').map((e) => ({
    url: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd, bytes: e.transferSize,
    body: e.encodedBodySize, decoded: e.decodedBodySize }));
  return { last: jz.last || null, linkAt: window.__jzLinkAt || null, swAt: jz.swRegisteredAt || null,
           origin: performance.timeOrigin,
           paint: Object.fromEntries(paint), res,
           nav: { bytes: nav.transferSize, body: nav.encodedBodySize, decoded: nav.decodedBodySize, end: nav.responseEnd } };
}"""

WORKER_RESOURCES = """() => ({ origin: performance.timeOrigin, res: performance.getEntriesByType('resource').map((e) => ({
  url: e.name, type: 'worker:' + e.initiatorType, start: e.startTime, end: e.responseEnd, bytes: e.transferSize,
  body: e.encodedBodySize, decoded: e.decodedBodySize })) })"""

PRECACHED = """async () => {
  const reg = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  }
  return { at: performance.now(), active: !!reg.active };
}"""


def throttle(ctx, page, profile: dict = PROFILE):
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": profile["latency_ms"],
        "downloadThroughput": profile["down_kbps"] * 1000 / 8, "uploadThroughput": profile["up_kbps"] * 1000 / 8})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu_slowdown"]})
    return cdp


def _path(url: str, base: str) -> str:
    return urlsplit(url).path[len(urlsplit(base).path.rstrip("/")) + 1:] or "/"


def one_run(browser, base: str, url: str, wait_precache: bool) -> dict:
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="zh-CN",
                              service_workers="allow")
    try:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        throttle(ctx, page)
        page.goto(url, wait_until="commit")
        page.wait_for_selector('body[data-results="1"]', state="attached")
        m = page.evaluate(MARKS)
        for w in page.workers:        # a dedicated worker's own requests (the decoder's wasm, before issue 11)
            try:
                wr = w.evaluate(WORKER_RESOURCES)
            except Exception:         # noqa: BLE001 - a worker gone meanwhile has nothing more to tell
                continue
            shift = wr["origin"] - m["origin"]
            m["res"] += [{**r, "start": r["start"] + shift, "end": r["end"] + shift} for r in wr["res"]]
        precache = page.evaluate(PRECACHED) if wait_precache else None
    finally:
        ctx.close()
    shown = m["last"]["shownAt"]
    fcp = m["paint"].get("first-contentful-paint")
    # index.html's first script marks the link before the first paint: then that paint is the 核验中 panel
    checking = fcp if m["linkAt"] is not None and fcp is not None and m["linkAt"] <= fcp else None
    def row(r):
        return {"path": _path(r["url"], base), "bytes": r["bytes"], "body": r["body"], "decoded": r["decoded"],
                "start": r["start"], "end": r["end"]}
    rows = [{"path": "/v (document)", "bytes": m["nav"]["bytes"], "body": m["nav"]["body"],
             "decoded": m["nav"]["decoded"], "start": 0.0, "end": m["nav"]["end"]}]
    rows += [row(r) for r in m["res"] if r["end"] <= shown]
    # started before the verdict, done after it (one still loading when the page was read is not listed)
    inflight = [row(r) for r in m["res"] if r["start"] < shown < r["end"]]
    return {
        "verdict": m["last"]["verdict"], "mode": m["last"]["mode"], "verdict_ms": shown,
        "first_paint_ms": fcp, "checking_painted_ms": checking,
        "bytes_before_verdict": sum(r["bytes"] for r in rows), "requests_before_verdict": len(rows),
        "inflight": inflight,
        "decoder_before_verdict": sorted({r["path"] for r in rows + inflight if r["path"].startswith(DECODER)}),
        "sw_registered_ms": m["swAt"], "precached_ms": precache and precache["at"], "rows": rows,
    }


def link_open(pw, chromium: str, args: list[str], base: str, token_url: str, runs: int) -> dict:
    browser = pw.chromium.launch(executable_path=chromium, headless=True, args=args)
    try:
        one_run(browser, base, token_url, False)          # warm up the server (first answers, imports)
        out = [one_run(browser, base, token_url, i == runs - 1) for i in range(runs)]
    finally:
        browser.close()
    return {"runs": out, "profile": PROFILE}


def med(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def report(res: dict) -> dict:
    runs = res["runs"]
    fig = {
        "profile": res["profile"], "runs": len(runs),
        "verdict_ms": {"median": med([r["verdict_ms"] for r in runs]), "max": round(max(r["verdict_ms"] for r in runs), 1)},
        "first_paint_ms": med([r["first_paint_ms"] for r in runs]),
        "checking_painted_ms": med([r["checking_painted_ms"] for r in runs]),
        "bytes_before_verdict": {"median": med([r["bytes_before_verdict"] for r in runs]),
                                 "max": max(r["bytes_before_verdict"] for r in runs)},
        "requests_before_verdict": med([r["requests_before_verdict"] for r in runs]),
        "decoder_before_verdict": sorted({p for r in runs for p in r["decoder_before_verdict"]}),
        "verdicts": sorted({f'{r["verdict"]}/{r["mode"]}' for r in runs}),
        "sw_registered_ms": med([r["sw_registered_ms"] for r in runs]),
        "precached_ms": runs[-1]["precached_ms"],
        "breakdown": runs[-1]["rows"],
    }
    fig["targets_met"] = {"link_verdict": fig["verdict_ms"]["median"] <= TARGETS["link_verdict_ms"],
                          "link_bytes": fig["bytes_before_verdict"]["median"] <= TARGETS["link_bytes_kb"] * 1000,
                          "no_decoder_before_verdict": not fig["decoder_before_verdict"]}
    p = res["profile"]
    print(f"link-open bench: cold {{base}}/v#<token>, {len(runs)} runs, each a fresh context; throttled by CDP: "
          f"{p['latency_ms']} ms RTT, {p['down_kbps'] / 1000:g} Mbit/s down, {p['up_kbps']} kbit/s up, "
          f"CPU x{p['cpu_slowdown']}; viewport 360x740")
    print(f"  navigation -> first paint (ms)                 {fig['first_paint_ms']}")
    print(f"  navigation -> 核验中 painted (ms)              {fig['checking_painted_ms'] or 'not painted first'}")
    print(f"  navigation -> verdict on screen (ms)           median {fig['verdict_ms']['median']}, "
          f"max {fig['verdict_ms']['max']}   (target <= {TARGETS['link_verdict_ms']:g})")
    print(f"  bytes received before the verdict              median {fig['bytes_before_verdict']['median'] / 1000:.1f} KB, "
          f"max {fig['bytes_before_verdict']['max'] / 1000:.1f} KB in {fig['requests_before_verdict']:g} requests "
          f"(target <= {TARGETS['link_bytes_kb']:g} KB)")
    print(f"  decoder files asked for before the verdict     {fig['decoder_before_verdict'] or 'none'}")
    print(f"  verdicts                                       {', '.join(fig['verdicts'])}")
    print(f"  service worker registered at (ms)              {fig['sw_registered_ms']}")
    print(f"  precache done, worker in control at (ms)       {fig['precached_ms'] and round(fig['precached_ms'], 1)}")
    print("  received before the verdict, last run: path                  wire B   body B  decoded B  start ms   done ms")
    for r in sorted(fig["breakdown"], key=lambda r: r["end"]):
        print(f"    {r['path'][:52]:<52}{r['bytes']:>9}{r['body']:>9}{r['decoded']:>11}{r['start']:>10.0f}{r['end']:>10.0f}")
    inflight = runs[-1]["inflight"]
    print(f"  started before the verdict, done after it (not counted above): {len(inflight)} requests, "
          f"{sum(r['bytes'] for r in inflight) / 1000:.1f} KB")
    for r in sorted(inflight, key=lambda r: r["start"]):
        print(f"    {r['path'][:52]:<52}{r['bytes']:>9}{r['body']:>9}{r['decoded']:>11}{r['start']:>10.0f}{r['end']:>10.0f}")
    return fig


# --- Lighthouse ----------------------------------------------------------------------------------

def lighthouse_bin() -> str | None:
    """$LIGHTHOUSE, node_modules/.bin/lighthouse of the repo, or one on PATH (npm i -E lighthouse@12.2.3)."""
    for cand in (os.environ.get("LIGHTHOUSE"), str(REPO / "node_modules" / ".bin" / "lighthouse"), shutil.which("lighthouse")):
        if cand and Path(cand).exists():
            return cand
    return None


def lighthouse(url: str, chromium: str, runs: int = 1) -> dict:
    """Lighthouse's performance category on its default mobile profile (simulated throttling: 150 ms RTT,
    1.6 Mbit/s, CPU x4; a Moto G Power screen). The median score of `runs`."""
    exe = lighthouse_bin()
    if not exe:
        return {"error": "lighthouse not installed (npm i -E lighthouse@12.2.3; or set LIGHTHOUSE=path)"}
    scores = []
    with tempfile.TemporaryDirectory(prefix="jz-lh-") as tmp:
        for i in range(runs):
            out = Path(tmp) / f"lh-{i}.json"
            cmd = [exe, url, "--only-categories=performance", "--output=json", f"--output-path={out}", "--quiet",
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
            proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True,
                                  timeout=300)
            if proc.returncode != 0 or not out.exists():
                return {"error": (proc.stderr or proc.stdout)[-800:]}
            lhr = json.loads(out.read_text())
            a = lhr["audits"]
            scores.append({
                "score": round(lhr["categories"]["performance"]["score"] * 100),
                "fcp_ms": round(a["first-contentful-paint"]["numericValue"]),
                "lcp_ms": round(a["largest-contentful-paint"]["numericValue"]),
                "tbt_ms": round(a["total-blocking-time"]["numericValue"]),
                "cls": round(a["cumulative-layout-shift"]["numericValue"], 3),
                "si_ms": round(a["speed-index"]["numericValue"]),
                "bytes": round(a["total-byte-weight"]["numericValue"]),
                "version": lhr["lighthouseVersion"]})
    scores.sort(key=lambda s: s["score"])
    return {**scores[len(scores) // 2], "all_scores": [s["score"] for s in scores]}


def print_lighthouse(name: str, r: dict) -> None:
    if "error" in r:
        print(f"  lighthouse {name}: not run: {r['error']}")
        return
    print(f"  lighthouse {r['version']} performance on {name:<10} {r['score']:>4}  (runs: {r['all_scores']}; FCP "
          f"{r['fcp_ms']} ms, LCP {r['lcp_ms']} ms, TBT {r['tbt_ms']} ms, CLS {r['cls']}, SI {r['si_ms']} ms, "
          f"{r['bytes'] / 1000:.0f} KB)   (target >= {TARGETS['lighthouse']})")
