"""Layout strings vs. gettext catalogs: every msgid a layout prints must be translated."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problems
from ..locale import missing_messages

JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "encoding": "utf-8"}


def po_path(locales: Path, lang: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / "messages.po"


def layout_messages(layouts: Path) -> dict[str, tuple[Path, int]]:
    """msgid → (template, line) of its first use, extracted as `pybabel extract` does."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, tuple[Path, int]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(layouts), [("**.j2", "jinja2")], {"**.j2": JINJA_OPTIONS}
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, (Path(layouts) / filename, line))
    return found


def check_catalogs(layouts: Path, locales: Path, languages: list[str],
                   problems: Problems) -> None:
    from babel.messages.pofile import read_po

    used = layout_messages(layouts)
    for lang in languages:
        path = po_path(locales, lang)
        if not path.is_file():
            if lang == "en":
                continue  # msgids are English: without a catalog they print as written
            problems.warning(path, 0, f"no catalog for '{lang}': the layouts' own strings print "
                             f"in English; create it with `pybabel init -i {Path(locales).name}/"
                             f"messages.pot -d {Path(locales).name} -l {lang}`")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for msgid, (template, line) in sorted(used.items(), key=lambda kv: kv[1]):
            if msgid not in catalog:
                problems.warning(template, line, f"string \"{msgid}\" is not in {path}; run "
                                 "`pybabel extract` and `pybabel update` (see docs/translators.md)")
        for msgid, line in missing_messages(Path(locales), lang):
            problems.warning(path, line, f"\"{msgid}\" has no {lang} translation (empty msgstr)")
        for message in catalog:
            if message.id and message.fuzzy and message.string:
                problems.warning(path, message.lineno, f"\"{message.id}\" is marked fuzzy and is "
                                 "not used; check the translation and remove the fuzzy flag")
