"""Issue 14, caseworker parts, without a browser: the change after an edit counts an amount the household
pays (the CSS participation) as a cost; the comparison and the what-if show the disposable income
(revenus nets + aides − ce qui est payé) and what is left of 100 € earned; "Ajouter un enfant" comes back
to the new child's section with its first field focused; the "vue personne" page. Every figure is
computed here from engine simulations, not from the code under test."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from simulator.household import Household
from simulator.services import variation
from simulator.web.forms import one_page as cf
from simulator.web.forms.household import household_to_state, state_to_household
from simulator.web.presentation import euros

ROOT = Path(__file__).resolve().parents[2]
FAMILY = "couple_trois_enfants_un_salaire.yaml"  # the family of five of the issue (salary 1 900 €)
LOWER = "1200"  # the CSS participation (52 € a month) stops: a cost no longer paid


@pytest.fixture(scope="module")
def client():
    from simulator.api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def family_fields(**changes: str) -> dict[str, str]:
    household = Household.model_validate(yaml.safe_load((ROOT / "scenarios" / FAMILY).read_text()))
    state = cf.from_loaded(household_to_state(household))
    return {**{k: v for k, v in state.items() if v is not None}, **changes}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u202f", " ").replace("\xa0", " ")


def monthly(amount: float, periodicite: str) -> float:
    return amount if periodicite == "mensuelle" else amount / 12 if periodicite == "annuelle" else 0.0


def simulate(engine, fields: dict[str, str]):
    household = state_to_household(cf.derive_lists(dict(fields)))
    return household, engine.simulate(household)


def balance(result) -> tuple[float, float]:
    """(benefits received, amounts paid) per month, straight from the engine's results."""
    received = sum(monthly(a.montant, a.periodicite) for a in result.aides
                   if a.type == "montant" and a.sens == "verse" and a.calculable and a.eligible and a.montant)
    paid = sum(monthly(a.montant, a.periodicite) for a in result.aides
               if a.type == "montant" and a.sens == "paye" and a.calculable and a.montant)
    return round(received, 2), round(paid, 2)


def disposable(household, result) -> float:
    resources = sum(sum(i.ressources().values()) for i in household.individus)
    received, paid = balance(result)
    return round(resources + received - paid, 2)


def signed(value: float) -> str:
    return ("+" if value > 0 else "−") + euros(abs(value))


def test_lowering_the_salary_counts_the_paid_amount_as_a_cost(client, engine):
    before_fields, after_fields = family_fields(), family_fields(**{"d.salaire_net": LOWER})
    _, before = simulate(engine, before_fields)
    _, after = simulate(engine, after_fields)
    paid_before = {a.id: a.montant for a in before.aides if a.sens == "paye" and a.montant}
    paid_after = {a.id: a.montant or 0.0 for a in after.aides if a.sens == "paye"}
    assert paid_before, "the family of five pays a CSS participation at 1 900 €"
    (got_before, paid_then), (got_after, paid_now) = balance(before), balance(after)
    expected = round((got_after - paid_now) - (got_before - paid_then), 2)

    first = client.post("/accompagnement/resultats", data=before_fields).text
    previous = unescape(re.search(r'data-precedent="([^"]*)"', first).group(1))
    second = client.post("/accompagnement/resultats", data={**after_fields, "precedent": previous})
    assert second.status_code == 200
    shown = text_of(second.text)
    assert f"Depuis le dernier calcul : {signed(expected)} € par mois" in shown, shown[:1500]
    for aide_id, amount in paid_before.items():
        now = paid_after.get(aide_id, 0.0)
        if abs(now - amount) >= 0.005:
            label = next(a.label for a in after.aides if a.id == aide_id)
            word = "moins" if now < amount else "plus"
            assert f"{label} : à payer : {euros(abs(now - amount))} € de {word}" in shown
            item = re.search(rf'<li class="acc-(hausse|baisse)">{re.escape(label)} :', second.text)
            assert item and item.group(1) == ("hausse" if now < amount else "baisse")
            assert not re.search(rf"{re.escape(label)} : −", shown)  # never read as a lost aid


def test_comparison_shows_disposable_income_and_what_is_kept(client, engine):
    fields = family_fields()
    both = {f"a:{k}": v for k, v in fields.items()} | {f"b:{k}": v for k, v in fields.items()}
    both["b:c.activite"] = "actif"
    both["b:c.salaire_net"] = "1000"
    response = client.post("/accompagnement/comparer", data={**both, "action": "comparer"})
    assert response.status_code == 200
    html = response.text
    household_a, result_a = simulate(engine, fields)
    household_b, result_b = simulate(engine, {**fields, "c.activite": "actif", "c.salaire_net": "1000"})
    a, b = disposable(household_a, result_a), disposable(household_b, result_b)
    assert float(re.search(r'data-revenu-a="([^"]+)"', html).group(1)) == pytest.approx(a, abs=0.011)
    assert float(re.search(r'data-revenu-b="([^"]+)"', html).group(1)) == pytest.approx(b, abs=0.011)
    kept = round(100 * (b - a) / 1000, 2)
    shown = text_of(html)
    assert f"Sur 100 € gagnés en plus, il vous reste {euros(kept)} €" in shown
    assert f"Le revenu disponible change de {signed(round(b - a, 2))} € par mois" in shown
    # The comparison table: a paid amount's difference is a cost, not an aid.
    for aide in result_a.aides:
        if aide.sens == "paye" and aide.montant:
            after = (result_b.aide(aide.id).montant or 0.0) if result_b.aide(aide.id) else 0.0
            if abs(after - aide.montant) >= 0.005:
                assert f"à payer : {euros(abs(after - aide.montant))} € de" in shown


def test_what_if_plots_and_tabulates_disposable_income(client, engine):
    fields = family_fields()
    response = client.post("/accompagnement/variation", data={**fields, "v.individu": "demandeur",
                                                              "v.ressource": "salaire_net", "v.max": "3600"})
    assert response.status_code == 200
    html = response.text
    household, _ = simulate(engine, fields)
    reference = variation.vary(engine, household, "demandeur", "salaire_net", 0.0, 3600.0, 37)
    rows = re.findall(r'data-valeur="([^"]+)" data-revenu="([^"]+)" data-net="([^"]+)"', html)
    nets = []
    for (valeur, _revenu, net), p in zip(rows, reference.points, strict=True):
        varied = variation.household_at(household, "demandeur", "salaire_net", p.valeur)
        want = disposable(varied, engine.simulate(varied)) if p.valeur in (0.0, 1900.0, 3600.0) else p.revenu_net
        assert float(valeur) == p.valeur and float(net) == pytest.approx(want, abs=0.011)
        nets.append(float(net))
    # 1 900 € is a step: what is left of 100 € more from there.
    i = [p.valeur for p in reference.points].index(1900.0)
    kept = round(100 * (nets[i + 1] - nets[i]) / 100, 2)
    assert f"sur 100 € gagnés en plus, il vous reste {euros(kept)} €" in text_of(html)
    assert "Revenu disponible (ressources + aides − ce qui est payé)" in text_of(html)
    assert re.search(r'class="acc-graphe-defilement" tabindex="0" role="region"', html)
    assert 'font-size="18"' in html


def test_add_child_without_javascript_comes_back_to_the_new_child(client):
    fields = family_fields()
    page = client.post("/accompagnement", data={**fields, "action": "recalculer"}).text
    assert re.search(r'value="ajouter_enfant" formaction="/accompagnement#s-e4"', page)
    added = client.post("/accompagnement", data={**fields, "action": "ajouter_enfant"}).text
    assert 'id="s-e4"' in added
    assert re.search(r'id="f-e4-[a-z_]+" name="e4\.[a-z_]+"[^>]* autofocus', added)
    assert len(re.findall(r"\bautofocus\b", added)) == 1
    assert re.search(r'value="ajouter_enfant" formaction="/accompagnement#s-e5"', added)
    compare = client.post("/accompagnement/comparer", data={**{f"a:{k}": v for k, v in fields.items()},
                                                             **{f"b:{k}": v for k, v in fields.items()},
                                                             "action": "b:ajouter_enfant"}).text
    assert re.search(r'id="f-b-e4-[a-z_]+" name="b:e4\.[a-z_]+"[^>]* autofocus', compare)
    assert 'formaction="/accompagnement/comparer#s-b-e5"' in compare


def test_person_view_page_without_javascript(client, engine):
    fields = family_fields()
    response = client.post("/accompagnement/personne", data=fields)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    household, result = simulate(engine, fields)
    received, paid = balance(result)
    assert float(re.search(r'data-vp-total="([^"]+)"', html).group(1)) == pytest.approx(received, abs=0.011)
    assert float(re.search(r'data-vp-revenu="([^"]+)"', html).group(1)) == pytest.approx(
        disposable(household, result), abs=0.011)
    assert "Vos droits estimés" in html and "Vous pourriez recevoir environ" in text_of(html)
    eligible = {a.id for a in result.aides if a.calculable and a.eligible and a.sens == "verse"}
    assert eligible <= set(re.findall(r'class="vp-aide" data-aide="([^"]+)"', html))
    # The caseworker's page offers it in one click, and carries the person's rendering for the live tab.
    page = client.post("/accompagnement", data={**fields, "action": "recalculer"}).text
    assert 'formaction="/accompagnement/personne" formtarget="_blank"' in page
    assert "<template data-vue-personne>" in page
