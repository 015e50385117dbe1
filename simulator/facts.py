"""Facts a rule needs, and whether the household answered them.

A catalog entry lists in `requiert` the facts its rule cannot do without. An unanswered one makes the
benefit *not calculable*, with the missing fact said in plain French — never a silent zero. The
questionnaire asks a question only if some applicable entry requires the fact it answers. For the
enumerable facts (yes/no, small choices) the engine simulates each answer instead and blocks only the
benefits whose result changes (`simulator/variants.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.household import Activite, Household, Role
from simulator.questions import extension_questions

SCHOOL_AGES = range(10, 20)


def _missing_loyer(household: Household) -> bool:
    logement = household.logement
    return logement.locataire and logement.loyer is None


def _missing_handicap(household: Household) -> bool:
    return any(i.handicap is None for i in household.adultes)


def _missing_taux(household: Household) -> bool:
    return any(i.handicap and i.taux_incapacite is None for i in household.individus)


def _missing_scolarite(household: Household) -> bool:
    return any(
        i.scolarite is None for i in household.enfants if household.age_of(i) in SCHOOL_AGES
    )


def _missing_activite(household: Household) -> bool:
    return any(i.activite is None for i in household.adultes)


def _missing_ass_precondition(household: Household) -> bool:
    return any(
        i.ass_precondition_remplie is None for i in household.adultes if i.activite == Activite.chomeur
    )


FACT_CHECKS: dict[str, tuple[Callable[[Household], bool], str]] = {
    "statut_occupation_logement": (
        lambda h: h.logement.statut_occupation_logement is None,
        "Il manque votre situation de logement (locataire, propriétaire, hébergé…).",
    ),
    "loyer": (_missing_loyer, "Il manque le montant de votre loyer."),
    "depcom": (lambda h: h.logement.depcom is None, "Il manque votre commune (code postal à Paris)."),
    "handicap": (_missing_handicap, "Il manque la réponse à la question sur le handicap."),
    "taux_incapacite": (_missing_taux, "Il manque le taux d'incapacité reconnu par la MDPH."),
    "scolarite": (_missing_scolarite, "Il manque la classe (collège, lycée…) d'un enfant."),
    "activite": (_missing_activite, "Il manque la situation professionnelle d'un adulte."),
    "ass_precondition_remplie": (
        _missing_ass_precondition,
        "Il manque la réponse à la question : avez-vous travaillé au moins 5 ans dans les 10 ans "
        "avant la fin de votre dernier contrat ?",
    ),
    "age": (lambda h: False, ""),
    "ressources": (lambda h: False, ""),
}


AGE_SENIOR = 60  # the youngest age at which an elderly person's aid may apply (Paris: 60 if unfit for work)


def _personne_agee_ou_handicapee(household: Household) -> bool:
    return any(
        household.age_of(i) >= AGE_SENIOR or i.handicap or (i.taux_incapacite or 0) > 0
        for i in household.adultes
    )


# Households in which a fact listed in a catalog entry's `requiert_si` is needed at all.
CONDITIONS: dict[str, Callable[[Household], bool]] = {
    "personne_agee_ou_handicapee": _personne_agee_ou_handicapee,
    "enfants": lambda h: bool(h.enfants),
    "locataire": lambda h: h.logement.locataire,
}


def missing_facts(household: Household, required: list[str], required_if: dict[str, str] | None = None) -> list[str]:
    """French messages for each required fact the household left unanswered."""
    messages: list[str] = []
    questions = extension_questions()
    required = list(required) + [
        fact for fact, condition in (required_if or {}).items() if CONDITIONS[condition](household)
    ]
    for fact in required:
        check = FACT_CHECKS.get(fact)
        if check is not None:
            if check[0](household):
                messages.append(check[1])
            continue
        question = questions.get(fact)
        if question is None:
            messages.append(f"Donnée inconnue du simulateur : {fact}.")
            continue
        if question.entite == "logement":
            answered = (household.logement.model_extra or {}).get(fact) is not None
        else:
            demandeur = next(i for i in household.individus if i.role == Role.demandeur)
            answered = (demandeur.model_extra or {}).get(fact) is not None
        if not answered:
            messages.append(f"Il manque la réponse à la question : « {question.question} »")
    return messages
