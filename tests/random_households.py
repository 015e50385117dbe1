"""Households drawn at random (seeded) over the questionnaire's answers, for tests that compare paths."""

from __future__ import annotations

import random
from typing import Any

DEPCOMS = ("75111", "75118", "75120", "93048", "69123", "13055", "59350")
OCCUPATIONS = ("locataire_vide", "locataire_meuble", "locataire_hlm", "proprietaire", "loge_gratuitement")


def _adult(rng: random.Random, person_id: str, role: str) -> dict[str, Any]:
    age = rng.choice((19, 23, 31, 45, 58, 63, 67, 81))
    activite = "retraite" if age >= 63 and rng.random() < 0.8 else rng.choice(
        ("actif", "actif", "chomeur", "etudiant", "inactif"))
    person: dict[str, Any] = {"id": person_id, "role": role, "age": age, "activite": activite,
                              "handicap": rng.random() < 0.15}
    if person["handicap"]:
        person["taux_incapacite"] = rng.choice((0.5, 0.8))
    if activite == "actif" or (activite == "etudiant" and rng.random() < 0.5):
        person["salaire_net"] = float(rng.choice((250, 700, 1100, 1400, 1800, 2600, 4000)))
        if rng.random() < 0.3:
            person["revenus_3_derniers_mois"] = {"salaire_net": person["salaire_net"] * rng.choice((0.5, 0.9))}
    if activite == "chomeur":
        person["chomage_net"] = float(rng.choice((0, 600, 1100)))
    if activite == "retraite":
        person["retraite_nette"] = float(rng.choice((500, 900, 1300, 2200)))
    if rng.random() < 0.1:
        person["aah"] = float(rng.choice((0, 900)))
    return person


def random_household(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    individus = [_adult(rng, "demandeur", "demandeur")]
    if rng.random() < 0.45:
        conjoint = _adult(rng, "conjoint", "conjoint")
        conjoint["statut_marital"] = rng.choice(("marie", "pacse", "concubin"))
        individus.append(conjoint)
    if individus[0]["age"] < 60:
        # A child is at least 12 years younger than each parent (the household model refuses it otherwise);
        # capped after the same draw as before, so that a consistent seed keeps its household.
        oldest_child = min(parent["age"] for parent in individus) - 12
        for rank in range(rng.choice((0, 0, 1, 2, 3))):
            age = min(rng.choice((0, 2, 5, 9, 13, 16, 19)), oldest_child)
            child: dict[str, Any] = {"id": f"enfant_{rank + 1}", "role": "enfant", "age": age,
                                     "handicap": rng.random() < 0.1}
            if child["handicap"]:
                child["taux_incapacite"] = 0.8
            individus.append(child)
    occupation = rng.choice(OCCUPATIONS)
    depcom = rng.choice(DEPCOMS)
    logement: dict[str, Any] = {"statut_occupation_logement": occupation, "depcom": depcom}
    if occupation.startswith("locataire"):
        logement["loyer"] = float(rng.choice((350, 600, 850, 1200)))
        logement["charges_locatives"] = float(rng.choice((0, 50, 120)))
    if depcom.startswith("751"):
        logement["parisien"] = rng.random() < 0.8
    return {"mois": rng.choice(("2026-11", "2026-11", "2026-04", "2026-01", "2025-10")),
            "individus": individus, "logement": logement}
