"""Progress and summaries go through a reporter, so build logic never prints."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Event:
    kind: str
    detail: dict


@dataclass
class Reporter:
    """Records events; the CLI subclasses it to draw progress on a terminal."""

    events: list[Event] = field(default_factory=list)

    def emit(self, kind: str, **detail) -> None:
        self.events.append(Event(kind, detail))
        self.on_event(kind, detail)

    def on_event(self, kind: str, detail: dict) -> None:  # overridden by the CLI
        pass

    def of_kind(self, kind: str) -> list[dict]:
        return [e.detail for e in self.events if e.kind == kind]
