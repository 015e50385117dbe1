"""POST /api/v1/simulate: one household, every benefit of the catalog that applies to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from simulator.api.dependencies import engine
from simulator.engine import Engine
from simulator.household import Household
from simulator.results import SimulationResult

router = APIRouter(prefix="/api/v1", tags=["simulation"])


@router.post("/simulate", response_model=SimulationResult, summary="Simuler les droits d'un foyer")
async def simulate(household: Household, engine: Annotated[Engine, Depends(engine)]) -> SimulationResult:
    return await run_in_threadpool(engine.simulate, household)
