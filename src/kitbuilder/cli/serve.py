"""`kitbuilder serve`."""

from __future__ import annotations

import sys

import click

from ..errors import display_path
from ..serve import make_server
from .options import PROJECT, USAGE_ERROR, find_paths


@click.command(short_help="Preview every kit in a browser, live as files are saved.",
              epilog="""\b
Examples:
  kitbuilder serve                      then open http://127.0.0.1:8000/
  kitbuilder serve --project ~/rcm-2022 --port 8080""")
@PROJECT
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but 127.0.0.1 lets other machines "
                   "see the kits.")
def serve(project, port, host) -> None:
    """Serve an index of every kit with its translation status, each kit's HTML (stale and
    untranslated blocks listed with file and line, pending passages highlighted) and PDF, and
    a side-by-side review page per language. A saved file under content/, layouts/ or
    locales/ reloads the open pages; a content error is shown, with its path and line, until
    it is fixed. Ctrl-C stops it."""
    import threading


    paths = find_paths(project)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(f"warning: listening on {host}: other machines on the network can read "
                    "the kits (delegates' names included); use 127.0.0.1 unless you mean it",
                    fg="yellow", err=True)
    try:
        server, preview = make_server(paths, host, port)
    except OSError as exc:
        click.secho(f"--port: error: cannot listen on {host}:{port}: {exc.strerror}", fg="red",
                    err=True)
        sys.exit(USAGE_ERROR)
    import signal

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt  # a `kill` cleans up like Ctrl-C: the cache folder goes

    signal.signal(signal.SIGTERM, stop)
    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    click.secho(f"Previewing {display_path(paths.root)} at http://{host}:"
                f"{server.server_address[1]}/ (Ctrl-C to stop)", fg="green", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.close()
