"""Run every OpenFisca YAML test of the local extensions (extensions/*/tests) under pytest.

The tax-benefit system (OpenFisca-France + `extensions.paris` and any other extension package under
extensions/, the national corrections of `extensions.france` with the variables they redefine) is built
once for this module, then OpenFisca's own test runner executes the YAML files against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
YAML_TESTS = sorted(str(path) for path in ROOT.glob("extensions/*/tests/*.yaml"))
EXTENSION_PACKAGES = sorted(
    f"extensions.{init.parent.name}" for init in ROOT.glob("extensions/*/__init__.py")
)


@pytest.fixture(scope="module")
def tax_benefit_system():
    import openfisca_france

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from simulator.overrides import replace_variables

    tbs = openfisca_france.CountryTaxBenefitSystem()
    for package in EXTENSION_PACKAGES:
        tbs.load_extension(package)
        replace_variables(tbs, ROOT / "extensions" / package.split(".", 1)[1])
    return tbs


def test_yaml_files_exist() -> None:
    assert YAML_TESTS, "aucun test YAML trouvé sous extensions/*/tests"
    assert {"extensions.paris", "extensions.france"} <= set(EXTENSION_PACKAGES)


def test_extension_yaml_tests_pass(tax_benefit_system) -> None:
    from openfisca_core.tools.test_runner import run_tests

    exit_code = run_tests(tax_benefit_system, YAML_TESTS, {"verbose": False, "name_filter": None})
    assert exit_code == 0, f"des tests YAML des extensions échouent (code de sortie pytest {exit_code})"
