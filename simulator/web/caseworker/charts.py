"""Server-rendered SVG line chart for the what-if page (no JavaScript chart library).

The data table beside it is the accessible source; the SVG is `role="img"` with a title and a short
description that says what the curves show and where the cliffs are. Colours differ in hue and in line
style (solid, dashed, dotted), each at a 3:1 contrast at least on white.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from simulator.web.presentation import euros

WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 100, 24, 24, 64
FONT = 18  # user units: about 16 px at 760 px wide, 13 px at the 34rem minimum width on a phone
# (colour, dash pattern) for the benefits; the disposable income is the thick dark line.
STYLES = (("#1d4f91", ""), ("#00703c", "8 4"), ("#b42318", "2 4"), ("#6f3d9e", "10 4 2 4"),
          ("#8a5300", "4 4"), ("#005f73", "12 3"), ("#a3195b", "1 3"), ("#4a5a00", "6 2 2 2"),
          ("#1d4f91", "2 2"), ("#00703c", "12 2 2 2"), ("#b42318", ""), ("#6f3d9e", "5 2"))
REVENU = ("#0b0c0c", "")
RESSOURCES = ("#505a5f", "3 3")


def style_for(index: int) -> tuple[str, str]:
    return STYLES[index % len(STYLES)]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 100.0
    for step in (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if value / step <= 6:
            return step * -(-value // step)
    return value


def _net(point: Any) -> float:
    """Disposable income after what the household pays (revenus nets + aides − ce qui est payé)."""
    return point.revenu_net if getattr(point, "revenu_net", None) is not None else point.revenu_disponible


def legend(labels: dict[str, str], ids: list[str]) -> list[dict[str, str]]:
    items = [{"label": "Revenu disponible (ressources + aides − ce qui est payé)", "couleur": REVENU[0],
              "tirets": REVENU[1], "epais": "1"},
             {"label": "Ressources déclarées", "couleur": RESSOURCES[0], "tirets": RESSOURCES[1], "epais": ""}]
    for index, aide_id in enumerate(ids):
        colour, dash = style_for(index)
        items.append({"label": labels.get(aide_id, aide_id), "couleur": colour, "tirets": dash, "epais": ""})
    return items


def svg(variation: Any, labels: dict[str, str], ids: list[str], current: float | None = None) -> Markup:
    points = variation.points
    xmax = points[-1].valeur or 1.0
    ymax = _nice_max(max(max(_net(p) for p in points), max(p.ressources for p in points), 1.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(value: float) -> float:
        return round(LEFT + plot_w * value / xmax, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / ymax), 1)

    def line(values: list[float], colour: str, dash: str, width: float) -> str:
        path = " ".join(f"{x(p.valeur)},{y(v)}" for p, v in zip(points, values, strict=True))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"'
                f'{dash_attr} stroke-linejoin="round"/>')

    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#b1b4b6"/>']
    for i in range(6):  # horizontal grid and amounts
        value = ymax * i / 5
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" y2="{y(value)}" stroke="#dbdad9"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y(value) + 6}" text-anchor="end" font-size="{FONT}" '
                     f'fill="#0b0c0c">{escape(euros(value))} €</text>')
    for i in range(5):  # vertical ticks
        value = xmax * i / 4
        parts.append(f'<line x1="{x(value)}" x2="{x(value)}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 6}" '
                     f'stroke="#0b0c0c"/>')
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        parts.append(f'<text x="{x(value)}" y="{TOP + plot_h + 26}" text-anchor="{anchor}" font-size="{FONT}" '
                     f'fill="#0b0c0c">{escape(euros(value))} €</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" font-size="{FONT}" '
                 f'fill="#0b0c0c">Montant mensuel de la ressource qui varie</text>')
    for index, aide_id in enumerate(ids):
        colour, dash = style_for(index)
        parts.append(line([p.aides.get(aide_id, 0.0) for p in points], colour, dash, 2.5))
    parts.append(line([p.ressources for p in points], RESSOURCES[0], RESSOURCES[1], 2))
    parts.append(line([_net(p) for p in points], REVENU[0], REVENU[1], 4))
    if current is not None and 0 <= current <= xmax:
        parts.append(f'<line x1="{x(current)}" x2="{x(current)}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#0b0c0c" '
                     f'stroke-dasharray="1 5" stroke-width="2"/>')
        parts.append(f'<text x="{min(x(current) + 6, WIDTH - RIGHT - 110)}" y="{TOP + 20}" font-size="{FONT}" '
                     f'fill="#0b0c0c">Aujourd\'hui</text>')
    at = {p.valeur: _net(p) for p in points}
    for falaise in variation.falaises:
        parts.append(f'<circle cx="{x(falaise.a)}" cy="{y(at.get(falaise.a, falaise.revenu_apres))}" r="7" fill="none" '
                     f'stroke="#b42318" stroke-width="3"/>')
    cliffs = len(variation.falaises)
    description = (f"Courbes du revenu disponible, des ressources et de {len(ids)} aide(s) pour une ressource de "
                   f"0 à {euros(xmax)} € par mois. "
                   + (f"{cliffs} endroit(s) où gagner plus fait baisser le revenu disponible, entourés en rouge. "
                      if cliffs else "Le revenu disponible ne baisse jamais quand la ressource augmente. ")
                   + "Les valeurs exactes sont dans le tableau.")
    return Markup(
        f'<svg class="graphe" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="graphe-titre graphe-desc" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f'<title id="graphe-titre">Revenu disponible et aides selon la ressource</title>'
        f'<desc id="graphe-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>")
