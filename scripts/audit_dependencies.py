"""Audit requirements.lock against the published advisories, and say plainly when that could not be done.

pip-audit (the PyPA's tool) does the work. Where its advisory database cannot be reached (a sandbox
with only a package mirror), pip-audit still prints "No known vulnerabilities found" with every package
skipped; this script reads its JSON instead and tells the three cases apart:

- vulnerabilities found: they are listed and the exit status is 1 (CI goes red);
- every package audited, none vulnerable: exit 0;
- the database was unreachable or skipped packages: a plain "audit non fait" line naming how many
  packages could not be checked, exit 0 (no advisory database is not a reason to stop the tests).

Usage: python scripts/audit_dependencies.py [requirements.lock]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def audit(lock: Path) -> int:
    command = [sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--disable-pip", "--no-deps",
               "--format", "json", "--progress-spinner", "off"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or ["(pas de message)"])[-1]
        print(f"Audit des dépendances non fait : base d'avis injoignable d'ici ({last[:200]}).")
        return 0
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "aucune"
            print(f"VULNÉRABLE {dependency['name']} {dependency['version']} : {vuln['id']} "
                  f"(corrigé en : {fixed})")
    if vulnerable:
        return 1
    audited = len(dependencies) - len(skipped)
    if skipped:
        print(f"Audit des dépendances incomplet : {audited} paquets vérifiés, {len(skipped)} non vérifiés "
              f"(base d'avis injoignable d'ici : {skipped[0]['skip_reason'][:120]}).")
    else:
        print(f"Audit des dépendances : {audited} paquets vérifiés, aucun avis publié.")
    return 0


if __name__ == "__main__":
    sys.exit(audit(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements.lock"))
