"""The guided questionnaire: its pages as data (`pages`), the flow over them (`steps`), its routes."""
