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
from .messages import check

TEXT_FILE = "delegates.yaml"
# The mail keeps the kits' mail syntax ({name}, filled by placeholders.fill).
PLACEHOLDERS = ("name", "workshop", "conference", "conference_short", "kind", "dates", "place")
# The variables of the ICU messages (delegates/messages.py). What the meeting is, for every
# text; select keys: format virtual|in_person|hybrid, participation in_person|remote,
# kind_in_title yes|no (the title already says "Workshop on …"), days a number for plural.
MEETING = ("workshop", "conference", "conference_short", "kind", "dates", "place", "venue",
           "days", "format", "participation", "kind_in_title")
# Who the letter is to: only the salutation and the honorific are personal (the rest is laid
# out once for everyone, delegates/letters.py). title: excellency|minister|ambassador|prof|
# dr|ms|mr|none; gender: female|male|other (delegates/titles.py).
PERSON = ("title", "gender", "given_name", "family_name", "full_name", "honorific")
ISSUE = ("issue_place", "issue_date")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Signatory(_Model):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    # An image of the signature in the brand folder (layouts/brand/ or the project's own).
    signature: str | None = Field(default=None, pattern=r"^[\w.-]+\.(png|jpg|jpeg|svg)$")


class LetterText(_Model):
    subject: str = Field(min_length=1)
    salutation: str = Field(min_length=1)  # ICU select on title and gender
    # The registration's form_of_address, as the language punctuates it ("{form_of_address},").
    salutation_given: str = Field(min_length=1)
    body: list[str] = Field(min_length=1)  # a paragraph whose message comes out empty is left out
    closing: str = Field(min_length=1)


class CertificateText(_Model):
    certifies: str = Field(min_length=1)
    participated: str = Field(min_length=1)
    # Where a certificate's code can be checked; "{code}" in it is the code (else ?code=…).
    verify_at: str | None = Field(default=None, pattern=r"^https://\S+$")


class DocumentMail(_Model):
    """The message each delegate's own document goes with (`kitbuilder mail --document`)."""

    letter: MailText
    certificate: MailText


# The mail is written to one person: their name is allowed anywhere, and the sender's.
MAIL_PLACEHOLDERS = (*PLACEHOLDERS, "sender", "salutation")


class DelegateTexts(_Model):
    signatory: Signatory
    place: str = Field(min_length=1)  # where letters and certificates are issued
    dateline: str = Field(min_length=1)  # "{issue_place}, {issue_date}"
    virtual: str = Field(min_length=1)  # {place} of a virtual workshop, e.g. "online"
    at: str = Field(min_length=1)  # before the venue in {place}: "at" (the Centre, City)
    honorific: str  # ICU select on title and gender: "Ms", "Sra.", "S.E. Sr." (may be empty)
    letter: LetterText
    certificate: CertificateText
    mail: DocumentMail | None = None  # needed only by `kitbuilder mail --document`


def _messages(texts: DelegateTexts):
    """(where, message, variables) of every ICU message in the file."""
    yield ("dateline",), texts.dateline, ISSUE
    yield ("honorific",), texts.honorific, PERSON[:-1]
    yield ("letter", "subject"), texts.letter.subject, MEETING
    yield ("letter", "salutation"), texts.letter.salutation, (*MEETING, *PERSON)
    yield ("letter", "salutation_given"), texts.letter.salutation_given, ("form_of_address",)
    for number, paragraph in enumerate(texts.letter.body):
        yield ("letter", "body", number), paragraph, MEETING
    yield ("letter", "closing"), texts.letter.closing, MEETING
    yield ("certificate", "certifies"), texts.certificate.certifies, MEETING
    yield ("certificate", "participated"), texts.certificate.participated, MEETING


def load_texts(content: Path, lang: str, problems: Problems) -> DelegateTexts | None:
    path = Path(content) / lang / TEXT_FILE
    raw, texts = read_model(DelegateTexts, path, problems,
                            f"missing file; the delegates' letters and certificates in '{lang}' "
                            "need it (copy content/en/delegates.yaml from kitbuilder and "
                            "translate it)", root=Path(content))
    if texts is None:
        if isinstance(raw, dict) and "letter" in raw and "honorific" not in raw:
            problems.error(path, 1, "written for an older kitbuilder: letters now greet each "
                           "delegate by their title, in ICU MessageFormat (honorific, dateline, "
                           "letter: salutation_given); copy those keys from kitbuilder's "
                           f"src/kitbuilder/scaffold/delegates-{lang}.yaml or "
                           "content/en/delegates.yaml (docs/delivery.md)")
        return None
    ok = True
    for where, message, allowed in _messages(texts):
        found = check(message, allowed)
        for text in found:
            problems.error(path, line_of(raw, where) or 1, text)
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
