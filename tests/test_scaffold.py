"""simulator.scaffold.new_aid: the scaffolded aid loads into OpenFisca-France and its YAML tests pass."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from simulator.scaffold import new_aid


def test_scaffolded_aid_loads_and_its_tests_pass(tmp_path: Path) -> None:
    import openfisca_france
    from openfisca_core.tools.test_runner import run_tests

    written = new_aid("villetest", "villetest_aide", tmp_path)
    extension = tmp_path / "villetest"
    assert extension / "__init__.py" in written
    assert all(path.exists() for path in written)
    assert (extension / "benefits" / "villetest_aide.yaml").exists()

    sys.path.insert(0, str(tmp_path))
    try:
        tbs = openfisca_france.CountryTaxBenefitSystem()
        tbs.load_extension("villetest")
    finally:
        sys.path.remove(str(tmp_path))
    assert "villetest_aide" in tbs.variables
    assert tbs.parameters("2026-01-01").villetest.villetest_aide.montant == 100

    exit_code = run_tests(tbs, [str(extension / "tests")], {"verbose": False, "name_filter": None})
    assert exit_code == 0


def test_catalog_entry_is_valid_and_hidden_until_territory_is_set(tmp_path: Path) -> None:
    from simulator.catalog import Benefit

    new_aid("villetest", "villetest_aide", tmp_path)
    entry = yaml.safe_load((tmp_path / "villetest" / "benefits" / "villetest_aide.yaml").read_text())
    benefit = Benefit(**entry)
    assert benefit.id == "villetest_aide"
    assert benefit.territoires == ["a_completer"]


def test_second_aid_in_same_territory_keeps_existing_files(tmp_path: Path) -> None:
    new_aid("villetest", "villetest_aide", tmp_path)
    init = tmp_path / "villetest" / "__init__.py"
    init.write_text("# existant\n")
    written = new_aid("villetest", "villetest_autre_aide", tmp_path)
    assert init not in written
    assert init.read_text() == "# existant\n"


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    new_aid("villetest", "villetest_aide", tmp_path)
    module = tmp_path / "villetest" / "variables" / "villetest_aide.py"
    module.write_text("# modifié à la main\n")
    with pytest.raises(FileExistsError, match="existent déjà"):
        new_aid("villetest", "villetest_aide", tmp_path)
    with pytest.raises(ValueError, match="existent déjà"):
        new_aid("villetest", "villetest_aide", tmp_path)
    assert module.read_text() == "# modifié à la main\n"


@pytest.mark.parametrize(
    ("territory", "aid_id"),
    [
        ("Lyon", "lyon_aide"),
        ("lyon-metropole", "lyon_aide"),
        ("lyon", "aide énergie"),
        ("lyon", "2aide"),
        ("lyon", "pass"),
        ("lyon", "aide__double"),
        ("", "lyon_aide"),
    ],
)
def test_rejects_invalid_identifiers(tmp_path: Path, territory: str, aid_id: str) -> None:
    with pytest.raises(ValueError, match="invalide"):
        new_aid(territory, aid_id, tmp_path)
    assert not any(tmp_path.iterdir())
