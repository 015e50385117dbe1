"""Fraîcheur et sources des paramètres des extensions locales (extensions/*/parameters).

Chaque valeur en vigueur aujourd'hui, et chaque valeur future, doit :
- soit être indexée : valeur null d'un paramètre dont `metadata.indexation` nomme une règle connue et
  `metadata.indexation_variable` une variable de l'extension qui la calcule ;
- soit porter `metadata.last_verified` (date ISO) de moins de 12 mois : quelqu'un l'a vérifiée contre la source ;
et citer sa source : `metadata.articles` (article(s) du texte) et une adresse http(s) dans `metadata.reference`.
Les métadonnées d'une valeur datée complètent celles de son paramètre.

`last_verified` dit quand quelqu'un a vérifié, non contre quoi : une valeur vérifiée le mois dernier contre un texte
de 2019 n'est pas confirmée pour aujourd'hui. Chaque valeur vérifiée date donc aussi sa source
(`metadata.verified_against_date`, date de publication ou de mise à jour du texte ou de la page consultée). Si cette
source a plus de 3 ans, la valeur est « à revoir » : le test échoue, sauf si `metadata.no_newer_source` dit qu'une
source plus récente a été cherchée sans succès (`searched_on`, il y a moins de 12 mois, et `note`, où et comment).
Ces valeurs « à revoir » sont listées (avertissement) et doivent figurer dans le tableau de VERIFICATION.md.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter, ParameterNode

ROOT = Path(__file__).resolve().parent.parent
# Local aids only: extensions/france is a national correction of OpenFisca-France (see its README for
# the figures it could and could not recheck), not a territory's rules.
PARAMETER_DIRS = sorted(p for p in ROOT.glob("extensions/*/parameters") if p.parent.name != "france")
INDEXATIONS = {"smic_net_35h", "aspa", "aah"}
MAX_AGE = timedelta(days=365)
MAX_SOURCE_AGE_YEARS = 3


def leaf_parameters(node: ParameterNode) -> Iterator[Parameter]:
    for child in node.children.values():
        if isinstance(child, Parameter):
            yield child
        elif isinstance(child, ParameterNode):
            yield from leaf_parameters(child)


def extension_variables(parameters_dir: Path) -> set[str]:
    pattern = re.compile(r"^class (\w+)\(Variable\)", re.MULTILINE)
    return {
        name
        for module in (parameters_dir.parent / "variables").glob("*.py")
        for name in pattern.findall(module.read_text(encoding="utf-8"))
    }


def has_url(reference: Any) -> bool:
    if isinstance(reference, str):
        return reference.startswith(("https://", "http://"))
    if isinstance(reference, dict):
        return any(has_url(item) for item in reference.values())
    if isinstance(reference, list):
        return any(has_url(item) for item in reference)
    return False


def as_date(raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def source_too_old(source: date, today: date) -> bool:
    try:
        limit = today.replace(year=today.year - MAX_SOURCE_AGE_YEARS)
    except ValueError:  # 29 février
        limit = today.replace(year=today.year - MAX_SOURCE_AGE_YEARS, day=28)
    return source < limit


def source_problem(metadata: dict, today: date) -> tuple[str | None, bool]:
    """(problème, à revoir) pour la source contre laquelle une valeur a été vérifiée."""
    source = as_date(metadata.get("verified_against_date"))
    if source is None:
        return "verified_against_date absente : la source consultée n'est pas datée", False
    if not source_too_old(source, today):
        return None, False
    recherche = metadata.get("no_newer_source") or {}
    searched = as_date(recherche.get("searched_on")) if isinstance(recherche, dict) else None
    note = recherche.get("note") if isinstance(recherche, dict) else None
    if searched is None or not note:
        return (f"à revoir : vérifiée seulement contre une source du {source}, de plus de {MAX_SOURCE_AGE_YEARS} ans, "
                "sans no_newer_source (searched_on, note) disant qu'aucune source plus récente n'a été trouvée"), True
    if not today - MAX_AGE <= searched <= today:
        return (f"à revoir : source du {source} ; la recherche d'une source plus récente ({searched}) date de "
                "plus de 12 mois"), True
    return None, True


def verified_on(metadata: dict) -> date | None:
    raw = metadata.get("last_verified")
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def values_to_check(parameter: Parameter, today: date) -> list:
    """The value in force today (if any) and every future value."""
    values = sorted(parameter.values_list, key=lambda v: v.instant_str, reverse=True)
    future = [v for v in values if v.instant_str > today.isoformat()]
    in_force = next((v for v in values if v.instant_str <= today.isoformat()), None)
    return future + ([in_force] if in_force is not None else [])


def problems(parameters_dir: Path, today: date) -> list[str]:
    variables = extension_variables(parameters_dir)
    found: list[str] = []
    for parameter in leaf_parameters(ParameterNode(directory_path=str(parameters_dir))):
        for value in values_to_check(parameter, today):
            metadata = {**parameter.metadata, **value.metadata}
            where = f"{parameter.name} au {value.instant_str} ({value.value})"
            if value.value is None:
                if metadata.get("indexation") not in INDEXATIONS:
                    found.append(f"{where} : valeur nulle sans règle d'indexation connue ({sorted(INDEXATIONS)})")
                elif metadata.get("indexation_variable") not in variables:
                    found.append(f"{where} : indexation_variable absente des variables de l'extension")
            else:
                verified = verified_on(metadata)
                if verified is None:
                    found.append(f"{where} : ni indexée ni last_verified")
                elif not today - MAX_AGE <= verified <= today:
                    found.append(f"{where} : last_verified {verified} date de plus de 12 mois (ou est future)")
                probleme, _ = source_problem(metadata, today)
                if probleme:
                    found.append(f"{where} : {probleme}")
            if not has_url(metadata.get("reference")):
                found.append(f"{where} : aucune adresse http(s) dans reference")
            if not metadata.get("articles"):
                found.append(f"{where} : aucun article (articles)")
    return found


def to_review(parameters_dir: Path, today: date) -> list[tuple[str, str]]:
    """(paramètre, date de la source) des valeurs vérifiées seulement contre une source de plus de 3 ans."""
    found = []
    for parameter in leaf_parameters(ParameterNode(directory_path=str(parameters_dir))):
        for value in values_to_check(parameter, today):
            metadata = {**parameter.metadata, **value.metadata}
            if value.value is not None and source_problem(metadata, today)[1]:
                found.append((parameter.name, str(metadata.get("verified_against_date"))))
    return found


def test_local_parameters_exist() -> None:
    assert PARAMETER_DIRS, "aucun dossier extensions/*/parameters"


def test_every_local_value_in_force_is_indexed_or_recently_verified_and_cites_its_source() -> None:
    today = date.today()
    found = [problem for directory in PARAMETER_DIRS for problem in problems(directory, today)]
    assert not found, "Paramètres locaux à vérifier contre leur source :\n" + "\n".join(found)


def test_values_verified_only_against_old_sources_are_listed_in_verification_md() -> None:
    """Les valeurs « à revoir » (source de plus de 3 ans, aucune plus récente trouvée) : avertissement, et chacune
    figure dans le tableau de VERIFICATION.md de son extension."""
    today = date.today()
    for directory in PARAMETER_DIRS:
        review = to_review(directory, today)
        if review:
            warnings.warn("Valeurs à revoir (source de plus de 3 ans) :\n" + "\n".join(
                f"{name} (source du {source})" for name, source in review), stacklevel=1)
        verification = directory.parent / "VERIFICATION.md"
        text = verification.read_text(encoding="utf-8") if verification.exists() else ""
        absent = [name for name, _ in review if f"`{name.split('.', 1)[1]}`" not in text]
        assert not absent, f"valeurs à revoir absentes du tableau de {verification} : {absent}"


def test_every_local_parameter_names_its_articles_and_texts() -> None:
    missing = [
        parameter.name
        for directory in PARAMETER_DIRS
        for parameter in leaf_parameters(ParameterNode(directory_path=str(directory)))
        if not parameter.metadata.get("articles") or not parameter.metadata.get("reference")
    ]
    assert not missing, f"paramètres sans articles ni reference : {missing}"


def test_the_check_flags_stale_unindexed_and_unsourced_values(tmp_path: Path) -> None:
    parameters = tmp_path / "ville" / "parameters"
    (parameters / "ville").mkdir(parents=True)
    (tmp_path / "ville" / "variables").mkdir()
    (parameters / "ville" / "index.yaml").write_text("description: Ville\n", encoding="utf-8")
    (parameters / "ville" / "ancien.yaml").write_text(
        "description: Montant vérifié il y a longtemps\n"
        "metadata: {articles: art. 1, last_verified: '2020-01-01', verified_against_date: '2020-01-01',"
        " reference: [{title: t, href: 'https://x.fr'}]}\n"
        "values: {'2020-01-01': {value: 10}}\n",
        encoding="utf-8",
    )
    (parameters / "ville" / "nul.yaml").write_text(
        "description: Valeur close sans règle\n"
        "metadata: {articles: art. 2, reference: [{title: t, href: 'https://x.fr'}]}\n"
        "values: {'2020-01-01': {value: 10}, '2021-01-01': {value: null}}\n",
        encoding="utf-8",
    )
    (parameters / "ville" / "sans_url.yaml").write_text(
        "description: Sans adresse\n"
        "metadata: {articles: art. 3, last_verified: '2026-06-01', verified_against_date: '2026-01-01',"
        " reference: texte sans adresse}\n"
        "values: {'2020-01-01': {value: 10}}\n",
        encoding="utf-8",
    )
    (parameters / "ville" / "source_ancienne.yaml").write_text(
        "description: Vérifiée récemment, mais contre un texte de 2019\n"
        "metadata: {articles: art. 4, last_verified: '2026-06-01', verified_against_date: '2019-11-01',"
        " reference: [{title: t, href: 'https://x.fr'}]}\n"
        "values: {'2020-01-01': {value: 10}}\n",
        encoding="utf-8",
    )
    (parameters / "ville" / "source_ancienne_cherchee.yaml").write_text(
        "description: Texte de 2019, aucune source plus récente trouvée lors d'une recherche datée\n"
        "metadata: {articles: art. 5, last_verified: '2026-06-01', verified_against_date: '2019-11-01',"
        " no_newer_source: {searched_on: '2026-06-01', note: 'paris.fr, rien de plus récent'},"
        " reference: [{title: t, href: 'https://x.fr'}]}\n"
        "values: {'2020-01-01': {value: 10}}\n",
        encoding="utf-8",
    )
    found = problems(parameters, date(2026, 12, 2))
    assert any("ville.source_ancienne " in p and "à revoir" in p for p in found), found
    assert not any("ville.source_ancienne_cherchee" in p for p in found), found
    assert sorted(to_review(parameters, date(2026, 12, 2)))[-2:] == [
        ("ville.source_ancienne", "2019-11-01"), ("ville.source_ancienne_cherchee", "2019-11-01")]
    found = [p for p in found if "à revoir" not in p]
    assert len(found) == 3, found
    assert any("ville.ancien" in p and "plus de 12 mois" in p for p in found)
    assert any("ville.nul" in p and "sans règle d'indexation" in p for p in found)
    assert any("ville.sans_url" in p and "http(s)" in p for p in found)
