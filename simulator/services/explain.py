"""How a benefit's amount was reached: OpenFisca's calculation trace, pruned to what a person can read.

Plain functions, no HTTP: `POST /api/v1/explain/{id}` and the caseworker's "Détail du calcul" page both
call `explain`. The household is computed alone with OpenFisca's full tracer on, then the trace tree of
the benefit is walked from the top: each node says which variable (with its OpenFisca label), for which
period, with which value, and which variables and parameters it was computed from.

OpenFisca computes a variable once per period and then reads it from its cache, so a variable met a
second time is a leaf in the raw trace; here it is shown with the children of its first computation
(once per branch, never inside itself). The full trace of one household runs to tens of thousands of
nodes: depth, children per node and total size are bounded, and what was cut is counted
(`enfants_masques`), never silently dropped. Children that decided something (non-zero values, or
expandable) come first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.tracers import TraceNode
from pydantic import BaseModel, Field

from simulator.engine import Engine
from simulator.engine.first_months import stable
from simulator.household import Household

DEFAULT_DEPTH = 4
MAX_DEPTH = 8
DEFAULT_CHILDREN = 12
DEFAULT_NODES = 200
MAX_NODES = 1000


class Noeud(BaseModel):
    variable: str = Field(description="Nom de la variable OpenFisca ou du paramètre", examples=["rsa_socle"])
    nature: str = Field(description="'variable' ou 'parametre'", examples=["variable"])
    periode: str = Field(examples=["2026-11"])
    valeur: Any = Field(
        description="Valeur pour le foyer : un nombre, un booléen ou un texte ; un objet {personne: valeur} "
        "pour une variable individuelle d'un foyer de plusieurs personnes", examples=[977.54])
    label: str | None = Field(default=None, description="Libellé OpenFisca",
                              examples=["Revenu de solidarité active - socle"])
    reference: str | None = Field(default=None, description="Texte de référence (lien), si OpenFisca en donne un")
    enfants: list[Noeud] = Field(default_factory=list)
    enfants_masques: int = Field(default=0, description="Nombre d'enfants non montrés (profondeur ou taille)")


class Explication(BaseModel):
    aide: str = Field(examples=["rsa"])
    label: str = Field(examples=["Revenu de solidarité active"])
    mois: str = Field(examples=["2026-11"])
    periode: str = Field(description="Période de calcul de l'aide (mois, ou année pour une aide annuelle)")
    arbre: Noeud
    noeuds: int = Field(description="Nombre de nœuds montrés")
    noeuds_trace: int = Field(description="Nombre de nœuds de la trace OpenFisca complète")


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 2) if np.isfinite(value) else None
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


class _Formatter:
    def __init__(self, simulation: Any) -> None:
        self.simulation = simulation
        self.tbs = simulation.tax_benefit_system
        self.ids: dict[str, list[str]] = {
            key: [str(i).split("/", 1)[-1] for i in population.ids]
            for key, population in simulation.populations.items()
        }

    def value(self, name: str, raw: Any) -> Any:
        if raw is None:
            return None
        if hasattr(raw, "decode_to_str"):
            raw = raw.decode_to_str()
        array = np.asarray(raw)
        if array.ndim == 0:
            return _plain(array.item())
        if array.size == 1:
            return _plain(array.reshape(-1)[0])
        variable = self.tbs.variables.get(name)
        ids = self.ids.get(variable.entity.key) if variable is not None else None
        if ids is not None and len(ids) == array.size:
            return {ident: _plain(v) for ident, v in zip(ids, array.reshape(-1), strict=True)}
        return [_plain(v) for v in array.reshape(-1)]

    def label(self, name: str) -> tuple[str | None, str | None]:
        variable = self.tbs.variables.get(name)
        if variable is None:
            return None, None
        reference = variable.reference
        if isinstance(reference, list | tuple):
            reference = reference[0] if reference else None
        return variable.label, reference

    def parameter_label(self, name: str) -> str | None:
        node: Any = self.tbs.parameters
        for part in name.split("."):
            node = getattr(node, part, None) if not hasattr(node, "children") else node.children.get(part)
            if node is None:
                return None
        return getattr(node, "description", None)


def _weight(node: Any) -> tuple[int, int]:
    """Sort key: expandable and non-zero nodes first (they are what decided the amount)."""
    value = node.value
    try:
        nonzero = bool(np.any(np.asarray(value) != 0)) if value is not None else False
    except (TypeError, ValueError):
        nonzero = True
    return (0 if nonzero else 1, 0 if node.children else 1)


def _count(nodes: Iterable[Any]) -> int:
    total, stack = 0, list(nodes)
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node.children)
    return total


def prune(root: Any, simulation: Any, depth: int = DEFAULT_DEPTH, children: int = DEFAULT_CHILDREN,
          max_nodes: int = DEFAULT_NODES, forest: Iterable[Any] = ()) -> tuple[Noeud, int]:
    """The trace tree below `root`, bounded; returns it with the number of nodes kept.

    `forest` holds the other trees of the same simulation: a variable computed there first and read
    from the cache under `root` is shown with the children of that first computation.
    """
    fmt = _Formatter(simulation)
    expanded: dict[tuple[str, str], Any] = {}
    stack = [root, *forest]
    while stack:
        node = stack.pop()
        key = (node.name, str(node.period))
        if node.children and key not in expanded:
            expanded[key] = node
        stack.extend(node.children)

    budget = [max_nodes]

    def build(node: Any, level: int, ancestors: frozenset[tuple[str, str]]) -> Noeud:
        budget[0] -= 1
        key = (node.name, str(node.period))
        label, reference = fmt.label(node.name)
        out = Noeud(variable=node.name, nature="variable", periode=str(node.period),
                    valeur=fmt.value(node.name, node.value), label=label, reference=reference)
        source = node if node.children else expanded.get(key, node)
        if key in ancestors:
            source = node
        kids = sorted(source.children, key=_weight)
        params = list(source.parameters)
        total = len(kids) + len(params)
        if level >= depth:
            out.enfants_masques = total
            return out
        inner = ancestors | {key}
        for kid in kids[:children]:
            if budget[0] <= 0:
                break
            out.enfants.append(build(kid, level + 1, inner))
        for param in params[: max(0, children - len(out.enfants))]:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            out.enfants.append(Noeud(
                variable=param.name, nature="parametre", periode=str(param.period),
                valeur=fmt.value(param.name, param.value), label=fmt.parameter_label(param.name)))
        out.enfants_masques = total - len(out.enfants)
        return out

    tree = build(root, 0, frozenset())
    return tree, max_nodes - budget[0]




def explain(engine: Any, household: Household, benefit_id: str, depth: int = DEFAULT_DEPTH,
            children: int = DEFAULT_CHILDREN, max_nodes: int = DEFAULT_NODES) -> Explication:
    """Compute `benefit_id` for the household with tracing on and return its pruned calculation tree.

    Raises KeyError for a benefit that is not in the engine's catalog.
    """
    benefit = next((b for b in engine.catalog if b.id == benefit_id), None)
    if benefit is None:
        raise KeyError(benefit_id)
    run = traced_run(engine, stable(household))  # the amount shown: benefits declared 0 taken as received
    simulation = run.simulation
    period = run.period(benefit)
    root = _find(simulation.tracer.trees, benefit_id, period)
    if root is None:
        simulation.calculate(benefit_id, period)
        root = _find(simulation.tracer.trees, benefit_id, period)
    if root is None:  # computed before tracing was on (see traced_run): its value, without children
        root = TraceNode(benefit_id, periods.period(period), value=simulation.calculate(benefit_id, period))
    trees = simulation.tracer.trees
    tree, kept = prune(root, simulation, depth=depth, children=children, max_nodes=max_nodes, forest=trees)
    return Explication(aide=benefit.id, label=benefit.label, mois=household.mois, periode=period, arbre=tree,
                       noeuds=kept, noeuds_trace=_count(trees))


def traced_run(engine: Any, household: Household) -> Any:
    """The household's run, with OpenFisca's full tracer on in the simulation the benefits come from."""
    if isinstance(engine, Engine):
        return engine.run([household], trace=True)
    run = engine.run([household])
    run.simulation.trace = True
    return run


def _find(trees: Iterable[Any], name: str, period: str) -> Any | None:
    """The first computation of `name` for `period` in the trace (one with children, if any)."""
    leaf = None
    stack = list(reversed(list(trees)))
    while stack:
        node = stack.pop()
        if node.name == name and str(node.period) == period:
            if node.children:
                return node
            leaf = leaf or node
        stack.extend(reversed(node.children))
    return leaf
