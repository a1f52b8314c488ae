"""The deployment files agree with the code: the lock files pin every requirement within its range, nginx routes
every path of the app to a replica (and serves the static files with the app's own CSP), and the compose stack
keeps the shape docs/deployment.md describes. scripts/compose-smoke.sh proves the stack itself, with Docker."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
NGINX = ROOT / "docker" / "nginx"


def _pins(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9._-]+)==([^ \\;]+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def _requirements(path: Path) -> list[Requirement]:
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(Requirement(line))
    return out


def test_every_lock_file_pins_each_requirement_within_its_range_with_hashes():
    for reqs, lock in ((["requirements.txt"], "requirements.lock"),
                       (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock")):
        pins = _pins(ROOT / lock)
        for name in reqs:
            for req in _requirements(ROOT / name):
                got = pins.get(canonicalize_name(req.name))
                assert got is not None, f"{req.name} is missing from {lock}: run scripts/lock.sh"
                assert req.specifier.contains(got, prereleases=True), \
                    f"{lock} pins {req.name}=={got}, outside {req.specifier}: run scripts/lock.sh"
        text = (ROOT / lock).read_text()
        assert text.count("==") == len(pins) and text.count("--hash=sha256:") >= len(pins)
    runtime, dev = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    assert {k: v for k, v in dev.items() if k in runtime} == runtime     # the tests run what the image runs


def test_static_files_served_by_nginx_carry_the_apps_csp():
    from backend.api.web import CSP
    conf = (NGINX / "security-headers.conf").read_text()
    assert f'add_header Content-Security-Policy "{CSP}" always;' in conf
    assert 'add_header Permissions-Policy "camera=(self), geolocation=(self), microphone=()" always;' in conf


def _nginx_routes_to_app(path: str) -> bool:
    conf = (NGINX / "jianzheng.conf").read_text()
    proxied = re.findall(r"location (=|\^~)?\s*(\S+) \{ include /etc/nginx/jianzheng/proxy.conf; \}", conf)
    for kind, loc in proxied:
        if kind == "=" and path == loc:
            return True
        if kind == "^~" and path.startswith(loc):
            return True
    return False


def test_nginx_sends_every_route_of_the_app_to_a_replica(app):
    """Each URL rule of the app (but the web app's files, which nginx serves or hands to the app when missing)
    reaches the replicas; /metrics alone is kept from the outside (Prometheus scrapes each replica)."""
    missed = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("web.asset", "static"):
            continue
        path = re.sub(r"<[^>]+>", "x", rule.rule)
        if path == "/metrics":
            continue
        if not _nginx_routes_to_app(path):
            missed.append(rule.rule)
    assert not missed, f"docker/nginx/jianzheng.conf does not proxy {missed}"


def test_the_compose_stack_has_the_production_shape():
    stack = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = stack["services"]
    apps = [n for n, s in services.items() if s.get("image", "").startswith("jianzheng-app") and n != "migrate"]
    assert len(apps) == 2
    for name in apps:
        env = services[name]["environment"]
        assert env["PROXY_HOPS"] == "1"
        assert "SECRET_KEY:?" in env["SECRET_KEY"] and "AUTH_SECRET:?" in env["AUTH_SECRET"]
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "/data/keys:ro" in " ".join(services[name]["volumes"])          # one signing key, read-only
    ports = {services[n]["environment"]["PORT"] for n in apps}
    assert len(ports) == 2                                                       # distinct on the host network
    assert "db upgrade" in " ".join(services["migrate"]["command"]) and services["migrate"]["restart"] == "no"
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"] and services[name]["restart"] == "unless-stopped"
    assert set(stack["volumes"]) >= {"pgdata", "keys"}
    assert "POSTGRES_PASSWORD:?" in services["db"]["environment"]["POSTGRES_PASSWORD"]
    example = (ROOT / ".env.example").read_text()
    for secret in ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY", "AUTH_SECRET"):
        assert re.search(rf"^{secret}=$", example, re.M), f".env.example must leave {secret} empty"
