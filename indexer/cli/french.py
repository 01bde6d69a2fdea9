"""Click speaking French: the usage line, headings, help option, errors and Click's own messages.

Click writes its messages through ``gettext``, whose catalogue follows the locale of the machine
(``LANGUAGE``, ``LANG``…): a French catalogue would be read only where the locale is French, and
forcing the language would change it for the whole process and every process it starts. The
French is written here instead, through the hooks Click offers: a help formatter, the context
and command classes, parameter types that refuse a value in French, and usage errors rebuilt
from the attributes of Click's exceptions (never from its English text).
"""

from contextlib import contextmanager
from pathlib import Path as FilePath

import click
from click.exceptions import NoArgsIsHelpError, NoSuchCommand

from indexer.errors import EigSearchError

#: Click's section headings that French writes otherwise ("Options" is the same word).
HEADINGS = {"Commands": "Commandes", "Positional arguments": "Arguments"}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)} :\n")


class Context(click.Context):
    formatter_class = Formatter


class Error(click.ClickException):
    """An error in French, shown after « Erreur : » (exit code 1)."""

    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", file=file, err=True)


class UsageError(click.UsageError):
    """A usage error in French: the usage line, where to find help, then the error (exit code 2)."""

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\nAide : {self.ctx.command_path} --help\n", file=file, err=True)
        click.echo(f"Erreur : {self.format_message()}", file=file, err=True)


class FrenchCommand:
    """What every command of ``eig-search`` adds to Click's: French help and French errors."""

    context_class = Context

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    def make_context(self, info_name, args, parent=None, **extra):
        with in_french(self):
            return super().make_context(info_name, args, parent, **extra)

    def parse_args(self, ctx, args):
        """Click's check for extra arguments, made here to say it in French."""
        if ctx.allow_extra_args or ctx.resilient_parsing:
            return super().parse_args(ctx, args)
        ctx.allow_extra_args = True
        extra = super().parse_args(ctx, args)
        ctx.allow_extra_args = False
        if extra:
            raise UsageError(f"argument{'s' if len(extra) > 1 else ''} en trop : {' '.join(extra)}", ctx)
        return extra


class Command(FrenchCommand, click.Command):
    pass


class Group(FrenchCommand, click.Group):
    """The ``eig-search`` group: the project's errors become messages (exit code 1), not tracebacks."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx):
        with in_french(self):
            return super().invoke(ctx)


@contextmanager
def in_french(command: click.Command):
    """Turn what Click or the project raises inside ``command`` into the errors above."""
    try:
        yield
    except (Error, UsageError, NoArgsIsHelpError):
        raise
    except click.UsageError as error:
        raise UsageError(usage_message(error, command), error.ctx) from None
    except click.ClickException as error:
        raise Error(error.format_message()) from None
    except EigSearchError as error:
        raise Error(str(error)) from None


def usage_message(error: click.UsageError, command: click.Command) -> str:
    """Click's usage error said in French; the messages of our own commands are French already."""
    if isinstance(error, click.NoSuchOption):
        return f"l'option {error.option_name} n'existe pas{did_you_mean(error.possibilities)}"
    if isinstance(error, NoSuchCommand):
        return f"la commande « {error.command_name} » n'existe pas{did_you_mean(error.possibilities)}"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        what = "l'option" if isinstance(error.param, click.Option) else "l'argument"
        return f"il manque {what} {name_of(error.param)}"
    if isinstance(error, click.BadParameter) and error.param is not None:
        return f"valeur refusée pour {name_of(error.param)} : {error.message}"
    if isinstance(error, click.BadOptionUsage):
        takes_value = any(isinstance(param, click.Option) and error.option_name in param.opts and not param.is_flag
                          for param in command.params)
        return f"l'option {error.option_name} {'attend une valeur' if takes_value else 'ne prend pas de valeur'}"
    return error.message


def did_you_mean(possibilities) -> str:
    return f" ; vouliez-vous dire {' ou '.join(sorted(possibilities))} ?" if possibilities else ""


def name_of(param: click.Parameter) -> str:
    return " / ".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name


class IntRange(click.IntRange):
    """A whole number from ``min`` to ``max``."""

    name = "nombre"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            bounds = f"de {self.min} à {self.max}" if self.max is not None else f"d'au moins {self.min}"
            self.fail(f"« {value} » n'est pas un nombre entier {bounds}", param, ctx)


class Choice(click.Choice):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"« {value} » n'est pas l'un des choix {', '.join(self.choices)}", param, ctx)


class Path(click.Path):
    """A folder (``file_okay=False``) or a file (``dir_okay=False``), as a :class:`pathlib.Path`."""

    def __init__(self, **options):
        super().__init__(path_type=FilePath, **options)
        self.name = "dossier" if not self.file_okay else "fichier"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"« {value} » n'est pas un {self.name} lisible", param, ctx)
