"""Corrections d'OpenFisca-France (pas un territoire) : voir README.md et variables/logement_social.py."""
