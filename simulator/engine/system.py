"""The tax-benefit system: OpenFisca-France, its national corrections, the territories' extensions.

Built once per process (5 s, 120 MB); the catalog is checked against it at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openfisca_core.parameters import ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_france import CountryTaxBenefitSystem

from simulator import reasons
from simulator.catalog import Benefit
from simulator.facts import CONDITIONS
from simulator.overrides import replace_variables
from simulator.paths import national_corrections_dirs


def load_extension_directory(tbs: TaxBenefitSystem, directory: Path) -> None:
    """What `TaxBenefitSystem.load_extension` does, for a folder that need not be an installed package."""
    tbs.add_variables_from_directory(str(directory))
    parameters = directory / "parameters"
    if parameters.is_dir():
        tbs.parameters.merge(ParameterNode(directory_path=str(parameters)))
    replace_variables(tbs, directory)  # the OpenFisca-France variables it redefines (simulator/overrides.py)


def build_tax_benefit_system(extensions: Sequence[Path]) -> TaxBenefitSystem:
    """OpenFisca-France, its national corrections (`extensions/france`), then the territories' extensions."""
    tbs = CountryTaxBenefitSystem()
    for directory in dict.fromkeys(path.resolve() for path in [*national_corrections_dirs(), *extensions]):
        load_extension_directory(tbs, directory)
    return tbs


def check_catalog(tbs: TaxBenefitSystem, catalog: Sequence[Benefit]) -> None:
    """A catalog entry naming an unknown OpenFisca variable must stop start-up, not a user's request."""
    for benefit in catalog:
        unknown = [name for name in reasons.cited_variables(benefit) if name not in tbs.variables]
        unknown += [f"requiert_si:{c}" for c in benefit.requiert_si.values() if c not in CONDITIONS]
        if unknown:
            raise ValueError(f"Catalogue : {benefit.id} cite des variables inconnues : {unknown}")
        conditions = [r.seulement_si for r in benefit.raisons if r.seulement_si]
        conditions += [a.si_vrai for a in benefit.avertissements]
        not_bool = [name for name in conditions if tbs.variables[name].value_type is not bool]
        if not_bool:
            raise ValueError(f"Catalogue : {benefit.id} : ces conditions ne sont pas des booléens : {not_bool}")
        errors = reasons.template_errors(benefit)
        if errors:
            raise ValueError(f"Catalogue : {benefit.id} : {'; '.join(errors)}")
