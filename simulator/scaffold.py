"""Scaffold a new local aid: the files a territory's OpenFisca extension needs, ready to be filled in.

`new_aid("lyon", "lyon_aide_energie", Path("extensions"))` writes, under `extensions/lyon/`, a variable
module, a parameter file, a YAML test that passes as generated and a catalog entry — the recipe of
docs/adding-a-local-aid.md, so that adding an aid starts from working files rather than a blank page.
For a new territory it also writes its `territory.yaml` (name, theme, communes… to fill in).
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

import yaml

IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PLACEHOLDER_TERRITORY = "a_completer"


class ExistingFilesError(FileExistsError, ValueError):
    """Refusal to overwrite: a FileExistsError that callers handling ValueError also catch."""


def _check_identifier(value: str, what: str) -> None:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise ValueError(
            f"{what} « {value} » invalide : utilisez des minuscules sans accent, des chiffres et des "
            "tirets bas (snake_case), en commençant par une lettre, par exemple « lyon » ou "
            "« lyon_aide_energie »."
        )
    if keyword.iskeyword(value):
        raise ValueError(f"{what} « {value} » invalide : c'est un mot réservé de Python.")


def _variable_module(territory: str, aid_id: str) -> str:
    return f'''"""{aid_id} : aide locale ({territory}).

À compléter à partir du texte officiel (délibération, règlement) : conditions, base de ressources,
montant. Une variable par classe ; aucun nombre dans les formules hors 0 et 1 : tout montant,
plafond, âge ou taux est un paramètre daté (parameters/{territory}/{aid_id}/).
"""

from openfisca_france.model.base import MONTH, Famille, Variable

REFERENCE = "À compléter : texte officiel, article"


class {aid_id}_base_ressources(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Ressources mensuelles retenues pour {aid_id}"
    reference = REFERENCE
    documentation = "Point de départ : salaires nets de la famille. Remplacez par la base du texte."

    def formula(famille, period):
        return famille.sum(famille.members("salaire_net", period))


class {aid_id}_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "{aid_id} : ressources inférieures ou égales au plafond"
    reference = REFERENCE

    def formula(famille, period, parameters):
        plafond = parameters(period).{territory}.{aid_id}.plafond_ressources
        return famille("{aid_id}_base_ressources", period) <= plafond


class {aid_id}(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "{aid_id} (à renommer : nom officiel de l'aide)"
    reference = REFERENCE

    def formula(famille, period, parameters):
        montant = parameters(period).{territory}.{aid_id}.montant
        return famille("{aid_id}_condition_ressources", period) * montant
'''


def _parameter_file(description: str, value: int) -> str:
    return f"""description: {description}
metadata:
  unit: currency
  reference: "À compléter : texte officiel, article (et date de la délibération)"
values:
  2024-01-01:
    value: {value}
"""


def _tests_file(aid_id: str) -> str:
    def case(name: str, salaire: int, expected: int) -> str:
        return f"""- name: "{name}"
  period: 2026-01
  input:
    individus:
      demandeur:
        salaire_net: {salaire}
    familles:
      famille:
        parents: [demandeur]
    menages:
      menage:
        personne_de_reference: [demandeur]
  output:
    {aid_id}: {expected}
"""

    header = (
        f"# Tests de {aid_id} : chaque côté de chaque plafond, chaque condition qui échoue seule.\n"
        "# openfisca test <ce dossier> --country-package openfisca_france --extensions <territoire>\n\n"
    )
    return header + "\n".join(
        [
            case("Ressources au plafond", 1000, 100),
            case("Ressources 1 € au-dessus du plafond", 1001, 0),
        ]
    )


def _territory_file(territory: str) -> str:
    return f"""# Le territoire de l'extension (lu par simulator/territories.py) : remplacez chaque « à compléter ».
id: {territory}                  # le nom du dossier
nom: "À compléter ({territory})"  # l'institution, comme les pages la nomment : « Ville de Lyon »
theme:
  id: {territory}                # le `theme` des fiches de benefits/ (par exemple ville_de_lyon)
  libelle: "À compléter ({territory})"   # le titre des résultats au-dessus de ces aides : « Ville de Lyon »
couverture:
  # Où le territoire s'applique : codes commune INSEE (69123 et ses arrondissements 69381 à 69389 pour
  # Lyon) et/ou départements entiers (["69"]). Vide : aucune commune, ni titre ni accompagnement.
  communes: []
  departements: []
formulaires:
  titre: "Questions des aides de à compléter ({territory})"   # au-dessus de ses questions (fiche conseiller)
  note: "Seulement pour un logement à compléter."
accueil: "Les aides de à compléter ({territory}), si vous habitez à compléter."   # la ligne de la page d'accueil
# Entrées OpenFisca du ménage posées dans ses communes (variable: valeur), s'il en faut.
entrees_openfisca: {{}}
# Où se faire aider sur place (facultatif ; voir extensions/paris/territory.yaml) :
# accompagnement:
#   titre: Être aidé près de chez vous, à …
#   lieu: …
#   nom_par_defaut: …
#   source: https://…
#   lien: https://…
#   site: …
#   lieux:
#     "69381": {{nom: "…", adresse: null}}
"""


def _existing_theme(extension: Path) -> str | None:
    """The theme id of an existing territory.yaml (None if there is none or it cannot be read)."""
    path = extension / "territory.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme.get("id") if isinstance(theme, dict) else None


def _benefit_file(territory: str, aid_id: str, theme: str) -> str:
    return f"""id: {aid_id}
label: "{aid_id} (à compléter : nom officiel)"
description: "À compléter : ce que l'aide apporte, en une ou deux phrases simples."
institution: "À compléter ({territory})"
theme: {theme}  # le thème du territoire (territory.yaml)
periode_calcul: mois
periodicite: mensuelle
type: montant
# Préfixes de codes commune (depcom) où l'aide s'applique. Tant que la valeur est « {PLACEHOLDER_TERRITORY} »,
# aucune commune ne correspond et l'aide n'est proposée à personne.
territoires: ["{PLACEHOLDER_TERRITORY}"]
arrondi: euro
lien: "https://a-completer.example"
demarches:
  comment: "À compléter : comment faire la demande."
  ou: "À compléter : où la déposer."
  pieces: ["Pièce d'identité", "Justificatifs de ressources"]
conditions_non_verifiees: []
requiert: [ressources]
raisons:
  - si_faux: {aid_id}_condition_ressources
    message: "Vos ressources, {{{aid_id}_base_ressources:euros_mois}}, dépassent le plafond."
    valeurs: [{aid_id}_base_ressources]
reference: "À compléter : texte officiel, article"
"""


def new_aid(territory: str, aid_id: str, extensions_dir: Path) -> list[Path]:
    """Write the files of a new aid in `extensions_dir/territory/`; return the paths written.

    Raises ValueError for an identifier that OpenFisca cannot use, and ExistingFilesError (both a
    FileExistsError and a ValueError) rather than overwrite any file.
    """
    _check_identifier(territory, "Nom de territoire")
    _check_identifier(aid_id, "Identifiant d'aide")
    extension = Path(extensions_dir) / territory
    parameters = extension / "parameters" / territory
    files: dict[Path, str] = {
        extension / "variables" / f"{aid_id}.py": _variable_module(territory, aid_id),
        parameters / aid_id / "index.yaml": f"description: Paramètres de {aid_id}\n",
        parameters / aid_id / "montant.yaml": _parameter_file(f"Montant mensuel de {aid_id}", 100),
        parameters / aid_id / "plafond_ressources.yaml": _parameter_file(
            f"Plafond de ressources mensuelles de {aid_id}", 1000
        ),
        extension / "tests" / f"{aid_id}.yaml": _tests_file(aid_id),
        extension / "benefits" / f"{aid_id}.yaml": _benefit_file(
            territory, aid_id, _existing_theme(extension) or territory),
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise ExistingFilesError(
            "Ces fichiers existent déjà, rien n'a été écrit : " + ", ".join(str(p) for p in existing)
        )
    new_package = {
        extension / "__init__.py": "",
        extension / "territory.yaml": _territory_file(territory),
        parameters / "index.yaml": f"description: Aides locales ({territory})\n",
    }
    files.update({path: text for path, text in new_package.items() if not path.exists()})
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
