"""POST /api/v1/explain/{id}: how one benefit's amount was reached for a household (see simulator.services.explain)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from simulator.api.cost import check_cost
from simulator.api.dependencies import engine, pool, settings
from simulator.api.errors import COMMON_RESPONSES, Erreur
from simulator.api.pool import SimulationPool
from simulator.api.settings import Settings
from simulator.engine import Engine
from simulator.household import Household
from simulator.services import explain as logic

router = APIRouter(prefix="/api/v1", tags=["explication"])


@router.post(
    "/explain/{aide_id}", response_model=logic.Explication, summary="Détail du calcul d'une aide",
    description="Calcule l'aide pour le foyer avec la trace d'OpenFisca et renvoie l'arbre des valeurs qui "
    "ont décidé du montant : variable, période, valeur, libellé, enfants (variables et paramètres lus). "
    "L'arbre est élagué (profondeur, enfants par nœud, taille) ; `enfants_masques` compte ce qui est coupé.",
    responses={**COMMON_RESPONSES, 404: {"model": Erreur, "description": "Aide inconnue"}})
async def explain(
    aide_id: Annotated[str, Path(description="id de l'aide (variable OpenFisca)", examples=["ppa"])],
    household: Household,
    engine: Annotated[Engine, Depends(engine)],
    pool: Annotated[SimulationPool, Depends(pool)],
    settings: Annotated[Settings, Depends(settings)],
    profondeur: Annotated[int, Query(ge=1, le=logic.MAX_DEPTH, description="Profondeur de l'arbre")] =
        logic.DEFAULT_DEPTH,
    max_noeuds: Annotated[int, Query(ge=1, le=logic.MAX_NODES, description="Nombre de nœuds au plus")] =
        logic.DEFAULT_NODES,
) -> logic.Explication:
    if not any(b.id == aide_id for b in engine.catalog):
        raise HTTPException(status_code=404, detail=f"Aide inconnue : {aide_id}")
    check_cost([household], settings.max_cost)
    return await pool.run(logic.explain, engine, household, aide_id, profondeur, logic.DEFAULT_CHILDREN, max_noeuds)
