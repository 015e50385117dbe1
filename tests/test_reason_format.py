"""The catalog's message mechanism on its own: French format specs, the small-margin rule, `seulement_si`,
notices, and the start-up check of message templates (the Paris tests run it on real results)."""

from __future__ import annotations

import pytest

from simulator import reasons
from simulator.amounts_text import format_message, pourcent
from simulator.catalog import Benefit

NBSP, NNBSP = "\u00a0", "\u202f"


def entry(**fields) -> Benefit:
    base = {"id": "aide_test", "label": "Aide test", "institution": "Ville", "theme": "revenus"}
    return Benefit(**{**base, **fields})


CEILING = {
    "si_faux": "condition_ressources",
    "message": "Vos ressources, {ressources:euros_mois}, dépassent le plafond de {plafond:euros}.",
    "ecart": {"valeur": "ressources", "plafond": "plafond",
              "message": "Vos ressources, {ressources:euros_mois}, dépassent de {ecart:euros_mois} le plafond de "
                         "{plafond:euros}."},
}


def say(benefit: Benefit, **values) -> list[str]:
    return [m.replace(NBSP, " ").replace(NNBSP, " ") for m in reasons.refusal(benefit, values.__getitem__)]


@pytest.mark.parametrize(("spec", "value", "text"), [
    ("euros", 1649.99, "1 650 €"),
    ("euros", 1400.5, "1 401 €"),  # half up
    ("euros_mois", 1440.0, "1 440 € par mois"),
    ("euros_an", 2028.0, "2 028 € par an"),
    ("centimes", 1041.59, "1 041,59 €"),
    ("centimes_mois", 2.0, "2 € par mois"),
    ("pourcent", 0.2749, "27,4 %"),
    ("pourcent", 0.30000001192092896, "30 %"),  # 30 % as float32 stays 30 %
    ("pourcent", 0.29996, "29,9 %"),  # never rounded up to the minimum it misses
    (".0f", 1440.4, "1440"),  # Python specs still work
])
def test_format_specs(spec, value, text):
    written = format_message("{x:" + spec + "}", {"x": value})
    assert written.replace(NBSP, " ").replace(NNBSP, " ") == text
    assert pourcent(0.5) == f"50{NBSP}%"


def test_the_margin_is_said_only_when_small():
    benefit = entry(raisons=[CEILING])
    assert say(benefit, condition_ressources=False, ressources=1440.0, plafond=1400.0) == [
        "Vos ressources, 1 440 € par mois, dépassent de 40 € par mois le plafond de 1 400 €."]
    at_ten_percent = say(benefit, condition_ressources=False, ressources=1540.0, plafond=1400.0)
    assert "dépassent de 140 € par mois" in at_ten_percent[0]
    assert say(benefit, condition_ressources=False, ressources=1541.0, plafond=1400.0) == [
        "Vos ressources, 1 541 € par mois, dépassent le plafond de 1 400 €."]
    # Under half a euro the gap would read "0 €": the plain message.
    assert say(benefit, condition_ressources=False, ressources=1400.3, plafond=1400.0) == [
        "Vos ressources, 1 400 € par mois, dépassent le plafond de 1 400 €."]
    assert reasons.small_gap(1440, 1400) == 40 and reasons.small_gap(2800, 1400) is None


def test_seulement_si_picks_the_message_of_the_situation_and_defaults_apply():
    couple = {**CEILING, "seulement_si": "couple_avec_enfant", "message": "Plafond d'un couple avec un enfant.",
              "ecart": None}
    benefit = entry(raisons=[couple, CEILING], raison_par_defaut="Conditions non remplies.")
    values = {"condition_ressources": False, "ressources": 3000.0, "plafond": 1600.0}
    assert say(benefit, couple_avec_enfant=True, **values) == ["Plafond d'un couple avec un enfant."]
    assert say(benefit, couple_avec_enfant=False, **values)[0].startswith("Vos ressources, 3 000 € par mois")
    assert say(benefit, couple_avec_enfant=False, **{**values, "condition_ressources": True}) == [
        "Conditions non remplies."]


def test_notices_only_when_their_variable_is_true():
    notice = {"si_vrai": "lecture_en_question", "message": "Autre lecture : {autre:centimes_mois}.",
              "valeurs": ["autre"]}
    benefit = entry(avertissements=[notice])
    assert reasons.notices(benefit, {"lecture_en_question": False, "autre": 1.0}.__getitem__) == []
    (notice,) = reasons.notices(benefit, {"lecture_en_question": True, "autre": 165.82}.__getitem__)
    assert notice == f"Autre lecture : 165,82{NBSP}€{NBSP}par mois."
    assert set(reasons.cited_variables(benefit)) == {"aide_test", "lecture_en_question", "autre"}


def test_template_errors_name_unknown_placeholders_and_specs():
    assert reasons.template_errors(entry(raisons=[CEILING])) == []
    unknown = {**CEILING, "message": "Vos ressources, {ressource:euros_mois}."}
    bad_spec = {**CEILING, "message": "Vos ressources, {ressources:euro}."}
    errors = reasons.template_errors(entry(raisons=[unknown, bad_spec]))
    assert len(errors) == 2 and "ressource" in errors[0]
    stray = entry(raisons=[{**CEILING, "ecart": {**CEILING["ecart"], "message": "de {ecart_oublie}"}}])
    assert reasons.template_errors(stray)
