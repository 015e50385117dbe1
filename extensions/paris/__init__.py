"""Aides sociales facultatives de la Ville de Paris, extension OpenFisca-France (README.md).

Installé, ce dossier est le module `openfisca_paris_simulateur` ; le simulateur le charge aussi comme dossier
(simulator/paths.py). Les variables sont dans variables/, les paramètres dans parameters/.
"""
