"""Results: rounding, reasons, missing facts; the CLI on every scenario."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from scenario_files import ROOT, SCENARIOS

from simulator.cli import main
from simulator.household import Household
from simulator.results import round_amount

REQUIRED = ["rsa", "ppa", "aide_logement", "af", "cf", "asf", "ars", "paje_base", "aah", "aspa", "asi", "ass",
            "cheque_energie", "bourse_college", "bourse_lycee", "aeeh", "contrat_engagement_jeune"]


def test_catalog_has_the_required_benefits(engine):
    ids = {b.id for b in engine.catalog}
    assert set(REQUIRED) <= ids
    assert any(b.id in ("cmu_c", "css_participation_forfaitaire") for b in engine.catalog)


def test_rounding():
    assert round_amount(68.5, "euro") == 69
    assert round_amount(12.345, "centime") == 12.35
    assert round_amount(0.004, "centime") == 0


def test_missing_rent_makes_housing_aid_not_calculable(engine):
    household = Household.model_validate({
        "mois": "2026-11",
        "individus": [{"id": "d", "role": "demandeur", "age": 30, "handicap": False}],
        "logement": {"statut_occupation_logement": "locataire_vide", "depcom": "75119"},
    })
    aide = engine.simulate(household).aide("aide_logement")
    assert aide.calculable is False and aide.montant is None
    assert "loyer" in aide.raisons[0]


def test_refusal_carries_a_reason(engine):
    household = Household.model_validate({
        "mois": "2026-11",
        "individus": [{"id": "d", "role": "demandeur", "age": 30, "salaire_net": 4000, "handicap": False,
                       "activite": "actif"}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 900, "depcom": "75119"},
    })
    result = engine.simulate(household)
    rsa = result.aide("rsa")
    assert rsa.calculable and not rsa.eligible and rsa.montant == 0
    assert rsa.raisons and all(isinstance(r, str) and r for r in rsa.raisons)


def test_cli_table_and_json(capsys):
    scenario = ROOT / "scenarios" / "parent_isole_deux_enfants.yaml"
    assert main(["simulate", str(scenario)]) == 0
    table = capsys.readouterr().out
    assert "Vous pouvez demander" in table and "€ par mois" in table
    assert main(["simulate", str(scenario), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    af = next(a for a in data["aides"] if a["id"] == "af")
    assert af["montant"] > 0 and f"{af['montant']:.2f}".replace(".", ",") in table


def test_cli_rejects_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("individus:\n  - {id: d, role: demandeur, age: 300}\n", encoding="utf-8")
    assert main(["simulate", str(bad)]) == 2
    assert "120" in capsys.readouterr().err


@pytest.mark.parametrize("path", SCENARIOS[:1], ids=lambda p: p.stem)
def test_cli_entry_point(path):
    completed = subprocess.run([sys.executable, "-m", "simulator.cli", "simulate", str(path), "--json"],
                               capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(completed.stdout)["mois"] == "2026-11"


def test_an_amount_the_household_pays_is_never_income(engine):
    """The CSS participation is shown with its amount, but adds nothing to income or to a what-if curve."""
    from scenario_files import load_scenario

    from simulator.services.variation import vary

    household = Household.model_validate(load_scenario(ROOT / "scenarios" / "retraitee_petite_pension.yaml"))
    participation = engine.simulate(household).aide("css_participation_forfaitaire")
    assert participation.sens == "paye" and participation.montant > 0
    assert participation.montant_mensuel == 0
    curve = vary(engine, household, "demandeur", "retraite_nette", 700, 800, 2)
    assert "css_participation_forfaitaire" not in curve.points[0].aides
    assert curve.points[0].total_aides == round(sum(curve.points[0].aides.values()), 2)
    from simulator.web.presentation import montant_text

    assert montant_text(participation).startswith("À payer")
    allocation = engine.simulate(household).aide("aspa")
    assert allocation.montant and not montant_text(allocation).startswith("À payer")
