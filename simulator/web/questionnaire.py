"""The guided questionnaire: which pages, in which order, asking which fields.

The pages are declared below as data (`PAGES`): each field names the catalog fact it answers (the
names used in the catalog's `requiert`) and each page the condition on earlier answers under which it
applies. A field is asked only if some catalog entry that applies to the household's commune requires
its fact — remove `scolarite` from every `requiert` and no one is asked a child's school level — or if
it describes the household itself (age, who lives there), which every rule reads. The fields of a
person's page and their wording, answers and messages come from the registry of facts
(`simulator/facts.yaml`); extension facts (`extensions/*/facts.yaml`) are asked where their territory
applies, after the resources, and not at all when no answer changes a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from simulator.catalog import Benefit
from simulator.facts import CONDITIONS
from simulator.french_dates import month_and_year
from simulator.household import PRESTATIONS_DECLARABLES, RESSOURCES, Household, StatutOccupationLogement
from simulator.registry import Fact, core_facts
from simulator.territory import applies_to
from simulator.web.household_form import (
    BIRTH_MONTH,
    BIRTH_YEAR,
    COMMUNE_CHOICE,
    COMMUNE_CHOICE_MISSING,
    NON,
    OUI,
    PRESTATIONS_INDIVIDUELLES,
    FormErrors,
    Person,
    age_in_state,
    applicable_questions,
    depcom_of,
    field_name,
    is_locataire,
    nb_enfants,
    parse_entier,
    people,
    person_facts,
    read_answer,
    shared_postcode_communes,
    split_list,
    state_to_data,
    state_to_household,
)

CHAPITRES = ("Vous", "Votre foyer", "Votre logement", "Vos ressources", "Récapitulatif", "Résultats")
RECAP, RESULTATS = "recapitulatif", "resultats"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None
    reveal: tuple[Field, ...] = ()  # fields shown under this option (conditional reveal)


@dataclass(frozen=True)
class Field:
    name: str                      # state key; "{p}" is replaced by the person's prefix
    kind: Literal["entier", "montant", "radio", "checkboxes", "texte", "mois_annee"]
    label: str | dict[str, str]    # by role (demandeur / conjoint / enfant) when it differs
    hint: str | dict[str, str] | None = None
    options: tuple[Option, ...] = ()
    fact: str | None = None        # catalog fact; None: read by every rule (household composition)
    required: str | dict[str, str] | None = None  # error message when left empty
    suffix: str | None = None
    width: int = 10                # characters, for text inputs
    autocomplete: str | None = None
    recap_label: str | dict[str, str] | None = None
    ages: tuple[int, int] | None = None  # the ages at which `required` applies (a child's school: 10 to 19)


def _by_role(value: str | dict[str, str] | None, role: str) -> str | None:
    return value.get(role) if isinstance(value, dict) else value


OUI_NON = (Option(OUI, "Oui"), Option(NON, "Non"))
JE_NE_SAIS_PAS = Option("", "Je ne sais pas")


def _dependents(f: Fact, value: str | bool) -> list[Fact]:
    """The registry's facts of the same person asked only under this answer (shown under the option)."""
    return [g for g in core_facts().values()
            if g.entite == f.entite and list(g.si) == [f.id] and g.si[f.id] == [value]]


def fact_field(fact_id: str, **overrides: Any) -> Field:
    """A questionnaire field made from the registry's entry: question, hint, answers, messages."""
    f = core_facts()[fact_id]

    def option(value: str, answer: str | bool, label: str, hint: str | None = None) -> Option:
        return Option(value, label, hint, reveal=tuple(fact_field(g.id) for g in _dependents(f, answer)))

    if f.type == "bool":
        options = (option(OUI, True, "Oui"), option(NON, False, "Non"))
    else:
        options = tuple(option(v.valeur, v.valeur, v.libelle, v.aide) for v in f.valeurs)
        if f.type == "taux":
            options += (JE_NE_SAIS_PAS,)
    values: dict[str, Any] = dict(
        name=f"{{p}}.{f.champ}" if f.entite == "individu" else f"l.{f.champ}",
        kind="radio" if f.enumerable else "montant" if f.type == "montant" else "texte",
        label=f.question, hint=f.aide, options=options, fact=None if f.toujours else f.id, required=f.requis,
        recap_label=f.libelle, ages=f.age,
    )
    return Field(**{**values, **overrides})


def person_fields(role: str) -> tuple[Field, ...]:
    """A person's page: the registry's facts of their role, in its order (a dependent one under its answer)."""
    return tuple(fact_field(f.id) for f in person_facts(role)
                 if f.formulaires and not any(other in core_facts() for other in f.si))
AGE = Field(
    "{p}.age", "entier",
    {"demandeur": "Quel âge avez-vous ?", "conjoint": "Quel âge a votre conjoint ?",
     "enfant": "Quel âge a cet enfant ?"},
    hint="En années.", suffix="ans", width=3,
    required={"demandeur": "Indiquez votre âge.", "conjoint": "Indiquez l'âge de votre conjoint.",
              "enfant": "Indiquez l'âge de l'enfant."},
    recap_label="Âge",
)

NAISSANCE = Field(
    f"{{p}}.{BIRTH_MONTH}", "mois_annee", "Quand cet enfant est-il né ?",
    hint="Le mois et l'année, par exemple 3 et 2019 pour mars 2019.",
    required="Indiquez le mois et l'année de naissance de l'enfant.", recap_label="Né en",
)


@dataclass
class Context:
    """What the pages and fields depend on: the answers so far and the facts the rules need."""

    state: dict[str, str]
    needed: set[str]
    catalog_ids: set[str]

    def age(self, prefix: str) -> int | None:
        return age_in_state(self.state, prefix)


# Kinds of income, and whom they concern (no pension question for a 25-year-old).
def _ressource_applies(kind: str, ctx: Context, p: str) -> bool:
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


def _prestation_applies(key: str, ctx: Context, person: Person) -> bool:
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


def extension_questions_asked(ctx: Context) -> list[Fact]:
    """Questions declared by extensions for this commune that an applicable catalog entry requires.

    Their `applicable` note (e.g. "Personnes de 60 ans et plus") is free text: while it is not machine
    readable, a question an entry requires is asked to everyone in its territory, so that the entry is
    computed (refused with its reason) rather than shown as "not calculable". Once the resources are
    known, a question whose every answer gives the same results is not asked (`SANS_EFFET`)."""
    skipped = set(split_list(ctx.state.get(SANS_EFFET)))
    return [q for q in applicable_questions(depcom_of(ctx.state))
            if q.id in ctx.needed and q.id not in skipped and _concerns_demandeur(q, ctx)]


def _concerns_demandeur(question: Fact, ctx: Context) -> bool:
    """A person's extension question (asked of the demandeur) applies at their age and answers (`si`)."""
    if question.entite != "individu":
        return True
    if not question.at_age(ctx.age("d")):
        return False
    answers: dict[str, Any] = {}
    for other in question.si:
        f = core_facts().get(other)
        raw = ctx.state.get(field_name("d", f)) if f is not None else None
        try:
            answers[other] = read_answer(f, raw) if f is not None and raw else None
        except ValueError:
            answers[other] = None
    return question.applies_given(answers)


SANS_EFFET = "_sans_effet"  # the extension questions whose answer changes no result for this household


def answers_without_effect(state: dict[str, str], catalog: Sequence[Benefit], engine: Any) -> str:
    """The extension questions (comma-joined ids) that change no benefit of the household as answered so
    far: the engine computes it under each of their answers (`Engine.facts_that_matter`)."""
    unanswered = {k: v for k, v in state.items() if not k.startswith("x.") and k != SANS_EFFET}
    try:
        household = state_to_household(prune(unanswered, catalog))
    except FormErrors:
        return ""
    extension = {q.id for q in applicable_questions(household.logement.depcom)}
    matter = engine.facts_that_matter(household)
    return ",".join(sorted(key.split(":")[0] for key, benefits in matter.items()
                           if not benefits and key.split(":")[0] in extension))


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


def field_needed(f: Field, ctx: Context) -> bool:
    return f.fact is None or f.fact in ctx.needed


@dataclass
class BoundField:
    """A field for one person, with its value and error, ready for the template."""

    field: Field
    name: str
    label: str
    hint: str | None
    value: str
    error: str | None = None
    options: list[BoundOption] = field(default_factory=list)
    second_value: str = ""  # the year of a month and year

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("@", "-")

    @property
    def values(self) -> list[str]:
        return split_list(self.value)

    @property
    def names(self) -> list[str]:
        """The form inputs of this field: two for a month and year (`…naissance_mois`, `…naissance_annee`)."""
        if self.field.kind == "mois_annee":
            return [self.name, self.second_name]
        return [self.name]

    @property
    def second_name(self) -> str:
        return self.name.replace(BIRTH_MONTH, BIRTH_YEAR)

    @property
    def second_id(self) -> str:
        return "f-" + self.second_name.replace(".", "-")


@dataclass
class BoundOption:
    value: str
    label: str
    hint: str | None
    checked: bool
    reveal: list[BoundField] = field(default_factory=list)


def bind(f: Field, ctx: Context, person: Person | None, errors: dict[str, str]) -> BoundField:
    role = person.role if person else "demandeur"
    name = f.name.replace("{p}", person.prefix if person else "d")
    value = ctx.state.get(name, "")
    bound = BoundField(f, name, _by_role(f.label, role) or "", _by_role(f.hint, role), value, errors.get(name))
    if f.kind == "mois_annee":
        bound.second_value = ctx.state.get(bound.second_name, "")
    for option in f.options:
        reveal = [bind(r, ctx, person, errors) for r in option.reveal if field_needed(r, ctx)]
        checked = option.value in bound.values if f.kind == "checkboxes" else value == option.value
        if f.kind == "radio" and option.value == "" and name in ctx.state and value == "":
            checked = True
        bound.options.append(BoundOption(option.value, option.label, option.hint, checked, reveal))
    return bound


def commune_choice(state: dict[str, str]) -> list[Field]:
    """Which commune, when the postcode typed serves several (a radio list under the postcode)."""
    communes = shared_postcode_communes(state)
    if not communes:
        return []
    return [Field(COMMUNE_CHOICE, "radio", "Dans quelle commune habitez-vous ?",
                  hint=f"Le code postal {state.get('l.commune', '').strip()} est celui de plusieurs communes.",
                  options=tuple(Option(c.depcom, c.nom) for c in communes), fact="depcom",
                  required=COMMUNE_CHOICE_MISSING, recap_label="Commune")]


def _amount_field(name: str, label: str, hint: str | None = None) -> Field:
    return Field(name, "montant", label, hint=hint, suffix="€ par mois", width=10)


def step_fields(step: Step, ctx: Context, errors: dict[str, str] | None = None) -> list[BoundField]:
    """The fields shown on this step (nested revealed fields hang under their option)."""
    errors = errors or {}
    page, person = step.page, step.person
    if page.kind == "questions":
        fields = [f for f in page.fields if field_needed(f, ctx)]
        if page.id == "logement" and "depcom" in ctx.needed:
            fields += commune_choice(ctx.state)
        return [bind(f, ctx, person, errors) for f in fields]
    if page.kind == "extensions":
        result = []
        for question in extension_questions_asked(ctx):
            name = f"x.{question.id}"
            label = question.question_for()
            if question.type == "bool":
                f = Field(name, "radio", label, hint=question.aide, options=OUI_NON,
                          required=question.requis, recap_label=label)
            else:
                f = Field(name, "montant" if question.type == "montant" else "entier", label,
                          hint=question.text(question.aide), required=question.requis, width=10, recap_label=label)
            result.append(bind(f, ctx, None, errors))
        return result
    if page.kind == "revenus" and person is not None:
        p = person.prefix
        options = tuple(
            Option(kind, label, reveal=(_amount_field(f"{p}.{kind}", f"{label} : montant net par mois",
                                                      "Ce que vous recevez sur votre compte, avant l'impôt à la "
                                                      "source. Par exemple 1 250,50." if kind == "salaire_net"
                                                      else None),))
            for kind, label in RESSOURCES.items() if _ressource_applies(kind, ctx, p))
        label = ("Quels revenus recevez-vous en ce moment ?" if person.role == "demandeur"
                 else "Quels revenus votre conjoint reçoit-il en ce moment ?")
        f = Field(f"{p}.revenus", "checkboxes", label,
                  hint="Cochez tout ce qui est reçu chaque mois, puis indiquez le montant net. "
                       "Ne cochez rien s'il n'y a aucun revenu.", options=options, recap_label="Revenus")
        return [bind(f, ctx, person, errors)]
    if page.kind == "prestations":
        result = []
        adults = [p for p in people(ctx.state) if p.role != "enfant"]
        for adult in adults:
            keys = PRESTATIONS_INDIVIDUELLES if adult.role == "conjoint" else tuple(PRESTATIONS_DECLARABLES)
            options = tuple(
                Option(key, PRESTATIONS_DECLARABLES[key], reveal=(_amount_field(
                    f"{adult.prefix}.p.{key}", f"{PRESTATIONS_DECLARABLES[key]} : montant par mois"),))
                for key in keys if _prestation_applies(key, ctx, adult))
            if not options:
                continue
            if adult.role == "demandeur":
                label = ("Quelles aides votre foyer reçoit-il déjà ?" if ctx.state.get("couple") == OUI
                         else "Quelles aides recevez-vous déjà ?")
            else:
                label = "Quelles aides votre conjoint reçoit-il déjà à son nom ?"
            f = Field(f"{adult.prefix}.prestations", "checkboxes", label,
                      hint="Cochez les aides versées en ce moment et indiquez le montant du dernier mois. "
                           "Ne cochez rien si vous n'en recevez aucune.", options=options,
                      recap_label="Aides déjà reçues")
            result.append(bind(f, ctx, adult, errors))
        return result
    return []


def steps(state: dict[str, str], catalog: Sequence[Benefit]) -> list[Step]:
    """The pages of the flow for these answers, in order, up to the results."""
    ctx = context(state, catalog)
    result: list[Step] = []
    persons = people(state)
    for page in PAGES:
        instances: list[Person | None] = (
            [p for p in persons if p.role in page.roles] if page.roles else [None])
        for person in instances:
            if not page.applies(ctx, person):
                continue
            if page.facts and not any(fact in ctx.needed for fact in page.facts):
                continue
            step = Step(page, person)
            if page.kind not in ("recap", "resultats") and not step_fields(step, ctx):
                continue
            result.append(step)
    return result


def find_step(state: dict[str, str], catalog: Sequence[Benefit], key: str) -> Step | None:
    return next((s for s in steps(state, catalog) if s.key == key), None)


def _all_names(fields: list[BoundField]) -> list[str]:
    names = []
    for bound in fields:
        names += bound.names
        for option in bound.options:
            names += _all_names(option.reveal)
    return names


def step_names(step: Step, ctx: Context) -> list[str]:
    return _all_names(step_fields(step, ctx))


def apply_submission(step: Step, state: dict[str, str], form: dict[str, list[str]],
                     catalog: Sequence[Benefit]) -> dict[str, str]:
    """The answers after this page's submission: its fields replaced by what was sent.

    A field that this page shows only once another of its answers is known (which commune, for a postcode
    that serves several) is read in a second round, on the answers of the first.
    """
    new = _apply(step, state, state, form, catalog)
    return _apply(step, new, state, form, catalog) if commune_choice(new) else new


def _apply(step: Step, fields_of: dict[str, str], state: dict[str, str], form: dict[str, list[str]],
           catalog: Sequence[Benefit]) -> dict[str, str]:
    new = dict(state)
    ctx = context(fields_of, catalog)
    for bound in step_fields(step, ctx):
        names = _all_names([bound])
        for name in names:
            new.pop(name, None)
        if bound.field.kind == "checkboxes":
            new[bound.name] = ",".join(v for v in form.get(bound.name, []) if v)
        else:
            for name in bound.names:
                if name in form:
                    new[name] = (form[name][-1] or "").strip()
        for option in bound.options:
            for name in _all_names(option.reveal):
                if name in form:
                    new[name] = (form[name][-1] or "").strip()
    if step.page.id == "foyer" and "nb_enfants" in new:
        new["nb_enfants"] = new["nb_enfants"].strip()
    return new


def _required(bound: BoundField, role: str) -> str | None:
    return _by_role(bound.field.required, role)


def validate_step(step: Step, state: dict[str, str], catalog: Sequence[Benefit]) -> dict[str, str]:
    """French messages, keyed by field, for what is missing or wrong on this page."""
    ctx = context(state, catalog)
    role = step.person.role if step.person else "demandeur"
    errors: dict[str, str] = {}
    fields = step_fields(step, ctx)
    names = set(_all_names(fields))
    _, input_errors, _ = state_to_data(state)
    for name, message in input_errors.errors.items():  # the most precise wording first
        if name in names:
            errors[name] = message

    def check(bound: BoundField) -> None:
        raw = state.get(bound.name, "")
        message = _required(bound, role)
        ages = bound.field.ages
        if ages and step.person is not None and not ages[0] <= (ctx.age(step.person.prefix) or 0) <= ages[1]:
            message = None
        if message and not any(state.get(name) for name in bound.names):
            errors[bound.name] = message
        if bound.field.kind == "entier" and raw:
            try:
                value = parse_entier(raw)
            except ValueError:
                errors.setdefault(bound.name, "Écrivez un nombre entier avec des chiffres, par exemple 2.")
            else:
                if bound.name == "nb_enfants" and value > 12:
                    errors[bound.name] = "Le simulateur compte au plus 12 enfants."
        if bound.field.kind in ("radio",) and raw and raw not in [o.value for o in bound.options]:
            errors[bound.name] = "Choisissez une réponse dans la liste."
        for option in bound.options:
            if option.checked:
                for child in option.reveal:
                    check(child)
    for bound in fields:
        check(bound)
    # What the household model itself refuses, for this page's fields.
    try:
        state_to_household(known_at(step, state, catalog))
    except FormErrors as error:
        for name, message in error.errors.items():
            if name in names:
                errors.setdefault(name, message)
    order = {name: index for index, name in enumerate(_all_names(fields))}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], 0)))


def known_at(step: Step, state: dict[str, str], catalog: Sequence[Benefit]) -> dict[str, str]:
    """The household as known on this page: the answers up to it, and only the children already asked
    about (a later child, without an age yet, would stop the household's checks across people, e.g. a
    child at least 12 years younger than its parents, from reaching this child's page)."""
    known = prune(state, catalog, upto=step.key)
    reached = 0
    for each in steps(state, catalog):
        if each.person is not None and each.person.role == "enfant":
            reached = each.person.index
        if each.key == step.key:
            break
    if nb_enfants(known) > reached:
        known["nb_enfants"] = str(reached)
    return known


def prune(state: dict[str, str], catalog: Sequence[Benefit], upto: str | None = None) -> dict[str, str]:
    """Only the answers to questions the flow asks now (stale answers to skipped pages are dropped)."""
    ctx = context(state, catalog)
    kept: dict[str, str] = {key: state[key] for key in ("mois",) if key in state}
    for step in steps(state, catalog):
        for name in step_names(step, ctx):
            if name in state:
                kept[name] = state[name]
        if step.key == upto:
            break
    return kept


def recap_rows(state: dict[str, str], catalog: Sequence[Benefit]) -> list[dict]:
    """For the check-your-answers page: per step, each question and its answer in words."""
    ctx = context(state, catalog)
    sections = []
    for step in steps(state, catalog):
        if step.page.kind in ("recap", "resultats"):
            continue
        rows = []
        role = step.person.role if step.person else "demandeur"
        for bound in step_fields(step, ctx):
            rows += _recap_field(bound, role)
        sections.append({"step": step, "rows": rows})
    return sections


def _recap_field(bound: BoundField, role: str) -> list[dict]:
    label = _by_role(bound.field.recap_label, role) or bound.label
    if bound.field.kind == "checkboxes":
        chosen = [o for o in bound.options if o.checked]
        if not chosen:
            return [{"label": label, "value": "Aucun" if bound.field.name.endswith("revenus") else "Aucune"}]
        rows = []
        for option in chosen:
            amount = option.reveal[0].value if option.reveal else ""
            rows.append({"label": option.label, "value": f"{amount} € par mois" if amount else "Oui"})
        return rows
    if bound.field.kind == "radio":
        chosen = next((o for o in bound.options if o.checked), None)
        rows = [{"label": label, "value": chosen.label if chosen else "Sans réponse"}]
        if chosen:
            for child in chosen.reveal:
                rows += _recap_field(child, role)
        return rows
    value = bound.value
    if bound.field.kind == "mois_annee":
        value = month_and_year(value, bound.second_value)
    elif value and bound.field.suffix:
        value = f"{value} {bound.field.suffix}"
    return [{"label": label, "value": value or "Sans réponse"}]



def first_incomplete(state: dict[str, str], catalog: Sequence[Benefit]) -> Step | None:
    for step in steps(state, catalog):
        if step.page.kind in ("recap", "resultats"):
            return None
        if validate_step(step, state, catalog):
            return step
    return None


def child_count(state: dict[str, str]) -> int:
    return nb_enfants(state)
