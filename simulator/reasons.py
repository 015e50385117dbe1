"""What a result says beyond its amount: why a benefit is refused, with the figures, and the notices
its catalog entry attaches to some cases (see simulator/catalog/README.md, "Raisons et avertissements").

`simulator/results.py` builds results with them; the engine hands it a `Reader` (a variable's value
for the demandeur, at the benefit's period); nothing here knows about OpenFisca.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from simulator.amounts_text import format_message
from simulator.catalog import Benefit, Raison

log = logging.getLogger(__name__)

Reader = Callable[[str], Any]

GENERIC_REFUSAL = "D'après vos réponses, les conditions de cette aide ne sont pas remplies."

# A ceiling missed by at most this share of it is "missed by a small margin": the message says by how
# much (the raison's `ecart.message`). 10 %: 140 € on a 1 400 € ceiling, 202 € on an impôt of 2 028 €.
ECART_FAIBLE = 0.10
# Below half a euro the gap would read "0 €" (figures are written to the euro): the plain message is used.
ECART_MINIMUM = 0.5


def refusal(benefit: Benefit, read: Reader) -> list[str]:
    """The message of the first listed condition that is false (its `seulement_si` true), figures in."""
    for raison in benefit.raisons:
        if raison.seulement_si is not None and not bool(read(raison.seulement_si)):
            continue
        if bool(read(raison.si_faux)):
            continue
        values = {name: read(name) for name in raison.noms}
        return [_formatted(benefit, _template(raison, values), values)]
    return [benefit.raison_par_defaut or GENERIC_REFUSAL]


def notices(benefit: Benefit, read: Reader) -> list[str]:
    """The entry's notices whose `si_vrai` variable is true, figures in."""
    shown = []
    for avertissement in benefit.avertissements:
        if bool(read(avertissement.si_vrai)):
            values = {name: read(name) for name in avertissement.valeurs}
            shown.append(_formatted(benefit, avertissement.message, values))
    return shown


def small_gap(valeur: float, plafond: float) -> float | None:
    """The gap between a figure and its ceiling when it is small (`ECART_FAIBLE`), else None."""
    gap = abs(float(valeur) - float(plafond))
    return gap if ECART_MINIMUM <= gap <= ECART_FAIBLE * abs(float(plafond)) else None


def cited_variables(benefit: Benefit) -> list[str]:
    """Every OpenFisca variable the entry's reasons and notices read (checked at start-up)."""
    names = [benefit.id]
    for raison in benefit.raisons:
        names += [raison.si_faux, *raison.noms, *([raison.seulement_si] if raison.seulement_si else [])]
    for avertissement in benefit.avertissements:
        names += [avertissement.si_vrai, *avertissement.valeurs]
    return list(dict.fromkeys(names))


def template_errors(benefit: Benefit) -> list[str]:
    """Messages whose placeholders are not among their variables, or whose format spec is unknown."""
    errors = []
    templates: list[tuple[str, list[str]]] = []
    for raison in benefit.raisons:
        templates.append((raison.message, raison.noms))
        if raison.ecart:
            templates.append((raison.ecart.message, [*raison.noms, "ecart"]))
    templates += [(a.message, a.valeurs) for a in benefit.avertissements]
    for template, names in templates:
        try:
            format_message(template, dict.fromkeys(names, 1234.5))
        except (KeyError, ValueError, IndexError) as error:
            errors.append(f"message « {template[:60]}… » : {error!r}")
    return errors


def _template(raison: Raison, values: dict[str, Any]) -> str:
    if raison.ecart is None:
        return raison.message
    gap = small_gap(values[raison.ecart.valeur], values[raison.ecart.plafond])
    if gap is None:
        return raison.message
    values["ecart"] = gap
    return raison.ecart.message


def _formatted(benefit: Benefit, template: str, values: dict[str, Any]) -> str:
    try:
        return format_message(template, values)
    except (KeyError, ValueError, IndexError):
        log.warning("Message mal formé pour %s", benefit.id)
        return template
