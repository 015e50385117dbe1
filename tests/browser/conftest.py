"""Browser tests: Debian's Chromium driven by Playwright against a live uvicorn server.

They skip (with the reason) when Chromium, Playwright or axe-core (`npm install` at the repository root)
is missing; CI installs all three.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from browser_paths import AXE, ROOT, SCREENSHOTS  # noqa: E402
from live_server import free_port, stop, wait_until_up  # noqa: E402

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_requirements():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium")
    if not AXE.exists():
        pytest.skip(f"axe-core introuvable ({AXE}) : npm install à la racine du dépôt")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright n'est pas installé : pip install -e '.[test]'")


@pytest.fixture(scope="session")
def live_server(browser_requirements):
    """uvicorn on a free loopback port, in a subprocess; its URL."""
    port = free_port()
    env = {**os.environ, "SIMULATOR_WARMUP": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "simulator.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, timeout=240)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser(browser_requirements):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
