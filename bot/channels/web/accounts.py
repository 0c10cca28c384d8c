"""Staff accounts in the console (/staff/accounts), for admins: add, change a role, remove; and
for every member of staff, their own password (/staff/password).

The same operations as ``gongkai staff``, on the same rules (``services.staff``).
"""

from __future__ import annotations

import asyncio
from typing import NoReturn

from aiohttp import web

from ... import texts
from ...services.staff import ROLES, Session, StaffAccounts, StaffError
from ..http import read_form
from .security import notice, told
from .staff import StaffConsole


class AccountsConsole:
    def __init__(self, console: StaffConsole, accounts: StaffAccounts) -> None:
        self.console = console
        self.accounts = accounts

    def routes(self) -> list[web.RouteDef]:
        staff = self.console._staff
        return [
            web.get("/staff/accounts", staff(self.page, "accounts")),
            web.post("/staff/accounts", staff(self.add, "accounts")),
            web.post("/staff/accounts/{username}/{action}", staff(self.act, "accounts")),
            web.get("/staff/password", staff(self.password_page)),
            web.post("/staff/password", staff(self.change_password)),
        ]

    async def password_page(self, request: web.Request, session: Session, error: str = "") -> web.Response:
        return self.console._page("staff_password.html", session, error=error)

    async def change_password(self, request: web.Request, session: Session) -> web.StreamResponse:
        """One's own password, the current one given (a session left open is not enough to take
        the account); every session of the account ends, this one too: log in with the new one."""
        form = await read_form(request)
        current, new = str(form.get("current", ""))[:200], str(form.get("new", ""))[:200]
        if new != str(form.get("again", ""))[:200]:
            return await self._password_refused(request, session, texts.PASSWORD_MISMATCH)
        # scrypt takes tens of milliseconds: not on the event loop.
        if not await asyncio.to_thread(self.accounts.verify, session.username, current):
            return await self._password_refused(request, session, texts.PASSWORD_WRONG)
        try:
            await asyncio.to_thread(self.accounts.passwd, session.username, new)
        except StaffError as e:
            return await self._password_refused(request, session, texts.STAFF_ERRORS.get(e.reason, str(e)))
        raise web.HTTPSeeOther(told("/staff/login", done=texts.PASSWORD_CHANGED))

    async def _password_refused(self, request: web.Request, session: Session, error: str) -> web.Response:
        response = await self.password_page(request, session, error)
        response.set_status(422)
        return response

    async def page(self, request: web.Request, session: Session) -> web.Response:
        return self.console._page(
            "staff_accounts.html",
            session,
            accounts=self.accounts.accounts(),
            roles=ROLES,
            done=notice(request, "done"),
            error=notice(request, "error"),
        )

    async def add(self, request: web.Request, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        # The name whole: the service refuses one over its limit, rather than a shorter one being made.
        username, role = str(form.get("username", "")), str(form.get("role", ""))
        try:
            # scrypt takes tens of milliseconds: not on the event loop.
            await asyncio.to_thread(self.accounts.add, username, str(form.get("password", ""))[:200], role)
        except StaffError as e:
            self._back(error=texts.STAFF_ERRORS.get(e.reason, str(e)))
        self._back(done=texts.ACCOUNT_ADDED.format(username=username, role=ROLES[role]))

    async def act(self, request: web.Request, session: Session) -> web.StreamResponse:
        username, action = request.match_info["username"], request.match_info["action"]
        form = await read_form(request)
        try:
            if action == "remove":
                self.accounts.remove(username, by=session.username)
                self._back(done=texts.ACCOUNT_REMOVED.format(username=username))
            if action == "role":
                role = str(form.get("role", ""))
                self.accounts.set_role(username, role, by=session.username)
                self._back(done=texts.ACCOUNT_ROLE_SET.format(username=username, role=ROLES[role]))
        except StaffError as e:
            self._back(error=texts.STAFF_ERRORS.get(e.reason, str(e)))
        raise web.HTTPNotFound()

    @staticmethod
    def _back(**message: str) -> NoReturn:
        raise web.HTTPSeeOther(told("/staff/accounts", **message))
