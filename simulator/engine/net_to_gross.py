"""Net amounts people know -> gross amounts OpenFisca derives everything from.

OpenFisca-France computes net and taxable salaries, pensions and unemployment benefits from gross
ones. An input `salaire_net` alone leaves `salaire_imposable` at 0, and housing aid then comes out at
its maximum whatever the salary. We therefore invert OpenFisca's own net(gross) function: for each
month, one vectorised simulation over a grid of gross amounts gives the net amounts, and the inverse
is read by interpolation (the function is increasing and piecewise linear).

CSG on pensions and unemployment benefits depends on the household's tax income of year N-2 (rate
classes: exempt, reduced, intermediate, full): one grid is computed per class, and the engine picks
the class that OpenFisca applies to the household (see `Runner._reclassify` in
`simulator/engine/fixed_point.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from simulator.situation import NET_TO_GROSS, TAXABLE

GRID_MAX = 20_000.0
GRID_COUNT = 4001  # 5 € steps

# Tax income of N-2 placing a single person in each CSG rate class, from OpenFisca's thresholds.
RATE_CLASSES = ("exonere", "taux_reduit", "taux_intermediaire", "taux_plein")


@dataclass(frozen=True)
class NetGrossTable:
    gross: np.ndarray
    net: np.ndarray
    taxable: np.ndarray

    def to_gross(self, net: float) -> float:
        if net <= 0:
            return 0.0
        if net <= self.net[-1]:
            return float(np.interp(net, self.net, self.gross))
        slope = (self.gross[-1] - self.gross[-2]) / max(self.net[-1] - self.net[-2], 1e-9)
        return float(self.gross[-1] + (net - self.net[-1]) * slope)

    def to_net(self, gross: float) -> float:
        return self._read(gross, self.net)

    def to_taxable(self, gross: float) -> float:
        return self._read(gross, self.taxable)

    def _read(self, gross: float, values: np.ndarray) -> float:
        if gross <= self.gross[-1]:
            return float(np.interp(gross, self.gross, values))
        slope = (values[-1] - values[-2]) / max(self.gross[-1] - self.gross[-2], 1e-9)
        return float(values[-1] + (gross - self.gross[-1]) * slope)


class NetGrossTables:
    """Tables per (net variable, month, rate class), computed once per process and shared."""

    def __init__(self, tax_benefit_system: TaxBenefitSystem) -> None:
        self._tbs = tax_benefit_system
        self._tables: dict[tuple[str, str, str], NetGrossTable] = {}
        self._lock = threading.Lock()

    def classes(self, net_variable: str) -> tuple[str, ...]:
        if net_variable == "salaire_net":
            return ("exonere",)
        if net_variable == "chomage_net":
            return ("exonere", "taux_reduit", "taux_plein")
        return RATE_CLASSES

    def table(self, net_variable: str, month: str, rate_class: str) -> NetGrossTable:
        key = (net_variable, month, rate_class)
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                table = self._compute(net_variable, month, rate_class)
                self._tables[key] = table
            return table

    def _rfr_for_class(self, month: str, rate_class: str) -> float:
        seuils = self._tbs.parameters(f"{month}-01").prelevements_sociaux.contributions_sociales.csg
        seuils = seuils.remplacement.seuils
        bounds = [0.0, seuils.seuil_rfr1.seuil_rfr1, seuils.seuil_rfr2.seuil_rfr2, seuils.seuil_rfr3.seuil_rfr3]
        index = RATE_CLASSES.index(rate_class)
        if index == 0:
            return 0.0
        if index == len(RATE_CLASSES) - 1:
            return float(bounds[-1]) * 2
        return (float(bounds[index]) + float(bounds[index + 1])) / 2

    def _compute(self, net_variable: str, month: str, rate_class: str) -> NetGrossTable:
        gross_variable = NET_TO_GROSS[net_variable]
        year = int(month[:4])
        situation = {
            "individus": {"i": {"date_naissance": {"ETERNITY": "1970-01-01"}}},
            "familles": {"f": {"parents": ["i"]}},
            "foyers_fiscaux": {
                "ff": {"declarants": ["i"], "rfr": {str(year - 2): self._rfr_for_class(month, rate_class)}},
            },
            "menages": {"m": {"personne_de_reference": ["i"]}},
            "axes": [[{"count": GRID_COUNT, "name": gross_variable, "min": 0, "max": GRID_MAX, "period": month}]],
        }
        simulation = SimulationBuilder().build_from_entities(self._tbs, situation)
        gross = np.asarray(simulation.calculate(gross_variable, month), dtype=float)
        net = np.asarray(simulation.calculate(net_variable, month), dtype=float)
        taxable = np.asarray(simulation.calculate(TAXABLE[net_variable], month), dtype=float)
        # Rounding noise must not break monotonicity, which the inverse relies on.
        net = np.maximum.accumulate(net)
        return NetGrossTable(gross=gross, net=net, taxable=taxable)
