"""Dependencies: the lock satisfies pyproject.toml; the audit tells "vulnerable", "clean", "not checked" apart."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)


def answer(monkeypatch: pytest.MonkeyPatch, stdout: str, stderr: str = "") -> None:
    def run(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        assert "pip_audit" in command
        return subprocess.CompletedProcess(command, 0, stdout, stderr)
    monkeypatch.setattr(audit_dependencies.subprocess, "run", run)


def test_a_published_advisory_fails_the_audit(monkeypatch, capsys, tmp_path):
    answer(monkeypatch, json.dumps({"dependencies": [
        {"name": "jinja2", "version": "3.1.0", "vulns": [{"id": "CVE-2024-56201", "fix_versions": ["3.1.5"]}]},
        {"name": "pyyaml", "version": "6.0.4", "vulns": []}]}))
    assert audit_dependencies.audit(tmp_path / "lock") == 1
    assert "VULNÉRABLE jinja2 3.1.0 : CVE-2024-56201 (corrigé en : 3.1.5)" in capsys.readouterr().out


def test_an_unreachable_database_is_said_plainly_not_reported_as_clean(monkeypatch, capsys, tmp_path):
    answer(monkeypatch, json.dumps({"dependencies": [
        {"name": "jinja2", "version": "3.1.6", "skip_reason": "Dependency not found on PyPI"}]}))
    assert audit_dependencies.audit(tmp_path / "lock") == 0
    out = capsys.readouterr().out
    assert "incomplet : 0 paquets vérifiés, 1 non vérifiés" in out and "aucun avis" not in out

    answer(monkeypatch, "", "ConnectionError: osv.dev")
    assert audit_dependencies.audit(tmp_path / "lock") == 0
    assert "non fait : base d'avis injoignable d'ici (ConnectionError: osv.dev)" in capsys.readouterr().out


def test_a_clean_audit_counts_what_it_checked(monkeypatch, capsys, tmp_path):
    answer(monkeypatch, json.dumps({"dependencies": [{"name": "pyyaml", "version": "6.0.4", "vulns": []}]}))
    assert audit_dependencies.audit(tmp_path / "lock") == 0
    assert "1 paquets vérifiés, aucun avis publié" in capsys.readouterr().out


def test_the_lock_pins_every_dependency_within_pyproject_bounds():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = SCRIPT.parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (root / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split(" ")[0].split("==")
            pins[canonicalize_name(name)] = version
    extras = project["optional-dependencies"]
    for spec in project["dependencies"] + extras["test"] + extras["parquet"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} manque dans requirements.lock : make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} hors de {requirement.specifier} : make lock")
