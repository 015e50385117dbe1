"""POST /api/v1/simulate and /simulate/batch: every benefit of the catalog for one household, or many."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from simulator.api.coalesce import Coalescer
from simulator.api.cost import check_cost
from simulator.api.dependencies import coalescer, engine, pool, settings
from simulator.api.errors import COMMON_RESPONSES
from simulator.api.pool import SimulationPool
from simulator.api.settings import MAX_BATCH, Settings
from simulator.engine import Engine
from simulator.household import Household
from simulator.results import SimulationResult

router = APIRouter(prefix="/api/v1", tags=["simulation"])

EXAMPLE = Household.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]


class Lot(BaseModel):
    """Up to 1,000 households computed in one vectorised OpenFisca run."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"foyers": [
        EXAMPLE,
        {"mois": "2026-11", "individus": [{"id": "demandeur", "role": "demandeur", "age": 67,
                                           "activite": "retraite", "retraite_nette": 850.0}],
         "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 420.0, "depcom": "75120"}},
    ]}]})

    foyers: list[Household] = Field(min_length=1, max_length=MAX_BATCH,
                                    description=f"De 1 à {MAX_BATCH} foyers")


class ResultatsLot(BaseModel):
    resultats: list[SimulationResult] = Field(description="Un résultat par foyer, dans l'ordre de la demande")


@router.post("/simulate", response_model=SimulationResult, summary="Simuler les droits d'un foyer",
             responses=COMMON_RESPONSES)
async def simulate(household: Household, engine: Annotated[Engine, Depends(engine)],
                   pool: Annotated[SimulationPool, Depends(pool)],
                   coalescer: Annotated[Coalescer | None, Depends(coalescer)],
                   settings: Annotated[Settings, Depends(settings)]) -> SimulationResult:
    check_cost([household], settings.max_cost)
    if coalescer is None:
        return await pool.run(engine.simulate, household)
    # Requests arriving together are computed in one vectorised run (see simulator.api.coalesce).
    return await coalescer.simulate(engine.simulate_many, household)


@router.post("/simulate/batch", response_model=ResultatsLot, summary="Simuler les droits de plusieurs foyers",
             description=f"Jusqu'à {MAX_BATCH} foyers, calculés en une seule simulation OpenFisca vectorisée ; "
             "les résultats suivent l'ordre des foyers. Une erreur de saisie nomme le foyer : "
             "`$.foyers[3].individus[0].age`.", responses=COMMON_RESPONSES)
async def simulate_batch(lot: Lot, engine: Annotated[Engine, Depends(engine)],
                         pool: Annotated[SimulationPool, Depends(pool)],
                         settings: Annotated[Settings, Depends(settings)]) -> ResultatsLot:
    check_cost(lot.foyers, settings.max_cost, field="$.foyers")
    return ResultatsLot(resultats=await pool.run(engine.simulate_many, lot.foyers))
