"""``gongkai applications``: the register of applications for information, from the terminal.

Staff register what arrives on paper, by post, fax or e-mail, and record every step (补正,
extension, consultation, decision); what the applicant is owed on a chat channel is sent by the
running bot, which reads the outbox within seconds.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

import click

from .services.applications.outcomes import DECISIONS
from .services.applications.types import DELIVERIES, FORMS, ID_TYPES, VIAS
from .terminal import OutputFile, echo

# What the applicant kinds are called on the command line (the report's columns).
APPLICANT_CHOICES = ("person", "business", "research", "nonprofit", "legal", "other")


@click.group()
def applications() -> None:
    """The register of applications for information (依申请公开): register, list, work, letters.

    Dates are YYYY-MM-DD in the bureau's time zone; deadlines count working days on the
    official calendar (with knowledge/calendar.yaml).
    """


class _Register:
    """The register on the configured database, for one command."""

    def __enter__(self) -> Any:
        from .cli import _settings, _store
        from .knowledge import CALENDAR_FILE, Problem, load_calendar
        from .services.applications import Applications
        from .services.calendar import WorkCalendar

        settings = _settings()
        problems: list[Problem] = []
        # The deadlines count calendar.yaml's days too, as the running bot does.
        days = load_calendar(Path(settings.knowledge) / CALENDAR_FILE, problems)
        if problems:
            raise click.ClickException("; ".join(map(str, problems)))
        self.store = _store(settings)
        return Applications(self.store, settings, calendar=WorkCalendar(days))

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _actor(actor: str | None) -> str:
    return f"cli:{actor or getpass.getuser()}"


def _number(register: Any, typed: str) -> str:
    """The number of an existing application, or a clear error (with the numbers one slip away)."""
    found = register.lookup(typed)
    if found is None:
        raise click.ClickException(f"{typed!r} is not an application's number (they look like 申20261127-0001-7)")
    if found.application is None:
        hint = f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else ""
        raise click.ClickException(f"no application {typed}{hint}")
    return str(found.application.number)


def _do(action: str, number: str, actor: str | None, **params: Any) -> Any:
    from .services.applications import ApplicationError

    with _Register() as register:
        try:
            application = getattr(register, action)(_number(register, number), _actor(actor), **params)
        except ApplicationError as e:
            raise click.ClickException(str(e)) from None
        due = application.due_on or "-"
        echo(f"{application.number}: recorded; {application.status_label}, due {due}.")
        return application


_actor_option = click.option("--as", "actor", help="Who is acting, for the record (default: your login name).")
_on_option = click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day it happened (default: today).")


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@applications.command("register")
@click.option("--via", type=click.Choice(list(VIAS)), required=True, help="How it arrived.")
@click.option(
    "--received",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Its day of receipt (第31条): in_person, the day handed in; signed_post, the day signed for; "
    "post, fax, email, the day confirmed with the applicant.",
)
@click.option("--applicant", type=click.Choice(APPLICANT_CHOICES), default="person", show_default=True)
@click.option("--name", required=True, help="The person's or organisation's name.")
@click.option("--contact-person", default="", help="For an organisation: who to contact.")
@click.option("--id-type", type=click.Choice(ID_TYPES), default="居民身份证", show_default=True)
@click.option("--id-number", required=True, help="The identity document's number (shown masked).")
@click.option("--phone", default="")
@click.option("--email", default="")
@click.option("--address", default="")
@click.option("--description", required=True, help="The information wanted: title, document number or description.")
@click.option("--form", "form_", type=click.Choice(list(FORMS)), default="paper", show_default=True)
@click.option("--delivery", type=click.Choice(list(DELIVERIES)), default="post", show_default=True)
@_actor_option
def applications_register(via: str, received: dt.datetime, actor: str | None, **fields: str) -> None:
    """Register an application that arrived on paper, by post, fax or e-mail; prints its number
    and the day the answer is due.

    Example: gongkai applications register --via signed_post --received 2026-11-27 --name 王小明
    --id-number 370303199001011239 --address "张店区人民西路1号" --description "2026年烟花爆竹经营许可名单"
    """
    from .services.applications import ApplicationError
    from .services.applications.form import check

    fields["form"] = fields.pop("form_")
    draft, problems = check(fields)
    if draft is None:
        raise click.ClickException("; ".join(f"--{k.replace('_', '-')}: {v}" for k, v in problems.items()))
    with _Register() as register:
        try:
            a = register.register(draft, via=via, received_on=received.date(), actor=_actor(actor))
        except ApplicationError as e:
            raise click.ClickException(str(e)) from None
        echo(f"{a.number}: registered, received {a.received_on}; the answer is due {a.due_on}.")


@applications.command("list")
@click.option(
    "--status",
    type=click.Choice(["open", "due", "overdue", "correcting", "paused", "decided", "all"]),
    default="open",
    show_default=True,
    help="due: due within the reminder's working days, overdue, or not corrected in time.",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def applications_list(status: str, limit: int) -> None:
    """Applications, overdue first, one a line: number, status, due date, applicant (masked), information wanted.

    Example: gongkai applications list --status due
    """
    with _Register() as register:
        listed, total = register.search(status, limit=limit)
        if not listed:
            echo("No applications.")
        for a in listed:
            text = a.description.replace("\n", " ")
            lapsed = " 补正已逾期" if a.correction_lapsed else ""
            echo(f"{a.number}  {a.status_label}{lapsed}  due {a.due_on or '-'}  {a.masked_name}  {text[:40]}")
        if total > len(listed):
            echo(f"... {total - len(listed)} more (--limit)")


@applications.command("show")
@click.argument("number")
def applications_show(number: str) -> None:
    """The whole record of an application and its history (the identity number masked).

    Example: gongkai applications show 申20261127-0001-7
    """
    with _Register() as register:
        a = register.get(_number(register, number))
        echo(f"{a.number}  {a.status_label}")
        echo(f"applicant  {a.name} ({a.applicant_label}) {a.contact_person}")
        echo(f"identity   {a.id_type} {a.masked_id}")
        echo(f"contact    {a.phone or '-'} {a.email or '-'} {a.address or '-'}")
        echo(f"received   {a.received_on} ({a.via_label}, via {a.channel}); runs from {a.start_on}")
        echo(f"due        {a.due_on or '-'}; a 补正 notice by {a.correction_notice_by}")
        if a.correction_by:
            echo(f"correct by {a.correction_by}")
        if a.pause:
            echo(f"paused     since {a.pause.start}, consulting {a.pause.party} (at most to {a.pause.limit})")
        if a.decision:
            echo(f"decision   {a.decision.label} ({a.decided_on})")
        echo(f"wanted     {a.form_label}, {a.delivery_label}: {a.description}")
        if a.described != a.description:
            echo(f"asked      {a.described} (before the correction)")
        for e in register.events(a):
            extra = f"  {e.data}" if e.data and e.kind not in ("received",) else ""
            echo(f"  {e.at}  {e.label}  {e.actor}  (on {e.on})" + (f"  {e.text}" if e.text else "") + extra)


@applications.command("correction")
@click.argument("number")
@click.argument("text")
@click.option("--by", type=click.DateTime(["%Y-%m-%d"]), help="The day to correct it by (default: the setting).")
@_on_option
@_actor_option
def applications_correction(
    number: str, text: str, by: dt.datetime | None, on: dt.datetime | None, actor: str | None
) -> None:
    """Send the one 补正 notice (第30条), within 7 working days of receipt: TEXT says what to correct.
    The clock stops until the corrected application arrives.

    Example: gongkai applications correction 申20261127-0001-7 "请写明所需文件的名称或文号"
    """
    _do("request_correction", number, actor, text=text, on=_day(on), by=_day(by))


@applications.command("corrected")
@click.argument("number")
@click.option("--text", help="The information wanted, as corrected.")
@_on_option
@_actor_option
def applications_corrected(number: str, text: str | None, on: dt.datetime | None, actor: str | None) -> None:
    """The corrected application arrived: the 20 working days run again from that day.

    Example: gongkai applications corrected 申20261127-0001-7 --on 2026-12-03 --text "安监〔2026〕12号"
    """
    _do("correct", number, actor, on=_day(on), text=text)


@applications.command("extend")
@click.argument("number")
@click.option("--days", type=click.IntRange(1, 20), required=True, help="Working days, at most 20.")
@click.option("--approved-by", required=True, help="The head of the office who approved it.")
@click.option("--reason", required=True, help="Why; the applicant is told.")
@_on_option
@_actor_option
def applications_extend(
    number: str, days: int, approved_by: str, reason: str, on: dt.datetime | None, actor: str | None
) -> None:
    """Extend the time to answer, once (第33条第2款); the applicant is told the new due date.

    Example: gongkai applications extend 申20261127-0001-7 --days 20 --approved-by 李主任 --reason "涉及档案较多"
    """
    _do("extend", number, actor, days=days, approved_by=approved_by, reason=reason, on=_day(on))


@applications.command("pause")
@click.argument("number")
@click.option("--party-kind", type=click.Choice(["third_party", "agency"]), required=True)
@click.option("--party", required=True, help="Who was consulted.")
@_on_option
@_actor_option
def applications_pause(number: str, party_kind: str, party: str, on: dt.datetime | None, actor: str | None) -> None:
    """A third party (第32条) or another agency (第34条) was consulted: the clock stops until it
    answers, 15 working days at most.

    Example: gongkai applications pause 申20261127-0001-7 --party-kind third_party --party 某化工公司
    """
    _do("pause", number, actor, party_kind=party_kind, party=party, on=_day(on))


@applications.command("resume")
@click.argument("number")
@click.option("--text", help="What the consulted party answered.")
@_on_option
@_actor_option
def applications_resume(number: str, text: str | None, on: dt.datetime | None, actor: str | None) -> None:
    """The consulted party answered (or its 15 working days ran out): the clock runs again.

    Example: gongkai applications resume 申20261127-0001-7 --text "第三方不同意公开"
    """
    _do("resume", number, actor, on=_day(on), text=text)


@applications.command("note")
@click.argument("number")
@click.argument("text")
@_actor_option
def applications_note(number: str, text: str, actor: str | None) -> None:
    """Add an internal note; the applicant does not see it.

    Example: gongkai applications note 申20261127-0001-7 "已电话联系申请人"
    """
    _do("note", number, actor, text=text)


@applications.command("decide")
@click.argument("number")
@click.argument("decision", type=click.Choice(list(DECISIONS)))
@click.argument("facts")
@click.option("--article", help="The article that grounds it (default: the decision's).")
@_on_option
@_actor_option
def applications_decide(
    number: str, decision: str, facts: str, article: str | None, on: dt.datetime | None, actor: str | None
) -> None:
    """Record the decision (one of the yearly report's outcomes) with the facts: the answer letter
    is issued, kept in the record and sent to the applicant on their channel.

    Example: gongkai applications decide 申20261127-0001-7 granted "所需信息已通过电子邮件发送"
    """
    _do("decide", number, actor, decision=decision, facts=facts, article=article, on=_day(on))


@applications.command("letter")
@click.argument("number")
@click.option(
    "--kind",
    type=click.Choice(["decision", "correction", "extension"]),
    help="Which letter: the answer letter, the 补正 notice or the extension notice (default: the latest).",
)
@click.option("-o", "--output", type=OutputFile(), help="File to write.")
def applications_letter(number: str, kind: str | None, output: Path | None) -> None:
    """Print a letter to the applicant (告知书) as printable HTML, or write it to a file: the
    latest, or the one of --kind.

    Example: gongkai applications letter 申20261127-0001-7 --kind decision -o 告知书.html
    """
    with _Register() as register:
        letters = [x for x in register.letters(register.get(_number(register, number))) if not kind or x.kind == kind]
        if not letters:
            raise click.ClickException(f"{number} has no such letter yet")
        if output is None:
            echo(letters[-1].html)
        else:
            output.write_text(letters[-1].html, encoding="utf-8")
            echo(f"written to {output}", err=True)


@applications.command("remind")
def applications_remind() -> None:
    """Owe the staff group the reminders due now (3 working days before a deadline, and on the
    day); `gongkai run` does this by itself every ten minutes.

    Example: gongkai applications remind
    """
    with _Register() as register:
        echo(f"{register.remind()} reminder(s) owed.")
