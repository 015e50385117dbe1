"""What `vulture` (configured in pyproject.toml, run by tests/test_dead_code.py) cannot see being used.

Not imported by anything: vulture reads this file with the code, and each name written here counts as
used. Add a name only with the reason it is not dead; remove it when the reason goes.
"""

# ruff: noqa: B018
from simulator.api.app import create_app
from simulator.api.settings import Settings
from simulator.engine import reset_engine
from simulator.engine.openfisca.speedups import stock_openfisca
from simulator.territory import commune_name

_ = object()

# Called by uvicorn as the app factory (simulator.server.APP, a string).
create_app

# pydantic-settings calls this hook, with these keyword names.
Settings.settings_customise_sources
_.env_settings
_.dotenv_settings
_.file_secret_settings

# Fields of the API's answers (pydantic models serialised to JSON, described in the OpenAPI document).
_.erreur  # errors.Erreur
_.openfisca_france  # health.Sante
_.openfisca_core
_.mois_couverts
_.comment  # Demarches (catalog and results)
_.ou
_.pieces
_.premiers_mois  # results.AideResult
_.noeuds  # explain.Explication
_.noeuds_trace

# Fields read by the Jinja templates (simulator/web/templates).
_.up  # caseworker.page.Change: _resultats.html
_.autocomplete  # forms.fields: macros.html
_.second_id
_.note  # forms.one_page blocks: accompagnement/macros.html
_.open
_.eps  # presentation: resultats.html, _resultats.html, recap_pdf.html
_.intro  # questionnaire.pages: question.html
_.accueil  # territories.Territory: accueil.html
_.codes_postaux  # forms.one_page blocks: accompagnement/macros.html
_.nombre_hors_situation  # presentation.Resultats: resultats.html

# logging: the access record's message, rewritten by server.PrivateAccessFilter.
_.msg

# Used by the tests only: the engine rebuilt for another extensions folder, OpenFisca without the shortcuts.
reset_engine
stock_openfisca

# The commune's name for an INSEE code: read by tests/test_postcodes.py, kept for the pages that will
# name the commune a shared postcode resolved to.
commune_name

# Dask calls a worker plugin's `setup(worker=...)` by that keyword (simulator/batch/on_dask.py).
_.setup
_.worker

# Writing CSV inputs: used by tests/test_batch.py and benchmarks/batch_benchmark.py.
_.csv_columns
_.csv_rows
