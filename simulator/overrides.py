"""Variables an extension redefines in OpenFisca-France (national corrections, `extensions/france`).

OpenFisca-Core 44 adds an extension's variables with `add_variable`, which refuses a name that already
exists (`VariableNameConflictError`); redefining one is a reform's job (`replace_variable`). So an
extension that corrects OpenFisca-France declares, in one of its Python files, an OpenFisca `Reform`
whose class body holds the redefined variables and whose `remplacements()` lists them: nested in a
class, OpenFisca's loader (which adds a module's top-level variables only) leaves them alone, and
`replace_variables` applies them to the tax-benefit system in place, after the extension is loaded.
The same class is a plain reform for `openfisca test --reforms <module>.<Reform>`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem


def replacement_reforms(directory: Path) -> list[type[Reform]]:
    """The reforms with `remplacements()` defined in the Python files under `directory` (only files that
    mention `Reform` are imported again: the territories' variable modules are not)."""
    reforms: list[type[Reform]] = []
    for path in sorted(directory.rglob("*.py")):
        if "__pycache__" in path.parts or "Reform" not in path.read_text(encoding="utf-8"):
            continue
        spec = importlib.util.spec_from_file_location(f"_remplacements_{abs(hash(str(path)))}_{path.stem}", path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        reforms += [value for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, Reform) and value.__module__ == module.__name__
                    and hasattr(value, "remplacements")]
    return reforms


def replace_variables(tbs: TaxBenefitSystem, directory: Path) -> list[str]:
    """Apply the extension's redefinitions to `tbs`; the names of the variables replaced."""
    replaced = []
    for reform in replacement_reforms(directory):
        for variable in reform.remplacements():
            tbs.replace_variable(variable)
            replaced.append(variable.__name__)
    return replaced
