"""Staff accounts in the console (/staff/accounts), for admins: add, change a role, remove.

The same operations as ``gongkai staff``; an admin cannot remove their own account or take away
their own admin role (a bureau must not lock itself out of its console).
"""

from __future__ import annotations

import asyncio
import urllib.parse
from typing import NoReturn

from aiohttp import web

from ...services.staff import ROLES, Session, StaffAccounts, StaffError
from ..http import read_form
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
        ]

    async def page(self, request: web.Request, session: Session) -> web.Response:
        return self.console._page(
            "staff_accounts.html",
            session,
            accounts=self.accounts.accounts(),
            roles=ROLES,
            done=request.query.get("done", ""),
            error=request.query.get("error", ""),
        )

    async def add(self, request: web.Request, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        username, role = str(form.get("username", ""))[:40], str(form.get("role", ""))
        try:
            # scrypt takes tens of milliseconds: not on the event loop.
            await asyncio.to_thread(self.accounts.add, username, str(form.get("password", ""))[:200], role)
        except StaffError as e:
            self._back(error=_chinese(e))
        self._back(done=f"已添加账号 {username}（{ROLES[role]}）")

    async def act(self, request: web.Request, session: Session) -> web.StreamResponse:
        username, action = request.match_info["username"], request.match_info["action"]
        form = await read_form(request)
        try:
            if action == "remove":
                if username == session.username:
                    raise StaffError("不能删除自己的账号")
                self.accounts.remove(username)
                self._back(done=f"已删除账号 {username}")
            if action == "role":
                role = str(form.get("role", ""))
                if username == session.username and role != "admin":
                    raise StaffError("不能取消自己的管理员角色")
                self.accounts.set_role(username, role)
                self._back(done=f"{username} 现在是{ROLES[role]}")
        except StaffError as e:
            self._back(error=_chinese(e))
        raise web.HTTPNotFound()

    @staticmethod
    def _back(**message: str) -> NoReturn:
        raise web.HTTPSeeOther("/staff/accounts?" + urllib.parse.urlencode(message))


def _chinese(error: StaffError) -> str:
    """The service's messages are for the CLI (English); the console says them in Chinese."""
    text = str(error)
    known = {
        "exists already": "这个用户名已经有了",
        "a username is": "用户名为1到40个字母、数字或 . _ -",
        "a password needs": "密码至少10个字符",
        "a role is": "请选择角色",
        "no staff account": "没有这个账号",
    }
    return next((chinese for english, chinese in known.items() if english in text), text)
