"""The forms' answers (`answers`), their fields built from the facts registry (`fields` for the guided
questionnaire, `one_page` for the caseworker), answers <-> Household (`household`) and the answers file."""
