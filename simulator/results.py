"""What a simulation tells a person, benefit by benefit (the API's response shape)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, Field

from simulator import reasons
from simulator.catalog import Benefit, theme_label
from simulator.reasons import GENERIC_REFUSAL

__all__ = ["GENERIC_REFUSAL", "AideResult", "PremiersMois", "SimulationResult", "agreed", "computed", "judged",
           "not_calculable", "round_amount"]


def round_amount(value: float, arrondi: str) -> float:
    """Round as the institution pays: to the cent, or to the euro (half up, as paying bodies do)."""
    quantum = Decimal("1") if arrondi == "euro" else Decimal("0.01")
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


class DemarchesOut(BaseModel):
    comment: str | None = None
    ou: str | None = None
    lien: str | None = None
    pieces: list[str] = Field(default_factory=list)


class PremiersMois(BaseModel):
    """What the benefit comes to while benefits declared 0 ("not received yet") are not paid."""

    montant: float = Field(description="Montant tant que les aides en attente ne sont pas versées")
    message: str = Field(examples=["Les premiers mois, tant que les allocations familiales ne sont pas "
                                   "versées : 993,18 € par mois."])
    en_attente: list[str] = Field(description="Aides déclarées à 0 que les règles accordent (variables OpenFisca)",
                                  examples=[["af", "cf"]])


class AideResult(BaseModel):
    id: str = Field(description="Variable OpenFisca", examples=["rsa"])
    label: str
    description: str | None = None
    institution: str
    theme: str
    theme_label: str
    montant: float | None = Field(
        description="Montant pour le mois (mensuelle), l'année (annuelle) ou en une fois (ponctuelle); "
        "null si non calculable")
    periodicite: Literal["mensuelle", "annuelle", "ponctuelle"]
    type: Literal["montant", "droit"]
    sens: Literal["verse", "paye"] = Field(
        default="verse", description="verse : montant reçu par le foyer ; paye : montant que le foyer paie")
    eligible: bool
    calculable: bool
    raisons: list[str] = Field(default_factory=list)
    avertissements: list[str] = Field(
        default_factory=list,
        description="Ce qu'il faut savoir sur ce résultat, qu'il y ait droit ou non : par exemple un montant qui "
        "dépend de la lecture d'un article par l'organisme. Vide le plus souvent.",
        examples=[["Ce montant dépend de la lecture du règlement par le Centre d'action sociale de la Ville "
                   "de Paris (CASVP) : …"]])
    conditions_non_verifiees: list[str] = Field(default_factory=list)
    lien: str | None = None
    demarches: DemarchesOut = Field(default_factory=DemarchesOut)
    premiers_mois: PremiersMois | None = Field(
        default=None,
        description="Si une aide déclarée à 0 (pas encore reçue) change ce montant : le montant des premiers "
        "mois, tant qu'elle n'est pas versée. `montant` reste celui de la situation stable.")

    @property
    def montant_mensuel(self) -> float:
        """Amount per month received, to add benefits of different periodicities.

        0 when not calculable, for a yes/no right, and for an amount the household pays.
        """
        if not self.montant or self.type == "droit" or self.sens == "paye":
            return 0.0
        return self.montant if self.periodicite == "mensuelle" else self.montant / 12 \
            if self.periodicite == "annuelle" else 0.0


class SimulationResult(BaseModel):
    mois: str = Field(examples=["2026-11"])
    aides: list[AideResult]

    def aide(self, benefit_id: str) -> AideResult | None:
        return next((a for a in self.aides if a.id == benefit_id), None)


def _base(benefit: Benefit) -> dict:
    return {
        "id": benefit.id,
        "label": benefit.label,
        "description": benefit.description,
        "institution": benefit.institution,
        "theme": benefit.theme,
        "theme_label": theme_label(benefit.theme),
        "periodicite": benefit.periodicite,
        "type": benefit.type,
        "sens": benefit.sens,
        "conditions_non_verifiees": benefit.conditions_non_verifiees,
        "lien": benefit.lien,
        "demarches": DemarchesOut(**benefit.demarches.model_dump()),
    }


def not_calculable(benefit: Benefit, reasons: list[str]) -> AideResult:
    return AideResult(**_base(benefit), montant=None, eligible=False, calculable=False, raisons=reasons)


def computed(benefit: Benefit, value: float | bool, reasons: list[str],
             notices: list[str] | None = None) -> AideResult:
    notices = notices or []
    if benefit.type == "droit":
        granted = bool(value)
        return AideResult(**_base(benefit), montant=None, eligible=granted, calculable=True,
                          raisons=[] if granted else reasons, avertissements=notices)
    amount = round_amount(float(value), benefit.arrondi)
    eligible = amount > 0
    return AideResult(**_base(benefit), montant=amount, eligible=eligible, calculable=True,
                      raisons=[] if eligible else reasons, avertissements=notices)


def judged(benefit: Benefit, value: float | bool, read: reasons.Reader) -> AideResult:
    """A computed benefit's result: why it is refused (if it is) and its notices, read by `read` (a
    variable's value for the demandeur at the benefit's period, handed by the engine)."""
    granted = bool(value) if benefit.type == "droit" else float(value) > 0.005
    refusal = [] if granted else reasons.refusal(benefit, read)
    return computed(benefit, value, refusal, reasons.notices(benefit, read))


def agreed(benefit: Benefit, variants: list[AideResult]) -> AideResult:
    """One result from the results under each answer of the unanswered questions, when they agree on
    eligibility and amount: their reasons if they agree too (else the benefit's default refusal), and
    every notice of any of them when their notices differ (each may apply)."""
    result = variants[0]
    if any(r.raisons != result.raisons for r in variants):
        result = result.model_copy(update={"raisons": [benefit.raison_par_defaut or GENERIC_REFUSAL]})
    if any(r.avertissements != result.avertissements for r in variants):
        result = result.model_copy(update={"avertissements": list(dict.fromkeys(
            m for r in variants for m in r.avertissements))})
    return result
