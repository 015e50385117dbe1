"""GET /api/v1/health: is the engine loaded, and with which rules."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter
from pydantic import BaseModel

from simulator.catalog import load_catalog
from simulator.household import FIRST_MONTH, last_covered_month

router = APIRouter(prefix="/api/v1", tags=["service"])


class Health(BaseModel):
    status: str
    openfisca_france: str
    openfisca_core: str
    aides: int
    mois_couverts: str


@router.get("/health", response_model=Health, summary="État du service")
def health() -> Health:
    return Health(
        status="ok",
        openfisca_france=version("openfisca-france"),
        openfisca_core=version("openfisca-core"),
        aides=len(load_catalog()),
        mois_couverts=f"{FIRST_MONTH} à {last_covered_month()}",
    )
