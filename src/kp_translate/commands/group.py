"""The click group of ``kp-translate``: its commands are imported on first use.

Each command is a thin wrapper over a library function of the same name; its module is imported
only when that command runs, so ``kp-translate --help`` stays fast and commands that do not
translate with Argos never import argostranslate (and torch). :func:`kp_translate.cli.main` is
the console entry point that runs it.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

import click

from .. import __version__
from ..errors import KpError
from ..gcpause import end_startup

# command name -> (module, attribute, one-line help shown by --help without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "translate": (
        "kp_translate.commands.translate",
        "translate",
        "Translate documents into English with enforced terminology.",
    ),
    "models": ("kp_translate.commands.models", "models", "List and install Argos Translate model packages."),
    "glossary": ("kp_translate.commands.glossary", "glossary", "Check, export, import and extend the glossary."),
    "score": ("kp_translate.commands.score", "score", "Score a translation: BLEU, chrF, TER and term metrics."),
    "check": (
        "kp_translate.commands.check",
        "check",
        "CI gate: quality and terminology checks with thresholds and exit codes.",
    ),
    "postedit": (
        "kp_translate.commands.postedit",
        "postedit",
        "Exchange the translated dossier with post-editors as PO.",
    ),
    "serve": (
        "kp_translate.commands.serve",
        "serve",
        "Serve a LibreTranslate-compatible HTTP API with the glossary enforced.",
    ),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(spec[0])
        command: click.Command = getattr(module, spec[1])
        end_startup()  # the collector paused by kp_translate.cli.main: the command's imports are done
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The short help comes from COMMANDS, so listing commands imports none of them.
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kp-translate")
def cli() -> None:
    """Offline translation into English (fr, es, ca, gl, eu, pt, it) with enforced terminology.

    Translate the dossier, score it against reference snippets, gate CI on term consistency,
    and exchange the glossary with translators as gettext PO.
    """


class Terminated(SystemExit):
    """SIGTERM received (a CI timeout, ``kill``): unwinds like Ctrl-C, so that Apertium chains are
    stopped and no partial file is left, then exits with status 143 (128 + SIGTERM)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated(128 + signum)


def run(argv: list[str] | None = None) -> Any:
    """The command line *argv* (default: the process's): user errors become one line on stderr,
    never a traceback."""
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(argv)
    except Terminated as exc:
        click.echo("kp-translate: terminated", err=True)
        sys.exit(exc.code)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> Any:
    try:
        return cli.main(args=argv, prog_name="kp-translate", standalone_mode=False)
    except KpError as exc:
        click.echo(f"kp-translate: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kp-translate: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("kp-translate: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        # a file system error the code did not anticipate: still one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"kp-translate: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
