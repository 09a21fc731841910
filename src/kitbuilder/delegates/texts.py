"""content/<lang>/delegates.yaml: what the letters and certificates say, owned by translators."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..content.loader import line_of, read_model
from ..delivery.recipients import (  # a subject and a body, as the kits' mail
    MAIL_FILE,
    MailText,
    load_mail_text,
)
from ..errors import Problems
from ..placeholders import in_files, placeholder_problems, refuse_unwritten

TEXT_FILE = "delegates.yaml"
# Filled per delegate and per workshop; a name is only ever text (escaped by the templates).
PLACEHOLDERS = ("name", "workshop", "conference", "conference_short", "kind", "dates", "place")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Signatory(_Model):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)


class LetterText(_Model):
    subject: str = Field(min_length=1)
    salutation: str = Field(min_length=1)
    body: list[str] = Field(min_length=1)
    closing: str = Field(min_length=1)


class CertificateText(_Model):
    certifies: str = Field(min_length=1)
    participated: str = Field(min_length=1)


class DocumentMail(_Model):
    """The message each delegate's own document goes with (`kitbuilder mail --document`)."""

    letter: MailText
    certificate: MailText


# The mail is written to one person: their name is allowed anywhere, and the sender's.
MAIL_PLACEHOLDERS = (*PLACEHOLDERS, "sender")


class DelegateTexts(_Model):
    signatory: Signatory
    place: str = Field(min_length=1)  # where a letter is signed, e.g. "Mexico City"
    virtual: str = Field(min_length=1)  # {place} of a virtual workshop, e.g. "online"
    at: str = Field(min_length=1)  # before the venue in {place}: "at" (the Centre, City)
    letter: LetterText
    certificate: CertificateText
    mail: DocumentMail | None = None  # needed only by `kitbuilder mail --document`


def _templates(texts: DelegateTexts):
    yield ("letter", "subject"), texts.letter.subject
    yield ("letter", "salutation"), texts.letter.salutation
    for number, paragraph in enumerate(texts.letter.body):
        yield ("letter", "body", number), paragraph
    yield ("letter", "closing"), texts.letter.closing
    yield ("certificate", "certifies"), texts.certificate.certifies
    yield ("certificate", "participated"), texts.certificate.participated


def load_texts(content: Path, lang: str, problems: Problems) -> DelegateTexts | None:
    path = Path(content) / lang / TEXT_FILE
    raw, texts = read_model(DelegateTexts, path, problems,
                            f"missing file; the delegates' letters and certificates in '{lang}' "
                            "need it (copy content/en/delegates.yaml from kitbuilder and "
                            "translate it)", root=Path(content))
    if texts is None:
        return None
    ok = True
    for where, template in _templates(texts):
        line = line_of(raw, where) or 1
        names, found = placeholder_problems(template, PLACEHOLDERS)
        if "name" in names and where != ("letter", "salutation"):
            # The rest is laid out once for everyone (delegates/letters.py): only the
            # salutation is personal.
            found.append("{name} may appear only in the letter's salutation; this text is "
                         "the same for every delegate")
        for message in found:
            problems.error(path, line, message)
        ok = ok and not found
    if texts.mail is not None:
        for document in ("letter", "certificate"):
            for key in ("subject", "body"):
                where = ("mail", document, key)
                _, found = placeholder_problems(getattr(getattr(texts.mail, document), key),
                                                MAIL_PLACEHOLDERS)
                for message in found:
                    problems.error(path, line_of(raw, where) or 1, message)
                ok = ok and not found
    return texts if ok else None


def printed_files(content: Path, langs) -> list[Path]:
    """The files whose words the delegates' documents print, for these languages."""
    content = Path(content)
    return [content / "workshop.yaml",
            *(content / lang / name for lang in langs for name in ("workshop.yaml", TEXT_FILE))]


def refuse_placeholders(content: Path, langs, problems: Problems, what: str) -> None:
    """Each placeholder left in what the documents print becomes an error: a delegate never
    receives "TODO: who signs the letters"."""
    problems.items.extend(refuse_unwritten(problems.warnings, what,
                                           in_files(*printed_files(content, langs))))


def check_texts(content: Path, langs, problems: Problems) -> None:
    """`kitbuilder check`: every content/<lang>/delegates.yaml and mail.yaml there is, read
    as `delegates build` and `mail` read them (their placeholders are warnings here)."""
    for lang in langs:
        if (Path(content) / lang / TEXT_FILE).is_file():
            load_texts(content, lang, problems)
        if (Path(content) / lang / MAIL_FILE).is_file():
            load_mail_text(content, lang, problems)
