"""GET /api/v1/aides: the catalog, for partners who list the benefits the simulator knows."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from simulator.catalog import Benefit, catalog_by_id, load_catalog

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/aides", response_model=list[Benefit], summary="Liste des aides connues")
def aides() -> list[Benefit]:
    return list(load_catalog())


@router.get("/aides/{aide_id}", response_model=Benefit, summary="Une aide du catalogue")
def aide(aide_id: str) -> Benefit:
    entry = catalog_by_id().get(aide_id)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"Aide inconnue : {aide_id}")
    return entry
