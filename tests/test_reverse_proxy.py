"""deploy/nginx.conf in front of a real local server (Debian's nginx): limits, French refusals, private logs.

Skipped where nginx is not installed (.ci/run installs it from Debian).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx absent (apt-get install nginx)")
HOUSEHOLD = {"mois": "2026-11", "individus": [{"id": "d", "role": "demandeur", "age": 30, "salaire_net": 1000.0,
                                               "handicap": False}]}


def start_nginx(tmp_path: Path, upstream_port: int) -> tuple[str, subprocess.Popen, Path]:
    """The shipped configuration, with only the port, the upstream address and the log file changed."""
    port = free_port()
    log = tmp_path / "access.log"
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    config = config.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    config = config.replace("server app:8000", f"server 127.0.0.1:{upstream_port}")
    config = config.replace("access_log /dev/stdout private;", f"access_log {log} private;")
    assert f"127.0.0.1:{port}" in config and f"127.0.0.1:{upstream_port}" in config and str(log) in config
    (tmp_path / "tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(config, encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return f"http://127.0.0.1:{port}", process, log
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode(errors="replace"))
        time.sleep(0.1)
    raise TimeoutError("nginx did not start")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "simulator.cli", "serve", "--port", str(port)],
                               cwd=tmp_path_factory.mktemp("app"), env=dict(os.environ, PYTHONPATH=str(ROOT)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def proxy(app_server, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    url, process, log = start_nginx(tmp_path_factory.mktemp("nginx"), int(app_server.rsplit(":", 1)[1]))
    try:
        yield url, log
    finally:
        stop(process)


def test_the_proxy_answers_what_the_app_answers(app_server, proxy):
    url, _log = proxy
    assert httpx.get(url + "/api/v1/health", timeout=10).status_code == 200
    through = httpx.post(url + "/api/v1/simulate", json=HOUSEHOLD, timeout=60)
    direct = httpx.post(app_server + "/api/v1/simulate", json=HOUSEHOLD, timeout=60)
    assert through.status_code == direct.status_code == 200
    assert [(a["id"], a["montant"]) for a in through.json()["aides"]] == [
        (a["id"], a["montant"]) for a in direct.json()["aides"]]
    assert "server" not in through.headers or "nginx/" not in through.headers["server"]


def test_a_body_over_one_megabyte_is_refused_by_the_proxy_in_french(proxy):
    url, _log = proxy
    answer = httpx.post(url + "/api/v1/simulate", content=b"{" + b" " * 1_100_000 + b"}",
                        headers={"content-type": "application/json"}, timeout=30)
    assert answer.status_code == 413
    assert answer.json()["erreur"].startswith("Requête trop volumineuse")
    page = httpx.post(url + "/questionnaire", content=b"a=" + b"x" * 1_100_000,
                      headers={"content-type": "application/x-www-form-urlencoded"}, timeout=30)
    assert page.status_code == 413 and 'lang="fr"' in page.text and "Trop de données" in page.text


def test_the_proxy_log_has_no_address_and_no_query_string(proxy):
    url, log = proxy
    httpx.get(url + "/api/v1/health?reponse=secret-1234", timeout=10)
    time.sleep(0.5)
    text = log.read_text(encoding="utf-8")
    assert "/api/v1/health 200" in text
    assert "secret-1234" not in text and "127.0.0.1" not in text


def test_a_client_that_stops_sending_its_body_is_cut_off(proxy):
    url, _log = proxy
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(b"POST /api/v1/simulate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"individus\"")
        started = time.monotonic()
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
        elapsed = time.monotonic() - started
    assert elapsed < 15, elapsed  # client_body_timeout 10s
    assert received == b"" or re.match(rb"HTTP/1\.1 408", received)


def test_a_replica_down_gets_a_french_503_with_retry_after(tmp_path):
    url, process, _log = start_nginx(tmp_path, free_port())  # nothing listens upstream
    try:
        answer = httpx.post(url + "/api/v1/simulate", json=HOUSEHOLD, timeout=30)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
        assert answer.json()["erreur"].startswith("Service momentanément indisponible")
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 503 and "momentanément indisponible" in page.text
    finally:
        stop(process)
