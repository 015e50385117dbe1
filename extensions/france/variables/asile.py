"""Allocation pour demandeur d'asile (ADA) : qui la demande, qui est hébergé.

OpenFisca-France 176 calcule `ada` à partir de deux entrées de la famille : `asile_demandeur` (par
défaut faux) et `place_hebergement` (par défaut vrai : hébergé dans un centre, sans le montant
additionnel). Le registre des faits pose ses questions à chaque adulte (une réponse par personne) ;
ces deux variables de la famille sont donc remplacées par des formules qui lisent les réponses des
parents :

- `demandeur_asile` (individu) : la personne a demandé l'asile et attend la décision de l'OFPRA ou
  de la CNDA (attestation de demande d'asile) ;
- `demandeur_asile_sans_hebergement` (individu) : l'Office français de l'immigration et de
  l'intégration (OFII) ne lui propose pas d'hébergement (montant additionnel de 7,40 € par jour).

La formule d'`ada` et ses paramètres (6,80 € par jour pour une personne, 3,40 € par personne en plus,
7,40 € par jour sans hébergement ; CESEDA, art. D553-10 et annexe 7-1) restent ceux
d'OpenFisca-France.
"""

from __future__ import annotations

from openfisca_core.reforms import Reform
from openfisca_france.model.base import (
    MONTH,
    Famille,
    Individu,
    Variable,
    set_input_dispatch_by_period,
)

REFERENCE = "https://www.service-public.fr/particuliers/vosdroits/F33314"


class demandeur_asile(Variable):
    value_type = bool
    entity = Individu
    label = "A demandé l'asile en France et attend la décision (attestation de demande d'asile)"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    reference = REFERENCE


class demandeur_asile_sans_hebergement(Variable):
    value_type = bool
    entity = Individu
    label = "Demandeur d'asile à qui l'OFII ne propose pas d'hébergement"
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    reference = REFERENCE


class CorrectionsAsile(Reform):
    """Les deux entrées de la famille qu'`ada` lit, tirées des réponses des parents."""

    class asile_demandeur(Variable):
        value_type = bool
        entity = Famille
        label = "Famille demandant l'asile (un parent au moins a demandé l'asile)"
        definition_period = MONTH
        reference = REFERENCE

        def formula(famille, period):
            return famille.any(famille.members('demandeur_asile', period), role=Famille.PARENT)

    class place_hebergement(Variable):
        value_type = bool
        default_value = True
        entity = Famille
        label = "Bénéficie d'une place dans un centre d'hébergement (aucun parent sans hébergement proposé)"
        definition_period = MONTH
        reference = REFERENCE

        def formula(famille, period):
            sans = famille.any(famille.members('demandeur_asile_sans_hebergement', period), role=Famille.PARENT)
            return ~sans

    def apply(self):
        for variable in self.remplacements():
            self.replace_variable(variable)

    @classmethod
    def remplacements(cls) -> list[type[Variable]]:
        return [cls.asile_demandeur, cls.place_hebergement]
