"""Staff roles: admins manage accounts, editors teach the bot, clerks work complaints and
applications; checked on every action, and the console shows each role only what it may do."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Services, build_web_app
from bot.channels.web import setup as setup_web
from bot.services.staff import StaffAccounts, StaffError

from .channels.test_web import PASSWORD, csrf_of

ROLES = {"ada": "admin", "ed": "editor", "cleo": "clerk"}


@pytest.fixture
def site(answerer, store, settings):
    accounts = StaffAccounts(store, settings)
    for name, role in ROLES.items():
        accounts.add(name, PASSWORD, role)

    def run(scenario: Callable[[TestClient], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            app = build_web_app()
            setup_web(app, Services.of(answerer, store, settings), settings)
            async with TestClient(TestServer(app)) as client:
                return await scenario(client)

        return asyncio.run(main())

    return run


async def as_(client: TestClient, name: str) -> str:
    page = await (await client.get("/staff/login")).text()
    data = {"csrf": csrf_of(page), "username": name, "password": PASSWORD}
    return await (await client.post("/staff/login", data=data)).text()


def test_each_role_sees_and_may_do_only_its_own(site):
    async def scenario(client: TestClient) -> dict[str, dict[str, Any]]:
        seen = {}
        for name in ROLES:
            client.session.cookie_jar.clear()
            home = await as_(client, name)
            seen[name] = {
                "nav": ("教过的内容" in home, "/staff/accounts" in home),
                "teach": (await client.get("/staff/teach", params={"w": "收费吗"})).status,
                "taught": (await client.get("/staff/taught")).status,
                "accounts": (await client.get("/staff/accounts")).status,
                "complaints": (await client.get("/staff/complaints")).status,
            }
        return seen

    seen = site(scenario)
    assert seen["ada"] == {"nav": (True, True), "teach": 200, "taught": 200, "accounts": 200, "complaints": 200}
    assert seen["ed"] == {"nav": (True, False), "teach": 200, "taught": 200, "accounts": 403, "complaints": 200}
    assert seen["cleo"] == {"nav": (False, False), "teach": 403, "taught": 403, "accounts": 403, "complaints": 200}


def test_a_clerk_cannot_post_what_an_editor_may(site):
    async def post(client: TestClient) -> tuple[int, int]:
        await as_(client, "cleo")
        csrf = csrf_of(await (await client.get("/staff/complaints")).text())
        teach = await client.post("/staff/teach/complaint", data={"csrf": csrf, "w": "楼道里堆满了煤气罐"})
        add = await client.post("/staff/accounts", data={"csrf": csrf, "username": "x1", "password": PASSWORD})
        return teach.status, add.status

    assert site(post) == (403, 403)


def test_a_refusal_is_the_consoles_page_saying_why(site):
    async def scenario(client: TestClient) -> tuple[int, str, int, str]:
        await as_(client, "cleo")
        refused = await client.get("/staff/teach", params={"w": "收费吗"})
        stale = await client.post("/staff/complaints/20261127-001-6/accepted", data={"csrf": "stale"})
        return refused.status, await refused.text(), stale.status, await stale.text()

    status, page, stale_status, stale_page = site(scenario)
    # In the console's look, with its bar (who is logged in, the way back), not a line of plain text.
    assert status == 403 and "您的账号没有这项权限，请联系管理员。" in page and 'href="/staff"' in page
    assert "<html" in page and "cleo" in page
    assert stale_status == 403 and "表单已过期，请刷新页面后重试。" in stale_page and "<html" in stale_page


def test_an_admin_manages_accounts_in_the_console_but_cannot_lock_themself_out(site, store, settings):
    async def scenario(client: TestClient) -> list[str]:
        await as_(client, "ada")
        csrf = csrf_of(await (await client.get("/staff/accounts")).text())
        said = []
        for url, data in (
            ("/staff/accounts", {"username": "newbie", "password": PASSWORD, "role": "editor"}),
            ("/staff/accounts", {"username": "bad name!", "password": PASSWORD, "role": "clerk"}),
            ("/staff/accounts", {"username": "a" * 41, "password": PASSWORD, "role": "clerk"}),  # not cut to 40
            ("/staff/accounts/cleo/role", {"role": "editor"}),
            ("/staff/accounts/ada/role", {"role": "clerk"}),
            ("/staff/accounts/ada/remove", {}),
            ("/staff/accounts/ed/remove", {}),
        ):
            said.append(await (await client.post(url, data={"csrf": csrf, **data})).text())
        return said

    said = site(scenario)
    assert "已添加账号 newbie（编辑）" in said[0]
    assert "用户名为1到40个字符" in said[1] and "用户名为1到40个字符" in said[2]
    assert "cleo 现在是编辑" in said[3]
    assert "不能取消自己的管理员角色" in said[4] and "不能删除自己的账号" in said[5]
    assert "已删除账号 ed" in said[6]
    roles = {a["username"]: a["role"] for a in StaffAccounts(store, settings).accounts()}
    assert roles == {"ada": "admin", "cleo": "editor", "newbie": "editor"}


def test_roles_are_checked_by_the_service(store, settings):
    accounts = StaffAccounts(store, settings)
    with pytest.raises(StaffError):
        accounts.add("someone", PASSWORD, "superuser")
    accounts.add("someone", PASSWORD)
    assert accounts.accounts()[0]["role"] == "clerk"  # the least by default
    with pytest.raises(StaffError):
        accounts.set_role("nobody", "admin")


def test_accounts_from_before_roles_keep_every_right(store):
    # An account as m004 made it (no role given): it could do everything, and still can.
    store.write(
        lambda db: db["staff"].insert({"username": "old", "password": "x", "created_at": "2026", "failures": 0})
    )
    assert store.reader.execute("select role from staff where username = 'old'").fetchone()[0] == "admin"


def test_every_member_of_staff_changes_their_own_password_given_the_current_one(site):
    new = "a much better password 2026"

    async def scenario(client: TestClient) -> list[tuple[int, str]]:
        await as_(client, "cleo")  # a clerk: no accounts page, but their own password
        page = await (await client.get("/staff/password")).text()
        said = []
        for current, again in ((PASSWORD, "something else 123"), ("not the password", new), (PASSWORD, new)):
            data = {"csrf": csrf_of(page), "current": current, "new": new, "again": again}
            response = await client.post("/staff/password", data=data)
            said.append((response.status, await response.text()))
        # Every session of the account ended: this one too.
        said.append(((await client.get("/staff", allow_redirects=False)).status, ""))
        return said

    mismatch, wrong, changed, after = site(scenario)
    assert mismatch[0] == 422 and "两次输入的新密码不一样" in mismatch[1]
    assert wrong[0] == 422 and "当前密码不对" in wrong[1]
    assert changed[0] == 200 and "密码已修改，请用新密码登录" in changed[1] and 'name="password"' in changed[1]
    assert after[0] == 303


def test_the_password_page_is_not_for_anonymous_visitors(site):
    async def scenario(client: TestClient) -> tuple[int, int]:
        page = await client.get("/staff/password", allow_redirects=False)
        post = await client.post("/staff/password", data={"current": PASSWORD, "new": "x" * 12, "again": "x" * 12})
        return page.status, post.status

    assert site(scenario) == (303, 403)
