"""``gongkai setup``: the first run's walk through the bureau's names and contacts, into ``.env``.

Registered on the ``gongkai`` group by ``bot/cli.py``. It writes the file pydantic-settings reads
(``bot/envfile.py`` keeps its other lines) and imports nothing of the channels.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import texts
from .config import OFFICE_SETTINGS, PLACEHOLDER, Settings, variable
from .services.complaints.contact import clean_phone
from .terminal import echo

F = TypeVar("F", bound=Callable[..., Any])
PHONES = ("office_phone", "office_fax", "supervision_phone")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Several numbers may be given, as a clerk writes them: 0533-2181234、0533-2181235.
SEPARATOR = re.compile(r"\s*[、，,；;/]\s*")
MAX_LENGTH = 200


class SetupError(ValueError):
    """A value ``gongkai setup`` refuses; the message, in Chinese, says what is expected."""


def clean(name: str, typed: str) -> str:
    """The value to keep for the setting ``name`` from what was typed: trimmed, phone numbers and
    e-mail in half-width characters, several numbers joined by 、.

    :raises SetupError: with what is expected, for an empty value, a sample value, a line break or
      ``${``, more than ``MAX_LENGTH`` characters, a number that is no phone number, a bad e-mail
    """
    label = texts.SETTING_LABELS[name]
    value = typed.strip()
    if not value:
        raise SetupError(texts.SETUP_EMPTY.format(label=label))
    if PLACEHOLDER in value:
        raise SetupError(texts.SETUP_SAMPLE)
    if "${" in value or any(unicodedata.category(c) == "Cc" for c in value):
        raise SetupError(texts.SETUP_BAD_CHARACTERS.format(label=label))
    if len(value) > MAX_LENGTH:
        raise SetupError(texts.SETUP_TOO_LONG.format(label=label, limit=MAX_LENGTH))
    if name in PHONES:
        # Each number checked as a citizen's is (clean_phone), a space in it written as a hyphen.
        numbers = [re.sub(r"\s+", "-", n) for n in SEPARATOR.split(value)]
        cleaned = [clean_phone(n) for n in numbers]
        for number, phone in zip(numbers, cleaned):
            if not phone:
                raise SetupError(texts.SETUP_BAD_PHONE.format(value=number))
        return "、".join(p for p in cleaned if p)
    if name == "office_email":
        value = unicodedata.normalize("NFKC", value)
        if not EMAIL.fullmatch(value):
            raise SetupError(texts.SETUP_BAD_EMAIL.format(value=value))
    return value


def _names(names: list[str]) -> str:
    return "、".join(f"{texts.SETTING_LABELS[n]}（{variable(n)}）" for n in names)


def _read(env_file: Path) -> Settings:
    from .cli import _settings

    settings: Settings = _settings(env_file=env_file)
    return settings


def _ask(name: str, current: str) -> str | None:
    """Ask for ``name`` until a good value is typed; Enter keeps ``current`` (None: a sample value,
    left as it is)."""
    label, env = texts.SETTING_LABELS[name], variable(name)
    sample = current.startswith(PLACEHOLDER)
    while True:
        if sample:
            shown = current.removeprefix(PLACEHOLDER)
            typed = click.prompt(
                texts.SETUP_PROMPT_SAMPLE.format(label=label, variable=env, value=shown),
                default="",
                show_default=False,
            )
            if not typed.strip():
                return None
        else:
            typed = click.prompt(texts.SETUP_PROMPT.format(label=label, variable=env), default=current)
            if typed == current:
                return current  # kept as it is, even if it would not pass today's checks
        try:
            return clean(name, typed)
        except SetupError as e:
            echo(str(e), err=True)


def _options(fn: F) -> F:
    for name in reversed(OFFICE_SETTINGS):
        fn = click.option(
            f"--{name.replace('_', '-')}",
            name,
            metavar="TEXT",
            help=f"{texts.SETTING_LABELS[name]} ({variable(name)}).",
        )(fn)
    return fn


@click.command()
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".env"),
    show_default=True,
    help="The file to write (e.g. /etc/gongkai/gongkai.env for the systemd service).",
)
@click.option("--check", is_flag=True, help="Only list what is still the sample bureau's; exit 1 if anything is.")
@_options
def setup(env_file: Path, check: bool, **given: str | None) -> None:
    """Set the bureau's names and contacts, which every answer shows: asks for each in turn (Enter
    keeps the value shown), checks phone numbers and e-mail, and writes them into the .env file
    (other lines kept). With options, asks nothing and sets those; with --check, lists the settings
    still at sample values and exits 1 if there are any.

    Examples:

    \b
      gongkai setup
      gongkai setup --env-file /etc/gongkai/gongkai.env
      gongkai setup --office-phone 0533-2181234 --office-email xxgk@zhangdian.gov.cn
      gongkai setup --check
    """
    from .envfile import EnvFileError, read, update

    settings = _read(env_file)
    values: dict[str, str] = {}
    if any(v is not None for v in given.values()):
        problems = []
        for name in OFFICE_SETTINGS:
            if given[name] is not None:
                try:
                    values[name] = clean(name, str(given[name]))
                except SetupError as e:
                    problems.append(str(e))
        if problems:
            raise click.ClickException("\n".join(problems))
    elif not check:
        echo(texts.SETUP_INTRO.format(path=env_file))
        for name in OFFICE_SETTINGS:
            if (value := _ask(name, getattr(settings, name))) is not None:
                values[name] = value

    if values:
        in_file = {k.upper(): v for k, v in read(env_file).items()}
        if all(in_file.get(variable(n)) == v for n, v in values.items()):
            echo(texts.SETUP_NOTHING.format(path=env_file))
        else:
            try:
                update(env_file, {variable(n): v for n, v in values.items()})
            except (EnvFileError, OSError) as e:
                raise click.ClickException(f"{env_file}: {e}") from None
            echo(texts.SETUP_SAVED.format(path=env_file, names=_names(list(values))))
            echo(texts.SETUP_RESTART)
        environment = {k.upper() for k in os.environ}
        for name in values:
            if variable(name) in environment:
                echo(texts.SETUP_OVERRIDDEN.format(variable=variable(name)), err=True)
        settings = _read(env_file)

    unset = settings.unset()
    if check:
        if unset:
            echo(texts.SETUP_CHECK_UNSET.format(count=len(unset), names=_names(unset)))
            click.get_current_context().exit(1)
        echo(texts.SETUP_ALL_SET)
    elif unset:
        echo(texts.SETUP_STILL_SAMPLE.format(names=_names(unset)))
