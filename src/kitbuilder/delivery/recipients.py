"""The recipients file (personal data, kept out of the repository) and the mail texts (content).

Both are read like content: every value keeps its line, and every problem is reported as
``path:line: error: message`` in one run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..content.loader import line_of, read_model
from ..content.model import Project
from ..errors import Problems
from ..placeholders import placeholder_problems

MAIL_FILE = "mail.yaml"
PLACEHOLDERS = ("name", "role", "country", "country_in", "country_of", "country_from",
                "workshop", "conference", "conference_short", "kind", "date", "sender")


def _email_syntax(value: str) -> str:
    """Syntax only: no DNS, no deliverability check (nothing may leave the machine).

    An internationalised domain is kept in its ASCII (xn--) form, which every server
    accepts; only a non-ASCII local part needs a server that offers SMTPUTF8.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"'{value}' is not an email address: {exc}") from None
    return f"{checked.local_part}@{checked.ascii_domain}"


def _one_line(value: str) -> str:
    # A name goes into the From/To header: a line break there would add headers (Bcc: …).
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                and c not in _JOINERS), None)
    if bad is not None:
        raise ValueError(f"contains a line break or control character (U+{ord(bad):04X}); "
                         "write the name on one line, with letters, spaces and punctuation only")
    return value


_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners are part of how some scripts spell names
Email = Annotated[str, AfterValidator(_email_syntax)]
Name = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Sender(_Model):
    name: Name
    email: Email
    reply_to: Email | None = None


class RecipientEntry(_Model):
    name: Name
    email: Email
    language: str
    role: str = ""


class RecipientsFile(_Model):
    # Both checked in load_recipients, whose message shows the file's shape.
    sender: Sender | None = None
    countries: dict[str, list[RecipientEntry]] = {}


def example_yaml(countries: list[tuple[str, str]], comments: bool = True) -> str:
    """A recipients file for these (country code, kit language) pairs, with invented people at
    example.org: the shape the error messages show and `kitbuilder new` writes."""
    lines = ["# Who the kits go to (kitbuilder mail) and who the delegates' documents come from",
             "# (mail --document). Copy to recipients.yaml (personal data: keep it out of git).",
             "# See docs/delivery.md, \"Once: the recipients file\"."] if comments else []
    lines += ["sender:", "  name: Technical Secretariat", "  email: secretariat@example.org",
              "countries:" + ("                  # kitbuilder mail: each country's focal points"
                              if comments else "")]
    for code, lang in countries:
        lines += [f"  {code}:", f"    - name: Focal Point {code} (example)",
                  f"      email: focal.{code.lower()}@example.org", f"      language: {lang}"]
    return "\n".join(lines) + "\n"


def recipients_for(countries_yaml: str) -> str:
    """The example recipients file for a new project, from its content/countries.yaml."""
    listed = (yaml.safe_load(countries_yaml) or {}).get("countries") or []
    return example_yaml([(c["code"], c["languages"][0]) for c in listed])


def _shape(project: Project) -> str:
    first = project.countries[0]
    return "\n" + "".join(f"    {line}\n" for line in example_yaml(
        [(first.code, first.languages[0])], comments=False).splitlines()) + \
        "  (docs/delivery.md, \"Once: the recipients file\")"


@dataclass(frozen=True)
class Recipient:
    country: str
    name: str
    email: str
    language: str
    role: str
    line: int

    @property
    def key(self) -> str:
        """Identity in the send ledger: one message per (country, address)."""
        return f"{self.country}:{self.email.lower()}"


@dataclass(frozen=True)
class Recipients:
    path: Path
    sender: Sender
    people: list[Recipient]


def load_recipients(path: Path, project: Project, problems: Problems,
                    focal_points: bool = True) -> Recipients | None:
    """``focal_points``: the kits are mailed, so ``countries`` must list someone; mailing the
    delegates their documents needs only the sender."""
    path = Path(path)
    raw, parsed = read_model(RecipientsFile, path, problems,
                             "recipients file not found; copy recipients.example.yaml "
                             "(`kitbuilder new` writes one beside content/) to recipients.yaml "
                             "and put the real people in, or write it in this shape:"
                             + _shape(project))
    if parsed is None:
        return None
    if parsed.sender is None:
        problems.error(path, 1, "missing key 'sender' (who the messages come from); the file's "
                       "shape:" + _shape(project))
        return None
    if focal_points and not parsed.countries:
        problems.error(path, 1, "no focal points: add 'countries' with each country's "
                       "(`mail --document` needs only the sender); the file's shape:"
                       + _shape(project))
        return None
    countries = {c.code: c for c in project.countries}
    seen: dict[str, int] = {}
    people = []
    for code, entries in parsed.countries.items():
        if code not in countries:
            problems.error(path, raw["countries"].key_lines.get(code, 0),
                           f"unknown country '{code}'; participating countries: "
                           f"{', '.join(sorted(countries))}")
            continue
        for index, entry in enumerate(entries):
            where = ("countries", code, index)
            line = line_of(raw, where)
            if entry.language not in countries[code].languages:
                problems.error(path, line_of(raw, (*where, "language")),
                               f"language '{entry.language}' has no kit for {code} "
                               f"(its kits: {', '.join(countries[code].languages)})")
                continue
            person = Recipient(code, entry.name, entry.email, entry.language, entry.role, line)
            if person.key in seen:
                problems.error(path, line_of(raw, (*where, "email")),
                               f"duplicate recipient {entry.email} for {code} "
                               f"(already listed at line {seen[person.key]})")
                continue
            seen[person.key] = line
            people.append(person)
    return Recipients(path, parsed.sender, people)


class MailText(_Model):
    """content/<lang>/mail.yaml: the message that goes with the kit, owned by translators."""

    subject: str = Field(min_length=1)
    body: str = Field(min_length=1)


def load_mail_text(content: Path, lang: str, problems: Problems) -> MailText | None:
    path = Path(content) / lang / MAIL_FILE
    raw, text = read_model(MailText, path, problems,
                           f"missing file; the mail in '{lang}' needs a subject and a body",
                           root=Path(content))
    if text is None:
        return None
    ok = True
    for key in ("subject", "body"):
        _, found = placeholder_problems(getattr(text, key), PLACEHOLDERS)
        for message in found:
            problems.error(path, line_of(raw, (key,)), f"{key}: {message}")
        ok = ok and not found
    return text if ok else None

