"""Benefits declared 0 ("not received yet"): the stable amount is shown, the first months said as such.

By default a household is taken to receive every benefit the rules grant it (stable situation). A
benefit a person declares at 0 is one they do not receive *yet*: the amounts shown are still those of
the household once it receives it (its 0-declarations removed). Where not receiving it yet changes
another benefit, that benefit's result carries the figure of the first months (`PremiersMois`),
computed on the household as declared, in the same vectorised run.
"""

from __future__ import annotations

from simulator.amounts_text import amount_text
from simulator.catalog import Benefit
from simulator.household import PRESTATIONS_DECLARABLES, Household
from simulator.registry import core_registry
from simulator.results import AideResult, PremiersMois, round_amount


def pending(household: Household) -> list[str]:
    """The benefits someone in the household declared at 0 (not received yet), in catalog order."""
    declared = {key for i in household.individus for key, amount in i.prestations_declarees().items() if amount == 0}
    return [key for key in PRESTATIONS_DECLARABLES if key in declared]


def stable(household: Household) -> Household:
    """The household once it receives what the rules grant: its 0-declarations removed."""
    if not pending(household):
        return household
    individus = [
        i.model_copy(update={key: None for key, amount in i.prestations_declarees().items() if amount == 0})
        for i in household.individus
    ]
    return household.model_copy(update={"individus": individus})


def message(waiting: list[str], montant: float, periodicite: str, sens: str = "verse") -> str:
    """ "Les premiers mois, tant que les allocations familiales ne sont pas versées : 993,18 € par mois." """
    names = [core_registry().prestations[key] for key in waiting]
    plural = len(names) > 1 or names[0].pluriel
    feminine = all(name.feminin for name in names)
    listed = names[0].nom if len(names) == 1 else ", ".join(n.nom for n in names[:-1]) + " et " + names[-1].nom
    verb = "ne sont pas versé" if plural else "n'est pas versé"
    participle = verb + ("e" if feminine else "") + ("s" if plural else "")
    amount = amount_text(montant, periodicite)
    if sens == "paye":
        amount = f"{amount} à payer"
    return f"Les premiers mois, tant que {listed} {participle}\u00a0: {amount}."


def first_months(benefit: Benefit, aide: AideResult, declared_value: float | None, waiting: list[str],
                 granted: set[str]) -> PremiersMois | None:
    """The first months' figure of a monthly amount, if the benefits declared 0 that the stable
    situation grants (other than this one) change it once rounded."""
    if not aide.calculable or benefit.type != "montant" or benefit.periodicite != "mensuelle" \
            or declared_value is None:
        return None
    en_attente = [key for key in waiting if key != benefit.id and key in granted]
    if not en_attente:
        return None
    amount = round_amount(declared_value, benefit.arrondi)
    if amount == aide.montant:
        return None
    return PremiersMois(montant=amount, message=message(en_attente, amount, benefit.periodicite, benefit.sens),
                        en_attente=en_attente)
