"""A person going through the questionnaire in Chromium: fill, check, screenshot, axe, page by page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from simulator.web.forms.answers import split_list

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""
ACTIVE = """() => {
  const e = document.activeElement;
  if (!e) return {};
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', value: e.value || '',
          checked: !!e.checked, id: e.id || '', text: (e.textContent || '').trim(),
          action: e.getAttribute('value') || '', href: e.getAttribute('href') || ''};
}"""


@dataclass
class Visit:
    """One run through the flow: pages seen, accessibility violations, requests to other hosts."""

    page: object
    name: str
    screenshots: Path | None
    axe_path: Path | None
    base_url: str
    pages: list[str] = field(default_factory=list)
    violations: dict[str, list] = field(default_factory=dict)
    foreign_requests: list[str] = field(default_factory=list)
    overflows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        host = urlparse(self.base_url).netloc

        def on_request(request) -> None:
            parsed = urlparse(request.url)
            if parsed.scheme in ("data", "about", "blob"):
                return
            if parsed.netloc != host:
                self.foreign_requests.append(request.url)
        self.page.on("request", on_request)

    @property
    def key(self) -> str:
        main = self.page.query_selector("main")
        return (main.get_attribute("data-page") if main else None) or "accueil"

    def arrived(self, label: str | None = None) -> None:
        """Record the page now shown: its key, an axe check, screenshots at 1280 and 360 px."""
        key = label or self.key
        self.pages.append(key)
        index = len(self.pages)
        if self.axe_path is not None:
            self.page.add_script_tag(path=str(self.axe_path))
            found = self.page.evaluate(AXE_RUN, AXE_TAGS)
            if found:
                self.violations[f"{index:02d}-{key}"] = found
        if self.screenshots is not None:
            safe = re.sub(r"[^A-Za-z0-9_-]", "-", key)
            for width in (1280, 360):
                self.page.set_viewport_size({"width": width, "height": 900})
                self.page.screenshot(path=str(self.screenshots / f"{self.name}-{index:02d}-{safe}-{width}.png"),
                                     full_page=True)
            self.page.set_viewport_size({"width": 1280, "height": 900})
        # Reflow (WCAG 1.4.10): at 320 px wide, nothing needs scrolling sideways.
        self.page.set_viewport_size({"width": 320, "height": 900})
        overflow = self.page.evaluate("document.documentElement.scrollWidth")
        if overflow > 320:
            self.overflows[f"{index:02d}-{key}"] = overflow
        self.page.set_viewport_size({"width": 1280, "height": 900})

    # Mouse-and-keyboard person ---------------------------------------------------------------------

    def fill_page(self, answers: dict[str, str]) -> None:
        page = self.page
        inputs = page.query_selector_all("form.formulaire input")
        for element in inputs:  # choices first: they reveal the fields that depend on them
            kind, name, value = (element.get_attribute(a) or "" for a in ("type", "name", "value"))
            if kind == "radio" and answers.get(name) == value and name in answers:
                element.check()
            elif kind == "checkbox" and value in split_list(answers.get(name)):
                element.check()
        for element in page.query_selector_all("form.formulaire input[type=text]"):
            name = element.get_attribute("name") or ""
            if name in answers and element.is_visible():
                element.fill(answers[name])

    def submit(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.click(button)

    def run(self, answers: dict[str, str], max_pages: int = 30) -> None:
        """From the home page to the results, answering from `answers`."""
        self.page.goto(self.base_url + "/")
        self.arrived()
        self.submit("text=Commencer")
        for _ in range(max_pages):
            self.arrived()
            key = self.key
            if key == "resultats":
                return
            if key == "recapitulatif":
                self.submit("#voir-resultats")
                continue
            self.fill_page(answers)
            self.submit("form.formulaire button[value=continuer]")
        raise AssertionError(f"pas de résultats après {self.pages}")

    # Keyboard-only person ----------------------------------------------------------------------------

    def active(self) -> dict:
        return self.page.evaluate(ACTIVE)

    def keyboard_page(self, answers: dict[str, str]) -> None:
        """Tab through the page, answer each field met, press Enter on the page's main button."""
        keyboard = self.page.keyboard
        done_groups: set[str] = set()
        for _ in range(300):
            keyboard.press("Tab")
            info = self.active()
            tag, kind, name = info.get("tag"), info.get("type"), info.get("name")
            if tag == "a" and info.get("href") == "/simulateur":
                return self._enter()
            if tag == "button" and info.get("action") in ("continuer", "resultats"):
                return self._enter()
            if tag != "input" or name not in answers:
                continue
            if kind == "text":
                for _ in range(3):  # a loaded machine can drop keystrokes: check what the field holds
                    keyboard.press("Control+A")
                    keyboard.type(answers[name])
                    if self.active().get("value") == answers[name]:
                        break
            elif kind == "radio" and name not in done_groups:
                wanted = answers[name]
                for _ in range(12):
                    info = self.active()
                    if info.get("value") == wanted:
                        if not info.get("checked"):
                            keyboard.press("Space")
                        break
                    keyboard.press("ArrowDown")
                done_groups.add(name)
            elif kind == "checkbox":
                if (info.get("value") in split_list(answers[name])) != info.get("checked"):
                    keyboard.press("Space")
        raise AssertionError(f"bouton introuvable au clavier sur {self.key}")

    def _enter(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def keyboard_run(self, answers: dict[str, str], max_pages: int = 30) -> None:
        self.page.goto(self.base_url + "/")
        self.arrived()
        for _ in range(max_pages):
            self.keyboard_page(answers)
            self.arrived()
            if self.key == "resultats":
                return
        raise AssertionError(f"pas de résultats au clavier après {self.pages}")
