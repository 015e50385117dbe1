"""Server-rendered pages (Jinja2): the questionnaire, the caseworker mode, exports."""
