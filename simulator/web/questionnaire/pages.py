"""The guided questionnaire's pages, declared as data (`PAGES`), and what decides which apply.

Each page names the catalog facts it answers and the condition on earlier answers under which it
applies. A field is asked only if some catalog entry that applies to the household's commune requires
its fact — remove `scolarite` from every `requiert` and no one is asked a child's school level — or if it
describes the household itself (age, who lives there), which every rule reads. The fields of a person's
page and their wording, answers and messages come from the registry of facts (`simulator/facts.yaml`,
see `forms.fields`); extension facts (`extensions/*/facts.yaml`) are asked where their territory
applies, after the resources, and not at all when no answer changes a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from simulator.catalog import Benefit
from simulator.facts import CONDITIONS
from simulator.household import Household, StatutOccupationLogement
from simulator.registry import Fact, core_facts
from simulator.territory import applies_to
from simulator.web.forms.answers import (
    OUI,
    PRESTATIONS_INDIVIDUELLES,
    Person,
    applicable_questions,
    depcom_of,
    field_name,
    is_locataire,
    people,
    read_answer,
    split_list,
    who_answers,
)
from simulator.web.forms.fields import AGE, NAISSANCE, OUI_NON, Context, Field, fact_field, person_fields
from simulator.web.forms.household import state_to_data

CHAPITRES = ("Vous", "Votre foyer", "Votre logement", "Vos ressources", "Récapitulatif", "Résultats")
RECAP, RESULTATS = "recapitulatif", "resultats"

# Kinds of income, and whom they concern (no pension question for a 25-year-old).
def ressource_applies(kind: str, ctx: Context, p: str) -> bool:
    age = ctx.age(p)
    activite = ctx.state.get(f"{p}.activite")
    old = age is not None and age >= 67
    conditions: dict[str, Callable[[], bool]] = {
        "chomage_net": lambda: not old and activite != "retraite",
        "retraite_nette": lambda: (age is not None and age >= 50) or activite == "retraite",
        "pensions_invalidite": lambda: not old and (age is None or age >= 18),
        "indemnites_journalieres": lambda: not old,
        "indemnites_stage": lambda: activite == "etudiant" or (age is not None and age < 30),
        "revenus_stage_formation_pro": lambda: not old and activite != "retraite",
    }
    return conditions.get(kind, lambda: True)()


def prestation_applies(key: str, ctx: Context, person: Person) -> bool:
    """Whether to ask if this benefit is already received (0 is sent for every one not ticked)."""
    state = ctx.state
    enfants = [p for p in people(state) if p.role == "enfant"]
    ages = [ctx.age(p.prefix) for p in enfants]
    adultes = [person] if key in PRESTATIONS_INDIVIDUELLES else [p for p in people(state) if p.role != "enfant"]
    handicap = any(state.get(f"{p.prefix}.handicap") == OUI for p in adultes)
    conditions: dict[str, Callable[[], bool]] = {
        "aide_logement": lambda: is_locataire(state),
        "af": lambda: len(enfants) >= 2,
        "cf": lambda: len(enfants) >= 3,
        "asf": lambda: len(enfants) >= 1 and state.get("couple") != OUI,
        "paje_base": lambda: any(a is not None and a < 3 for a in ages),
        "aeeh": lambda: any(state.get(f"{p.prefix}.handicap") == OUI for p in enfants),
        "aah": lambda: handicap,
        "asi": lambda: handicap or "pensions_invalidite" in split_list(state.get(f"{person.prefix}.revenus")),
        "aspa": lambda: any((ctx.age(p.prefix) or 0) >= 60 for p in adultes),
        "ass": lambda: state.get(f"{person.prefix}.activite") == "chomeur",
    }
    return key in ctx.catalog_ids and conditions.get(key, lambda: True)()


def extension_questions_asked(ctx: Context) -> list[tuple[Fact, Person | None]]:
    """Questions declared by extensions for this commune that an applicable catalog entry requires, each with
    the adult it is asked of (None: a question on the home).

    Their `applicable` note (e.g. "Personnes de 60 ans et plus") is free text: while it is not machine
    readable, a question an entry requires is asked to everyone in its territory, so that the entry is
    computed (refused with its reason) rather than shown as "not calculable". Once the resources are
    known, a question whose every answer gives the same results is not asked (`SANS_EFFET`, the keys
    "fact:person id" or "fact:logement" of `Engine.facts_that_matter`)."""
    skipped = set(split_list(ctx.state.get(SANS_EFFET)))
    asked: list[tuple[Fact, Person | None]] = []
    for question in applicable_questions(depcom_of(ctx.state)):
        if question.id not in ctx.needed:
            continue
        asked += [(question, person) for person in who_answers(question, ctx.state)
                  if f"{question.id}:{person.id if person else 'logement'}" not in skipped
                  and (person is None or _concerns(question, ctx, person))]
    return asked


def _concerns(question: Fact, ctx: Context, person: Person) -> bool:
    """A person's extension question applies to them at their age and answers (`si`)."""
    if not question.at_age(ctx.age(person.prefix)):
        return False
    answers: dict[str, Any] = {}
    for other in question.si:
        f = core_facts().get(other)
        raw = ctx.state.get(field_name(person.prefix, f)) if f is not None else None
        try:
            answers[other] = read_answer(f, raw) if f is not None and raw else None
        except ValueError:
            answers[other] = None
    return question.applies_given(answers)


SANS_EFFET = "_sans_effet"  # the extension questions whose answer changes no result for this household


@dataclass(frozen=True)
class Page:
    id: str
    chapitre: int                  # index in CHAPITRES
    titre: str | Callable[[Person | None], str]
    fields: tuple[Field, ...] = ()
    facts: tuple[str, ...] = ()    # the catalog facts this page answers ("ressources"…); () = always
    applies: Callable[[Context, Person | None], bool] = lambda ctx, person: True
    roles: tuple[str, ...] = ()    # one instance per person of these roles ("" = one instance)
    intro: str | None = None
    kind: Literal["questions", "revenus", "prestations", "extensions", "recap", "resultats"] = "questions"


def _person_title(person: Person | None, demandeur: str, conjoint: str, enfant: str) -> str:
    if person is None or person.role == "demandeur":
        return demandeur
    return conjoint if person.role == "conjoint" else enfant.format(n=person.index)


PAGES: tuple[Page, ...] = (
    Page("vous", 0, "Vous", (AGE, *person_fields("demandeur")), roles=("demandeur",),
         intro="Nous posons seulement les questions utiles pour calculer vos droits. "
               "Nous ne gardons aucune réponse : tout est effacé quand vous fermez la page."),
    Page("foyer", 1, "Votre foyer", (
        Field("couple", "radio", "Vivez-vous en couple ?",
              hint="Marié, pacsé ou en union libre, avec une personne qui vit avec vous.",
              options=OUI_NON, required="Répondez oui ou non : vivez-vous en couple ?", recap_label="En couple"),
        Field("nb_enfants", "entier", "Combien d'enfants avez-vous à votre charge ?",
              hint="Les enfants qui vivent avec vous, même une partie du temps, et dont vous vous occupez. "
                   "Écrivez 0 si vous n'en avez pas.",
              width=2, required="Indiquez le nombre d'enfants (0 si vous n'en avez pas).",
              recap_label="Enfants à charge"),
    )),
    Page("conjoint", 1, "Votre conjoint", (AGE, *person_fields("conjoint")), roles=("conjoint",),
         applies=lambda ctx, person: ctx.state.get("couple") == OUI),
    Page("enfant", 1, lambda person: f"Votre enfant n° {person.index if person else 1}",
         (NAISSANCE, *person_fields("enfant")), roles=("enfant",)),
    Page("logement", 2, "Votre logement", (
        fact_field("statut_occupation_logement", recap_label="Situation"),
        fact_field("depcom", width=5, autocomplete="postal-code"),
    )),
    Page("loyer", 2, "Votre loyer", (
        fact_field("loyer", suffix="€ par mois", recap_label="Loyer"),
        fact_field("charges_locatives", fact="loyer", suffix="€ par mois"),
    ), facts=("loyer",), applies=lambda ctx, person: is_locataire(ctx.state)),
    # An owner without a loan pays no rent, but co-ownership charges (Paris: Titre IV 2.1 b/2).
    Page("charges", 2, "Vos charges", (
        fact_field("charges_locatives", fact="loyer", suffix="€ par mois",
                   label="Combien payez-vous de charges de copropriété chaque mois ? (facultatif)",
                   hint="Sans les appels de fonds pour gros travaux."),
    ), facts=("loyer",),
         applies=lambda ctx, person: ctx.state.get("l.statut") == StatutOccupationLogement.proprietaire.value),
    Page("revenus", 3, lambda person: _person_title(
        person, "Vos revenus", "Les revenus de votre conjoint", ""), kind="revenus",
         facts=("ressources",), roles=("demandeur", "conjoint"),
         applies=lambda ctx, person: person is not None and (person.role == "demandeur"
                                                              or ctx.state.get("couple") == OUI)),
    Page("prestations", 3, "Les aides que vous recevez déjà", kind="prestations", facts=("ressources",),
         intro="Ces aides comptent dans vos ressources pour le calcul des autres aides."),
    # After the resources: the engine then knows enough to tell which of these answers change nothing.
    Page("commune", 3, "Les questions des aides de votre ville", kind="extensions",
         applies=lambda ctx, person: bool(depcom_of(ctx.state)) and bool(extension_questions_asked(ctx))),
    Page(RECAP, 4, "Vérifiez vos réponses", kind="recap"),
    Page(RESULTATS, 5, "Vos résultats", kind="resultats"),
)
PAGES_BY_ID = {page.id: page for page in PAGES}


@dataclass(frozen=True)
class Step:
    """One page of the flow, for one person when the page is per person."""

    page: Page
    person: Person | None = None

    @property
    def key(self) -> str:
        return self.page.id if self.person is None else f"{self.page.id}:{self.person.prefix}"

    @property
    def titre(self) -> str:
        titre = self.page.titre
        return titre(self.person) if callable(titre) else titre

    @property
    def chapitre(self) -> str:
        return CHAPITRES[self.page.chapitre]

def needed_facts(catalog: Sequence[Benefit], depcom: str | None, state: dict[str, str] | None = None) -> set[str]:
    """Facts required by the catalog entries that apply to this commune (all of them while unknown).

    A fact an entry requires only in some households (`requiert_si`) is needed when the answers so far
    describe such a household, or cannot tell yet.
    """
    applicable = [b for b in catalog if depcom is None or applies_to(b.territoires, depcom)]
    needed = {fact for benefit in applicable for fact in benefit.requiert}
    conditional = {(fact, condition) for b in applicable for fact, condition in b.requiert_si.items()}
    if conditional:
        household = _household_so_far(state or {})
        needed |= {fact for fact, condition in conditional
                   if household is None or CONDITIONS[condition](household)}
    return needed


def _household_so_far(state: dict[str, str]) -> Household | None:
    data, errors, _persons = state_to_data(state)
    if errors.errors:
        return None
    try:
        return Household.model_validate(data)
    except ValidationError:
        return None


def context(state: dict[str, str], catalog: Sequence[Benefit]) -> Context:
    depcom = depcom_of(state)
    ids = {b.id for b in catalog if depcom is None or applies_to(b.territoires, depcom)}
    return Context(state, needed_facts(catalog, depcom, state), ids)

