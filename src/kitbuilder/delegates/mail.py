"""`kitbuilder mail --document letter|certificate`: each delegate their own document, through
the kits' exactly-once ledger (delivery/mail.py).

The ledger's key is the document and the delegate's address, so a delegate gets each document
once whatever else they were sent; a re-run after a crash sends only the rest. The reporter's
events carry addresses (the ledger needs them); the CLI prints counts and row numbers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..delivery.mail import Outgoing, kit_hash, mail_message, wanted_countries
from ..delivery.recipients import Recipient, Recipients, load_recipients
from ..errors import KitError
from .build import FOLDER
from .check import check_delegates
from .design import make_design, person_context
from .registrations import Delegate
from .texts import load_texts, refuse_placeholders

DOCUMENT_FILES = {"letter": ("letters", (".pdf", ".docx")),
                  "certificate": ("certificates", (".pdf",))}


@dataclass(frozen=True)
class DocumentRecipient(Recipient):
    """A delegate receiving one of their documents; ``line`` is their row in the file."""

    document: str = "letter"

    @property
    def key(self) -> str:
        return f"{self.document}:{self.email.casefold()}"


@dataclass
class PreparedDocuments:
    sender_book: Recipients
    document: str
    output: Path
    designs: dict
    chosen: list[tuple[Delegate, list[str]]]  # each delegate and their document's files
    without_document: int  # delegates this document is not for (certificates: not attended)

    def messages(self) -> Iterator[Outgoing]:
        """One message at a time: 2,000 letters with their attachments would otherwise
        hold ~300 MB at once."""
        for person, files in self.chosen:
            yield _compose(self.designs[person.language], self.sender_book, person,
                           self.document, self.output, files)

    def rows(self) -> dict[str, int]:
        """Each address's row in the registrations file (what the terminal may show)."""
        return {person.email: person.line for person, _ in self.chosen}


def prepare_documents(paths, registrations_file: Path, recipients_path: Path, document: str,
                      countries: tuple[str, ...] = ()) -> PreparedDocuments:
    """Check the registrations, the sender (recipients.yaml) and the mail texts; compose one
    message per delegate with their built document attached. KitError lists every problem."""
    checked = check_delegates(paths, registrations_file)
    problems = checked.problems
    if problems.errors or checked.project is None or checked.registrations is None:
        raise KitError(problems.errors or problems.items)
    project = checked.project
    book = load_recipients(recipients_path, project, problems, focal_points=False)
    if book is None or problems.errors:
        raise KitError(problems.errors)
    wanted = wanted_countries(project, countries)
    people = [p for p in checked.registrations.delegates if not wanted or p.country in wanted]
    chosen = [p for p in people if document != "certificate" or p.attendance == "attended"]
    langs = sorted({p.language for p in chosen})
    texts = {lang: load_texts(paths.content, lang, problems) for lang in langs}
    refuse_placeholders(paths.content, langs, problems, f"the {document} or its message")
    for lang, text in texts.items():
        if text is not None and text.mail is None:
            problems.error(paths.content / lang / "delegates.yaml", 1,
                           f"no `mail:` texts: add mail.{document}.subject and .body (see "
                           "kitbuilder's content/en/delegates.yaml)")
    if problems.errors:
        raise KitError(problems.errors)
    designs = {lang: make_design(project, lang, texts[lang], paths,
                                 checked.mapping.list_symbol) for lang in langs}
    folder, suffixes = DOCUMENT_FILES[document]
    output = paths.output
    ready = []
    for person in chosen:
        files = [f"{FOLDER}/{folder}/{person.file_stem}-{document}{suffix}"
                 for suffix in suffixes]
        missing = [f for f in files if not (output / f).is_file()]
        if missing:
            problems.error(registrations_file, person.line,
                           f"this delegate's {document} is not built ({len(missing)} file(s) "
                           "missing); run `kitbuilder delegates build` first")
            continue
        ready.append((person, files))
    if problems.errors:
        raise KitError(problems.errors)
    return PreparedDocuments(book, document, output, designs, ready, len(people) - len(chosen))


def _compose(design, book: Recipients, person, document: str, output: Path,
             files: list[str]) -> Outgoing:
    text = getattr(design.texts.mail, document)
    context = person_context(design, person, "p")
    values = {**design.values(context["formal_name"]), "sender": book.sender.name,
              "salutation": context["salutation"]}
    recipient = DocumentRecipient(person.country, person.full_name, person.email,
                                  person.language, "", person.line, document)
    digest = kit_hash(output, files)
    message = mail_message(book, (person.full_name, person.email), person.language, text,
                           values, output, files, kind=document, country=person.country,
                           key=recipient.key, digest=digest)
    message["X-Kitbuilder-Document"] = f"{document} sha256:{digest}"
    return Outgoing(recipient, message, digest, message["Message-ID"], tuple(files))


def without_address(note: str, email: str) -> str:
    """A server's reply often quotes the address: the terminal gets the row, not the address."""
    return note.replace(email, "<address>") if email else note

