"""Caseworker mode (`/accompagnement`): the one page (`page`), what-if, comparison and calculation detail
(`tools`), exports (`exports`), the what-if chart (`charts`); `routes` gathers their routers."""
