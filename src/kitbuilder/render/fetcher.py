"""The only door to files while rendering: no network, nothing outside allowed folders."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse


class RefusedResource(Exception):
    pass


def allowed_path(url: str, roots: tuple[Path, ...]) -> Path:
    """The local file a URL names, if it lies inside one of ``roots``; else raise."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise RefusedResource(f"refused to fetch {url!r}: kits may not load network resources")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        raise RefusedResource(f"refused to read {path}: outside the content and layout folders")
    return path


def make_weasyprint_fetcher(roots: tuple[Path, ...]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class SandboxFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                try:
                    allowed_path(url, roots)
                except RefusedResource as exc:
                    # Fatal, so the build fails and says why, instead of WeasyPrint logging
                    # the refusal and quietly leaving a font or image out of the kit.
                    raise FatalURLFetchingError(str(exc)) from None
            return super().fetch(url, headers)

    return SandboxFetcher()
