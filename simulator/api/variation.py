"""POST /api/v1/variation: benefits and disposable income when one resource varies.

The computation is simulator.services.variation's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from simulator.api.cost import check_cost
from simulator.api.dependencies import engine, pool, settings
from simulator.api.errors import COMMON_RESPONSES
from simulator.api.pool import SimulationPool
from simulator.api.settings import Settings
from simulator.api.simulate import EXAMPLE
from simulator.engine import Engine
from simulator.household import MAX_MONTANT, RESSOURCES, Household
from simulator.services import variation as logic

router = APIRouter(prefix="/api/v1", tags=["simulation"])

Ressource = Literal[tuple(RESSOURCES)]  # type: ignore[valid-type]


class DemandeVariation(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, json_schema_extra={"examples": [{
        "foyer": EXAMPLE, "individu": "demandeur", "ressource": "salaire_net", "min": 0, "max": 2500,
        "etapes": 26}]})

    foyer: Household
    individu: str = Field(default="demandeur", max_length=40, description="id de la personne dont la ressource varie")
    ressource: Ressource = Field(default="salaire_net", description="Ressource mensuelle nette qui varie")
    # Strict like every amount: `true` or "2500" is refused.
    min: float = Field(default=0.0, strict=True, ge=0, lt=MAX_MONTANT, description="Montant mensuel de départ (euros)")
    max: float = Field(strict=True, ge=0, lt=MAX_MONTANT, description="Montant mensuel d'arrivée (euros)")
    etapes: int = Field(default=21, ge=logic.MIN_STEPS, le=logic.MAX_STEPS,
                        description=f"Nombre de points, de {logic.MIN_STEPS} à {logic.MAX_STEPS}, bornes comprises")

    @model_validator(mode="after")
    def _bornes(self) -> DemandeVariation:
        if self.min >= self.max:
            raise PydanticCustomError("bornes", "Le minimum doit être inférieur au maximum.")
        if self.individu not in {i.id for i in self.foyer.individus}:
            raise PydanticCustomError("individu_inconnu", "Aucune personne du foyer n'a cet identifiant.")
        return self


@router.post("/variation", response_model=logic.Variation, summary="Faire varier une ressource",
             description="Le foyer est simulé pour `etapes` montants de la ressource, de `min` à `max`, en une "
             "seule simulation vectorisée. Pour chaque point : le montant mensuel de chaque aide (une aide "
             "annuelle compte pour un douzième, une aide ponctuelle ou un droit sans montant pour 0), et le "
             "revenu disponible = ressources nettes déclarées du foyer + aides mensuelles. `falaises` liste les "
             "pas où gagner plus fait baisser le revenu disponible.", responses=COMMON_RESPONSES)
async def variation(demande: DemandeVariation, engine: Annotated[Engine, Depends(engine)],
                    pool: Annotated[SimulationPool, Depends(pool)],
                    settings: Annotated[Settings, Depends(settings)]) -> logic.Variation:
    check_cost([demande.foyer], settings.max_cost, steps=demande.etapes, field="$.etapes")
    return await pool.run(logic.vary, engine, demande.foyer, demande.individu, demande.ressource,
                          demande.min, demande.max, demande.etapes)
