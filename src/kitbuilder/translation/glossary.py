"""content/glossary.yaml: approved terms per language and variants not to use."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..content.files import read_text
from ..content.loader import read_yaml, validate
from ..errors import Problems
from .state import STATE_FILE

GLOSSARY_FILE = "glossary.yaml"


class Term(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    concept: str
    approved: dict[str, str]
    avoid: dict[str, list[str]] = {}


class Glossary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    terms: list[Term]


def load_glossary(content: Path, problems: Problems) -> Glossary | None:
    path = Path(content) / GLOSSARY_FILE
    if not path.is_file():
        return None
    raw = read_yaml(path, problems, root=Path(content))
    return None if raw is None else validate(Glossary, raw, path, problems)


def _pattern(variant: str) -> re.Pattern:
    words = r"\s+".join(re.escape(w) for w in variant.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.IGNORECASE)


def check_glossary(content: Path, languages: list[str], problems: Problems) -> None:
    glossary = load_glossary(content, problems)
    if glossary is None:
        return
    for lang in languages:
        rules = [(term, variant, _pattern(variant)) for term in glossary.terms
                 for variant in term.avoid.get(lang, [])]
        folder = Path(content) / lang
        if not rules or not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (path.suffix not in (".md", ".yaml", ".yml") or path.name == STATE_FILE
                    or not path.is_file()):
                continue
            text = read_text(path, Problems(), root=Path(content))
            if text is None:
                continue  # the content loader reports the file
            for number, line in enumerate(text.splitlines(), 1):
                if path.suffix != ".md" and line.lstrip().startswith("#"):
                    continue  # a YAML comment is not kit text
                for term, _variant, pattern in rules:
                    for match in pattern.finditer(line):
                        approved = term.approved.get(lang)
                        advice = f"; use '{approved}'" if approved else ""
                        problems.warning(path, number, f"'{match.group(0)}' is a variant to "
                                         f"avoid for '{term.concept}'{advice} (glossary.yaml)")
