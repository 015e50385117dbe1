"""GET /api/v1/aides: the catalog, for partners who list the benefits the simulator knows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response

from simulator.api.dependencies import engine
from simulator.api.errors import Erreur
from simulator.catalog import Benefit
from simulator.engine import Engine

router = APIRouter(prefix="/api/v1", tags=["catalogue"])

# The catalog holds nothing personal and changes only with a release: caches may keep it an hour.
PUBLIC_CACHE = "public, max-age=3600"


@router.get("/aides", response_model=list[Benefit], summary="Liste des aides connues",
            description="Une entrée par aide : id (variable OpenFisca), libellé, organisme, périodicité, "
            "territoires, démarches, conditions que le simulateur ne vérifie pas.")
def aides(engine: Annotated[Engine, Depends(engine)], response: Response) -> list[Benefit]:
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return list(engine.catalog)


@router.get("/aides/{aide_id}", response_model=Benefit, summary="Une aide du catalogue",
            responses={404: {"model": Erreur, "description": "Aide inconnue"}})
def aide(aide_id: Annotated[str, Path(description="id de l'aide", examples=["rsa"])],
         engine: Annotated[Engine, Depends(engine)], response: Response) -> Benefit:
    entry = next((b for b in engine.catalog if b.id == aide_id), None)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"Aide inconnue : {aide_id}")
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return entry
