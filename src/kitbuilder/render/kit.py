"""Everything a writer needs to produce one kit, prepared once per kit."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .templates import environment


@dataclass(frozen=True)
class Paths:
    content: Path
    layouts: Path
    locales: Path
    brand: Path | None = None  # the emblem's folder: a project's own, else layouts/brand
    output: Path | None = None  # the output folder, whose last calendars the new ones update

    @property
    def brand_dir(self) -> Path:
        return self.brand or self.layouts / "brand"

    @property
    def readable_roots(self) -> tuple[Path, ...]:
        return (self.content, self.layouts, self.brand_dir)


@dataclass
class KitRender:
    """One country's kit in one language, ready for any writer."""

    country: str
    lang: str
    source_lang: str
    context: dict[str, Any]
    paths: Paths

    @property
    def title(self) -> str:
        return f"{self.context['workshop']['title']} — {self.context['kit']['country_name']}"

    @property
    def subject(self) -> str:
        workshop = self.context["workshop"]
        return f"{workshop['subtitle']} · {workshop['kind']} · {workshop['date_long']}"

    @cached_property
    def emblem_data_uri(self) -> str:
        svg = (self.paths.brand_dir / "emblem.svg").read_bytes()
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

    def css(self, *names: str) -> str:
        return read_styles(self.paths.layouts, names)

    def html(self, target: str, css: str | None, template: str = "kit.html.j2",
             **overrides) -> str:
        """``css``: inlined in a <style> element, none when None (the PDF passes its
        stylesheets to WeasyPrint). ``overrides``: context entries one format renders
        differently (the PDF: its edition)."""
        env = environment(self.paths.layouts, self.paths.locales, self.lang)
        return env.get_template(template).render(
            **{**self.context, **overrides},
            target=target,
            css=None if css is None else Markup(css),
            emblem_src=self.emblem_data_uri,
            source_lang=self.source_lang,
        )


def read_styles(layouts: Path, names: tuple[str, ...]) -> str:
    return "\n".join((layouts / "styles" / name).read_text(encoding="utf-8") for name in names)
