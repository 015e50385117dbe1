"""`extensions/paris` as its own installable OpenFisca extension (issue 17): `openfisca-paris-simulateur`,
module `openfisca_paris_simulateur` (extensions/paris/pyproject.toml, README.md, CHANGELOG.md).

- A fresh virtual environment (no system site-packages) installs the package from its own pyproject
  (`pip install --no-deps`, through pip's isolated build with the backend the pyproject names), then runs
  OpenFisca's own `openfisca test` on the YAML tests shipped inside the installed copy. OpenFisca-France
  and its dependencies are not installed again (hundreds of MB, minutes, one more resolution than the
  lock's): a `.pth` file appends the project's site-packages to that environment's path. Python adds such
  a path without reading the `.pth` files in it, so the project's editable install of the package (a
  finder registered by a `.pth` there) is not active, and the test checks that the module imported is the
  copy installed in the new environment, not extensions/paris.
- In this process, OpenFisca-France + `TaxBenefitSystem.load_extension("openfisca_paris_simulateur")`
  (the editable install that `make install` makes) computes a Paris aid for a household of the scenarios
  with the situation the engine builds, and gets the engine's amount.
- CHANGELOG.md dates every value of every parameter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "extensions" / "paris"
MODULE = "openfisca_paris_simulateur"


def _run(command: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(command)} -> {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def test_pyproject_names_the_package() -> None:
    import tomllib

    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "openfisca-paris-simulateur"
    assert re.fullmatch(r"\d+\.\d+\.\d+", project["project"]["version"])
    assert project["tool"]["setuptools"]["package-dir"] == {MODULE: "."}
    assert f"## {project['project']['version']} — " in (PACKAGE / "CHANGELOG.md").read_text(encoding="utf-8")
    # The package never imports the simulator (nor the national corrections of extensions/france).
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(simulator|extensions)\b", text, re.M), path


def test_fresh_venv_installs_it_and_openfisca_test_passes(tmp_path: Path) -> None:
    # A copy, so that the build's own files (.build/, *.egg-info) stay out of the work tree.
    source = tmp_path / "paris"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__", ".build", "*.egg-info"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    python = venv / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)], timeout=900, env=env)

    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                timeout=60, env=env).stdout.strip()
    (Path(site) / "projet_simulateur.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = Path(_run(
        [str(python), "-c", f"import os, {MODULE}; print(os.path.dirname({MODULE}.__file__))"],
        timeout=120, env=env, cwd=tmp_path).stdout.strip())
    assert installed == Path(site) / MODULE, installed
    for part in ("variables", "parameters/paris/index.yaml", "tests", "CHANGELOG.md", "README.md"):
        assert (installed / part).exists(), part
    assert not (installed / ".build").exists() and not (installed / "build").exists()

    # `--extensions` takes a list: the path goes first.
    result = _run(
        [str(python), "-m", "openfisca_core.scripts.openfisca_command", "test", str(installed / "tests"),
         "--country-package", "openfisca_france", "--extensions", MODULE],
        timeout=2400, env=env, cwd=tmp_path)
    assert re.search(r"\d+ passed", result.stdout), result.stdout[-2000:]
    assert not re.search(r"\d+ (failed|error)", result.stdout), result.stdout[-2000:]


def test_load_extension_gives_the_engine_amount(engine) -> None:
    import openfisca_france
    import openfisca_paris_simulateur
    from openfisca_core.simulation_builder import SimulationBuilder
    from scenario_files import load_scenario

    from simulator.household import Household
    from simulator.situation import build_situation

    # The editable install of `make install`: the module is this folder.
    assert Path(openfisca_paris_simulateur.__path__[0]).resolve() == PACKAGE.resolve()
    tbs = openfisca_france.CountryTaxBenefitSystem()
    tbs.load_extension(MODULE)

    household = Household.model_validate(load_scenario(ROOT / "scenarios" / "couple_trois_enfants_un_salaire.yaml"))
    expected = engine.simulate(household).aide("paris_forfait_familles")
    assert expected is not None and expected.montant, "le scénario doit ouvrir droit à Paris Forfait Familles"

    situation = build_situation(household, engine._derived(household, {}), engine.benefit_entities)
    simulation = SimulationBuilder().build_from_entities(tbs, situation)
    computed = simulation.calculate("paris_forfait_familles", household.mois)
    assert round(float(computed[0])) == expected.montant


def _parameter_values() -> set[tuple[str, str]]:
    root = PACKAGE / "parameters"
    values = set()
    for path in root.rglob("*.yaml"):
        if path.name == "index.yaml":
            continue
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        for date in yaml.safe_load(path.read_text(encoding="utf-8"))["values"]:
            values.add((str(date), name))
    return values


def test_changelog_dates_every_parameter_value() -> None:
    text = (PACKAGE / "CHANGELOG.md").read_text(encoding="utf-8")
    section = text.split("## Valeurs des paramètres, par date d'entrée en vigueur", 1)[1].split("\n## ", 1)[0]
    listed, date = set(), None
    for line in section.splitlines():
        if heading := re.fullmatch(r"### (\d{4}-\d{2}-\d{2})", line):
            date = heading.group(1)
        elif item := re.match(r"- `([\w.]+)` : ", line):
            assert date is not None, line
            listed.add((date, item.group(1)))
    values = _parameter_values()
    assert values - listed == set(), "valeurs de paramètres absentes du CHANGELOG"
    assert listed - values == set(), "lignes du CHANGELOG sans valeur de paramètre"
