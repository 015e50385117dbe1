"""GET /api/v1/aides: the catalog, for partners who list the benefits the simulator knows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException

from simulator.api.dependencies import engine
from simulator.catalog import Benefit
from simulator.engine import Engine

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/aides", response_model=list[Benefit], summary="Liste des aides connues")
def aides(engine: Annotated[Engine, Depends(engine)]) -> list[Benefit]:
    return list(engine.catalog)


@router.get("/aides/{aide_id}", response_model=Benefit, summary="Une aide du catalogue")
def aide(aide_id: str, engine: Annotated[Engine, Depends(engine)]) -> Benefit:
    entry = next((b for b in engine.catalog if b.id == aide_id), None)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"Aide inconnue : {aide_id}")
    return entry
