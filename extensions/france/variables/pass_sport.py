"""Pass'Sport : le montant (70 € depuis la rentrée 2025) et l'âge minimum du profil ARS (14 ans).

OpenFisca-France 176 garde les valeurs de 2022 (50 €, dès 6 ans pour une famille qui reçoit l'allocation de
rentrée scolaire) : un enfant de 8 ans s'entendait dire qu'il avait droit à 50 €. La logique
d'OpenFisca-France est gardée (profils ARS, AEEH, AAH, étudiant boursier), à un point près : une personne qui
relève de deux profils a un Pass'Sport, non deux (OpenFisca-France additionne les profils) ; et le profil
« étudiant boursier » lit les bourses de l'enseignement supérieur de la personne (OpenFisca-France lit
`boursier`, vrai pour tout membre d'une famille qui a une bourse de collège ou de lycée : un enfant de 10 ans
y avait droit comme « étudiant »). Le montant et l'âge minimum du profil ARS lisent les paramètres de cette
correction (`parameters/pass_sport`, sources et limites dans leurs métadonnées). Variable remplacée comme
celles du logement social (`simulator/overrides.py`).
"""

from __future__ import annotations

from openfisca_core.reforms import Reform
from openfisca_france.model.base import MONTH, Individu, Variable

DECRET_URL = "https://www.legifrance.gouv.fr/loda/id/LEGIARTI000046139655/2022-08-05"


class CorrectionsPassSport(Reform):
    """The OpenFisca-France variable this module redefines (see `CorrectionsLogementSocial`)."""

    name = "Pass'Sport : montant et âge du profil ARS de la rentrée 2025"

    class pass_sport(Variable):
        value_type = float
        entity = Individu
        definition_period = MONTH
        unit = "currency"
        label = "Pass'Sport : montant auquel la personne a droit (0 sinon)"
        reference = [DECRET_URL, "https://hautesavoie-paysdegex.fff.fr/simple/le-passsport-reconduit-pour-la-saison-2025-2026"]

        def formula_2022_06_30(individu, period, parameters):
            national = parameters(period).prestations_sociales.education.pass_sport.critere_age
            corrige = parameters(period).pass_sport
            age = individu("age", period)

            def entre(minimum, maximum):
                return (age >= minimum) * (age <= maximum)

            # Students with a higher-education grant only: OpenFisca's `boursier` is true for every member of a
            # family with a collège or lycée grant, so a child of 10 got the Pass'Sport as a "student".
            etudiant_boursier = (individu("bourse_criteres_sociaux", period) > 0) + (
                individu("bourse_enseignement_sup", period) > 0)
            boursier = etudiant_boursier * (age <= national.age_maximum_profil_boursier)
            ars = (individu.famille("ars", period.this_year) > 0) * entre(
                corrige.age_minimum_profil_ars, national.age_maximum_profil_ars)
            aeeh = (individu.famille("aeeh", period) > 0) * entre(
                national.age_minimum_profil_aeeh, national.age_maximum_profil_aeeh)
            aah = (individu("aah", period) > 0) * entre(
                national.age_minimum_profil_aah, national.age_maximum_profil_aah)
            return corrige.montant * ((boursier + ars + aeeh + aah) > 0)

    @classmethod
    def remplacements(cls) -> list[type[Variable]]:
        return [cls.pass_sport]

    def apply(self) -> None:
        for variable in self.remplacements():
            self.replace_variable(variable)
