"""GET /api/v1/health: is the engine loaded, and with which rules."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from simulator.api.dependencies import engine
from simulator.engine import Engine
from simulator.household import FIRST_MONTH, last_covered_month

router = APIRouter(prefix="/api/v1", tags=["service"])


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    openfisca_france: str = Field(description="Version des règles nationales", examples=["176.1.8"])
    openfisca_core: str = Field(examples=["44.7.1"])
    aides: int = Field(description="Nombre d'aides du catalogue", examples=[32])
    mois_couverts: str = Field(description="Mois acceptés dans `mois`", examples=["2021-01 à 2027-11"])


@router.get("/health", response_model=Health, summary="État du service")
def health(engine: Annotated[Engine, Depends(engine)]) -> Health:
    return Health(
        status="ok",
        openfisca_france=version("openfisca-france"),
        openfisca_core=version("openfisca-core"),
        aides=len(engine.catalog),
        mois_couverts=f"{FIRST_MONTH} à {last_covered_month()}",
    )
