"""Content files → model objects, keeping the line of every value for messages.

Nothing here raises on bad content: every problem goes into a ``Problems`` list so a
translator sees all of them in one run.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import Problems
from .files import link_outside, read_text, refuse_link
from .model import (
    BUILT_IN_DOCUMENTS,
    DATA_FILES,
    DEFAULT_KIT,
    Agenda,
    Country,
    CountryList,
    CountryWords,
    KitDocument,
    LanguageContent,
    MarkdownDocument,
    Participants,
    Project,
    WorkshopFacts,
    WorkshopText,
)
from .words import warn_about_plain_citations, warn_about_text
from .yaml_errors import locate


class LineDict(dict):
    """A YAML mapping that remembers its own line and each key's line (1-based)."""

    line = 0
    key_lines: dict[Any, int]


class LineList(list):
    line = 0
    item_lines: list[int]


# libyaml's parser when PyYAML has it (about 10× faster); same safe constructors and marks.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    def __init__(self, stream):
        super().__init__(stream)
        self.repeated_keys: list[tuple[Any, int, int]] = []  # (key, first line, later line)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping.key_lines:
            loader.repeated_keys.append((key, mapping.key_lines[key], line))
        else:
            mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    seq = LineList(loader.construct_sequence(node, deep=True))
    seq.line = node.start_mark.line + 1
    seq.item_lines = [item.start_mark.line + 1 for item in node.value]
    return seq


def _or_text(construct):
    """A scalar YAML resolves to a date or number but that cannot be one (2021-02-30, an int
    of 5,000 digits) stays text, so validation reports it at its line instead of a traceback."""

    def constructor(loader: _LineLoader, node: yaml.ScalarNode):
        try:
            return construct(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    return constructor


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            _or_text(yaml.constructor.SafeConstructor.construct_yaml_timestamp))
_LineLoader.add_constructor("tag:yaml.org,2002:int",
                            _or_text(yaml.constructor.SafeConstructor.construct_yaml_int))


def _first_anchor(text: str) -> int | None:
    """0-based line of the first anchor or alias, None when there is none.

    Content never needs them, and an alias is how a few hundred bytes expand into gigabytes
    ("billion laughs"), so they are refused before anything is built from the file.
    """
    if "&" not in text and "*" not in text:
        return None  # neither can be written without these characters: skip the extra parse
    loader = _LineLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event.start_mark.line
    finally:
        loader.dispose()
    return None


def read_yaml(path: Path, problems: Problems, text: str | None = None, first_line: int = 1,
              root: Path | None = None):
    """Parse YAML safely. Returns None after recording why: refused, unreadable, invalid or
    empty. ``root``: the folder the file must stay inside (see files.read_text)."""
    if text is None:
        text = read_text(path, problems, root)
        if text is None:
            return None
        if root is not None:  # content: its text values are printed in kits
            warn_about_text(path, text, first_line, problems, comment="#")
    try:
        anchor = _first_anchor(text)
        if anchor is not None:
            problems.error(path, anchor + first_line, "YAML anchors and aliases (&name, *name) "
                           "are not allowed in content files; write each value out in full")
            return None
        loader = _LineLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        for key, first, again in sorted(loader.repeated_keys, key=lambda r: r[2]):
            problems.error(path, again + first_line - 1, f"key '{key}' is repeated (first on "
                           f"line {first + first_line - 1}); keep one")
        if data is None:
            problems.error(path, first_line, "the file is empty (or only comments); "
                           "fill it in or delete it")
        return data
    except yaml.MarkedYAMLError as exc:
        line, what = locate(exc, text, first_line)
        problems.error(path, line, f"invalid YAML: {what}")
    except yaml.reader.ReaderError as exc:  # a position, not a mark
        line = text.count("\n", 0, exc.position) + first_line
        problems.error(path, line, f"invalid YAML: character U+{exc.character:04X} is not "
                       "allowed in YAML; remove it")
    except yaml.YAMLError as exc:
        problems.error(path, first_line, f"invalid YAML: {exc}")
    except RecursionError:
        problems.error(path, first_line, "nested too deeply to be content; flatten it")
    return None


def line_of(data: Any, loc: tuple) -> int:
    """The line of the deepest node along ``loc`` that has one."""
    line = getattr(data, "line", 0)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = getattr(node, "line", line) if isinstance(node, (LineDict, LineList)) else line
    return line


def _describe(error: dict) -> str:
    loc = error["loc"]
    keys = [str(p) for p in loc if isinstance(p, str) and p != "[key]"]
    field = keys[-1] if keys else "value"
    kind = error["type"]
    if kind == "missing":
        parent = f" (in '{keys[-2]}')" if len(keys) > 1 else ""
        return f"missing key '{field}'{parent}; add it"
    if kind == "extra_forbidden":
        return f"unknown key '{field}'; remove it or check its spelling"
    message = error["msg"].removeprefix("Value error, ")
    if kind == "value_error":
        # A rule about a whole list item (not one key) needs no key prefix.
        whole_item = not loc or isinstance(loc[-1], int) or loc[-1] == "[key]"
        return message if whole_item else f"{field}: {message}"
    return f"{field}: {message}; got {error.get('input')!r}"


def validate(model: type[BaseModel], data: Any, path: Path, problems: Problems, **extra):
    """Build ``model`` from YAML data, reporting every validation error with its line."""
    if not isinstance(data, dict):
        problems.error(path, getattr(data, "line", 1), "expected a mapping of keys to values")
        return None
    try:
        return model.model_validate({**data, **extra})
    except ValidationError as exc:
        for err in exc.errors():
            problems.error(path, line_of(data, err["loc"]) or 1, _describe(err))
        return None


def read_model(model: type[BaseModel], path: Path, problems: Problems, missing: str,
               root: Path | None = None):
    """Read one YAML file into ``model``: (raw data, model), either None when a problem was
    recorded; ``missing`` says what to do when the file is not there."""
    if not Path(path).is_file():
        problems.error(path, 0, missing)
        return None, None
    raw = read_yaml(Path(path), problems, root=root)
    if raw is None:
        return None, None
    return raw, validate(model, raw, Path(path), problems)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def read_markdown(path: Path, problems: Problems,
                  root: Path | None = None) -> MarkdownDocument | None:
    text = read_text(path, problems, root)
    if text is None:
        return None
    text = text.replace("\r\n", "\n")  # saved on Windows
    match = _FRONT_MATTER.match(text)
    if not match:
        problems.error(path, 1, "missing front matter: start the file with '---', "
                       "'title: ...', '---'")
        return None
    meta = read_yaml(path, problems, match.group(1), first_line=2)
    if meta is None:
        return None
    if not isinstance(meta, dict) or not meta.get("title"):
        problems.error(path, 2, "front matter needs a 'title'")
        return None
    body_line = text[: match.end()].count("\n") + 1
    warn_about_text(path, text, 1, problems)
    warn_about_plain_citations(path, text, problems)
    return MarkdownDocument(
        title=str(meta["title"]), body=text[match.end():], path=str(path), body_line=body_line
    )


def _with_lines(items_model, raw, path: Path, problems: Problems, list_key: str):
    """Validate a model whose list items should remember their own line."""
    items = raw.get(list_key) if isinstance(raw, LineDict) else None
    if isinstance(items, LineList):
        for item, line in zip(items, items.item_lines, strict=True):
            if isinstance(item, LineDict):
                item["line"] = line
    return validate(items_model, raw, path, problems)


def _load_countries(raw, path: Path, problems: Problems) -> list[Country]:
    """Each country on its own, so one bad entry does not hide the others' problems."""
    validate(CountryList, raw, path, problems)  # reports every entry's problems, with lines
    items = raw.get("countries") if isinstance(raw, LineDict) else None
    if not isinstance(items, LineList):
        return []
    countries = []
    for item, line in zip(items, items.item_lines, strict=True):
        if isinstance(item, LineDict):
            # An invalid entry was already reported, with its line, by the list validation.
            with contextlib.suppress(ValidationError):
                countries.append(Country.model_validate({**item, "line": line}))
    return countries


COUNTRY_WORDS_FILE = "countries.yaml"  # in a language folder: content.model.CountryWords


def load_language(content: Path, lang: str, problems: Problems,
                  markdown_files: list[str]) -> LanguageContent:
    folder = content / lang
    found: dict[str, Any] = {}
    markdown: dict[str, MarkdownDocument] = {}
    link = link_outside(folder, content)
    if link is not None:
        refuse_link(link, problems)
        return LanguageContent(lang=lang)
    for filename in [*DATA_FILES.values(), *markdown_files, COUNTRY_WORDS_FILE]:
        path = folder / filename
        link = link_outside(path, content)
        if link is not None:  # before anything follows the link, even to look at its target
            refuse_link(link, problems)
            continue
        if path.exists() and not path.is_file():
            problems.error(path, 0, "is a folder, not a file; remove it or move it away")
            continue
        if not path.is_file():
            continue
        if filename.endswith(".md"):
            doc = read_markdown(path, problems, root=content)
            if doc is not None:
                markdown[filename] = doc
            continue
        raw = read_yaml(path, problems, root=content)
        if raw is None:
            continue
        if filename == "workshop.yaml":
            found["workshop"] = validate(WorkshopText, raw, path, problems)
        elif filename == "agenda.yaml":
            found["agenda"] = _with_lines(Agenda, raw, path, problems, "slots")
        elif filename == "participants.yaml":
            found["participants"] = validate(Participants, raw, path, problems)
        elif filename == COUNTRY_WORDS_FILE:
            found["country_words"] = validate(CountryWords, raw, path, problems)
    # Optional: read through read_text, which refuses a link out of the content folder.
    found["references"] = _load_references(folder / "references.json", problems, content)
    return LanguageContent(lang=lang, markdown=markdown, **found)


def load_kit(content: Path, problems: Problems) -> tuple[KitDocument, ...] | None:
    """content/kit.yaml: the kit's chapters in order; the classic kit when there is none.

    Each entry is a Markdown file name (``logistics-note.md``), a built-in chapter
    (``agenda``, ``participants``, ``references``), or a mapping ``{file: x.md, append:
    [participants-summary]}``.
    """
    path = content / "kit.yaml"
    if not path.exists():
        return DEFAULT_KIT
    raw = read_yaml(path, problems, root=content)
    if raw is None:
        return None
    entries = raw.get("documents") if isinstance(raw, LineDict) else None
    if not isinstance(entries, LineList) or not entries:
        problems.error(path, getattr(raw, "line", 1), "kit.yaml needs 'documents:', a list of "
                       "the kit's chapters in order (e.g. concept-note.md, agenda, references)")
        return None
    if isinstance(raw, LineDict) and set(raw) - {"documents"}:
        extra = sorted(set(raw) - {"documents"}, key=str)[0]
        problems.error(path, raw.key_lines.get(extra, 1), f"unknown key '{extra}'; kit.yaml "
                       "has only 'documents'")
    kit: list[KitDocument] = []
    seen: dict[str, int] = {}
    for entry, line in zip(entries, entries.item_lines, strict=True):
        document = _kit_entry(entry, path, line, problems)
        if document is None:
            continue
        if document.id in seen:
            problems.error(path, line, f"'{document.id}' is listed twice (first on line "
                           f"{seen[document.id]}); keep one")
            continue
        seen[document.id] = line
        kit.append(document)
    return tuple(kit) if kit else None


def _kit_entry(entry: Any, path: Path, line: int, problems: Problems) -> KitDocument | None:
    hint = (f"use a Markdown file name like 'logistics-note.md' or one of "
            f"{', '.join(BUILT_IN_DOCUMENTS)}")
    if isinstance(entry, str):
        data: dict[str, Any] = ({"kind": "markdown", "file": entry} if entry.endswith(".md")
                                else {"kind": entry})
        if not entry.endswith(".md") and entry not in BUILT_IN_DOCUMENTS:
            problems.error(path, line, f"'{entry}' is not a document; {hint}")
            return None
    elif isinstance(entry, LineDict) and "file" in entry:
        data = {"kind": "markdown", **entry}
    elif isinstance(entry, LineDict) and "kind" in entry:
        data = dict(entry)
    else:
        problems.error(path, line, f"cannot read this entry; {hint}")
        return None
    file = data.get("file")
    if data.get("kind") == "markdown" and not (
            isinstance(file, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}\.md", file)):
        problems.error(path, line, f"'{file}' cannot name a Markdown document; use lower-case "
                       "letters, digits and dashes, ending in .md (like 'logistics-note.md')")
        return None
    return validate(KitDocument, _at_line(data, line), path, problems)


def _at_line(data: dict, line: int) -> LineDict:
    mapping = LineDict({**data, "line": line})
    mapping.line = line
    mapping.key_lines = {key: line for key in mapping}
    return mapping


def load_project(content: Path, problems: Problems) -> Project | None:
    """Read the whole content tree. Returns None when a problem stops loading."""
    content = Path(content)
    if not content.is_dir():
        problems.error(content, 0, "content folder not found; pass --content DIR")
        return None
    facts_path = content / "workshop.yaml"
    countries_path = content / "countries.yaml"
    facts = countries = facts_raw = None
    for required in (facts_path, countries_path):
        if required.is_dir():
            problems.error(required, 0, "is a folder, not a file; remove it or move it away")
        elif not required.is_file():
            problems.error(required, 0, f"missing file; every project needs {required.name}")
    if facts_path.is_file():
        facts_raw = read_yaml(facts_path, problems, root=content)
        if facts_raw is not None:
            facts = validate(WorkshopFacts, facts_raw, facts_path, problems)
    if countries_path.is_file():
        raw = read_yaml(countries_path, problems, root=content)
        if raw is not None:
            countries = _load_countries(raw, countries_path, problems)
    references = _load_references(content / "references.json", problems, content)
    kit = load_kit(content, problems)
    markdown_files = [d.file for d in kit or DEFAULT_KIT if d.file]
    if facts is None:
        # Still read the language folders, so their problems are reported in this run too.
        listed = facts_raw.get("languages") if isinstance(facts_raw, dict) else None
        for lang in listed if isinstance(listed, list) else []:
            if isinstance(lang, str) and (content / lang).is_dir():
                load_language(content, lang, problems, markdown_files)
        return None
    languages = {}
    for lang in facts.languages:
        if not (content / lang).is_dir():
            problems.error(facts_path, line_of(facts_raw, ("languages",)),
                           f"language '{lang}' has no folder {content / lang}; create it")
            continue
        languages[lang] = load_language(content, lang, problems, markdown_files)
    if facts.source_language not in facts.languages:
        problems.error(facts_path, line_of(facts_raw, ("source_language",)),
                       f"source_language '{facts.source_language}' is not listed in languages")
        return None
    if facts.source_language not in languages or kit is None:
        return None
    files = ["workshop.yaml", *(d.source_file for d in kit if d.source_file), "agenda.yaml"]
    for filename in facts.document_sources:
        if filename not in files:
            problems.error(facts_path, line_of(facts_raw, ("document_sources", filename)),
                           f"'{filename}' is not a document of the kit; use one of "
                           f"{', '.join(dict.fromkeys(files))}")
    # Load as much as possible even when a file is broken, so checks report everything at once.
    _check_reference_overrides(content, references, languages, problems)
    return Project(root=str(content), workshop=facts,
                   countries=countries or [],
                   references=references, languages=languages, kit=kit)


def _check_reference_overrides(content: Path, shared: list[dict],
                               languages: dict[str, LanguageContent], problems: Problems) -> None:
    """A language's references.json only re-words entries of the shared one."""
    known = {entry["id"] for entry in shared}
    for lang, language in languages.items():
        path = content / lang / "references.json"
        for entry in language.references:
            if entry["id"] not in known:
                problems.error(path, entry_line(path, entry["id"]),
                               f"reference '{entry['id']}' is not in references.json; an entry "
                               "here only changes how a shared reference reads in this language "
                               "(add it to content/references.json first, or fix the id)")


def entry_line(path: Path, key: str) -> int:
    """The line of a CSL JSON entry's ``"id": "key"`` (1 when it cannot be found)."""
    text = read_text(path, Problems(), path.parent.parent)  # read before: problems reported
    if text is None:
        return 1
    found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(str(key))), text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _load_references(path: Path, problems: Problems, root: Path | None = None) -> list[dict]:
    if not path.is_file():
        return []
    text = read_text(path, problems, root)
    if text is None:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.error(path, exc.lineno, f"invalid CSL JSON: {exc.msg}")
        return []
    except RecursionError:
        problems.error(path, 1, "invalid CSL JSON: nested too deeply; flatten it")
        return []
    if not isinstance(data, list) or not all(isinstance(d, dict) and "id" in d for d in data):
        problems.error(path, 1, "references.json must be a CSL JSON array of entries with an 'id'")
        return []
    return data
