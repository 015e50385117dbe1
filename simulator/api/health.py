"""GET /api/v1/health: is the engine loaded, and with which rules."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from simulator.api.dependencies import engine
from simulator.engine import Engine
from simulator.household import FIRST_MONTH, last_covered_month

router = APIRouter(prefix="/api/v1", tags=["service"])


class Health(BaseModel):
    status: str
    openfisca_france: str
    openfisca_core: str
    aides: int
    mois_couverts: str


@router.get("/health", response_model=Health, summary="État du service")
def health(engine: Annotated[Engine, Depends(engine)]) -> Health:
    return Health(
        status="ok",
        openfisca_france=version("openfisca-france"),
        openfisca_core=version("openfisca-core"),
        aides=len(engine.catalog),
        mois_couverts=f"{FIRST_MONTH} à {last_covered_month()}",
    )
