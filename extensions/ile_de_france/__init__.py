"""Tarification Solidarité Transport d'Île-de-France Mobilités, extension OpenFisca-France (README.md).

Le simulateur charge ce dossier comme extension (simulator/paths.py), comme extensions/paris/.
Les variables sont dans variables/, les paramètres dans parameters/.
"""
