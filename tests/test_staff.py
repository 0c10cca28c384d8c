"""Staff accounts: the lock-out holds however many log-ins come at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.services import staff as staff_module
from bot.services.staff import StaffAccounts

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(store, settings) -> StaffAccounts:
    accounts = StaffAccounts(store, settings.model_copy(update={"staff_lockout_attempts": 5}))
    accounts.add("wangli", PASSWORD)
    return accounts


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The stored hashes passwords were checked against (the dummy hash of unknown names aside)."""
    calls: list[str] = []
    lock = threading.Lock()
    verify = staff_module.verify_password

    def counted(password: str, stored: str) -> bool:
        if stored != staff_module._DUMMY:
            with lock:
                calls.append(stored)
        return verify(password, stored)

    monkeypatch.setattr(staff_module, "verify_password", counted)
    return calls


def test_sixty_concurrent_wrong_passwords_check_at_most_the_allowed_number(accounts, checked):
    barrier = threading.Barrier(60)

    def attempt(n: int) -> str | None:
        barrier.wait()  # all 60 start together, as a scripted attack's would
        return accounts.log_in("wangli", f"wrong password {n}")

    with ThreadPoolExecutor(60) as pool:
        results = list(pool.map(attempt, range(60)))
    assert results == [None] * 60
    assert 1 <= len(checked) <= accounts.settings.staff_lockout_attempts
    assert accounts.log_in("wangli", PASSWORD) is None  # locked for that address: even the right password
    # Not for the member of staff at their own desk: one address cannot lock them out.
    assert accounts.log_in("wangli", PASSWORD, "10.0.0.7") is not None


def test_failures_from_many_addresses_lock_the_account_itself(accounts):
    attempts = accounts.settings.staff_lockout_attempts
    for n in range(attempts * staff_module.ACCOUNT_LOCK_SHARE):
        assert accounts.log_in("wangli", f"wrong {n}", f"10.0.{n // attempts}.1") is None
    assert accounts.accounts()[0]["locked_until"] is not None
    assert accounts.log_in("wangli", PASSWORD, "10.0.0.7") is None  # locked: even the right password


def test_a_right_password_within_the_allowed_attempts_logs_in_and_clears_the_count(accounts, checked):
    for n in range(accounts.settings.staff_lockout_attempts - 1):
        assert accounts.log_in("wangli", f"wrong {n}") is None
    token = accounts.log_in("wangli", PASSWORD)
    assert token is not None and accounts.session(token) is not None
    for n in range(accounts.settings.staff_lockout_attempts - 1):  # the count started again
        assert accounts.log_in("wangli", f"wrong {n}") is None
    assert accounts.log_in("wangli", PASSWORD) is not None


def test_an_unknown_name_is_refused_without_checking_a_real_hash(accounts, checked):
    assert accounts.log_in("nobody", PASSWORD) is None
    assert checked == []


def test_every_refusal_costs_a_hash_so_its_time_does_not_tell_a_locked_account(accounts, monkeypatch):
    # A locked account was refused at once (1.5 ms against 28 ms for a wrong password or an unknown
    # name): six tries told that a name exists.
    hashed: list[str] = []
    verify = staff_module.verify_password

    def counted(password: str, stored: str) -> bool:
        hashed.append(stored)
        return verify(password, stored)

    monkeypatch.setattr(staff_module, "verify_password", counted)
    for n in range(accounts.settings.staff_lockout_attempts + 3):
        assert accounts.log_in("wangli", f"wrong {n}") is None
    assert accounts.log_in("nobody", "wrong") is None
    assert len(hashed) == accounts.settings.staff_lockout_attempts + 4  # one for each refusal


def test_a_name_that_differs_only_in_case_is_refused(accounts):
    with pytest.raises(staff_module.StaffError, match="exists already"):
        accounts.add("WangLi", "another password 123")


@pytest.mark.parametrize("typed", ["ｗａｎｇｌｉ", "WangLi", " wangli "])
def test_a_name_in_another_width_or_case_is_the_same_account(accounts, typed):
    with pytest.raises(staff_module.StaffError, match="exists already"):
        accounts.add(typed, "another password 123")
    token = accounts.log_in(typed, PASSWORD)  # and it logs in as the account it names
    assert token is not None and accounts.session(token).username == "wangli"
    accounts.passwd(typed, "a new password 456")
    assert accounts.log_in("wangli", "a new password 456") is not None


@pytest.mark.parametrize(("name", "kept"), [("王力", "王力"), ("ｌｉｕ．ｙａｎｇ", "liu.yang")])
def test_a_name_is_letters_chinese_too_digits_and_dots_stored_in_half_width(accounts, name, kept):
    accounts.add(name, PASSWORD)
    assert kept in {a["username"] for a in accounts.accounts()}


@pytest.mark.parametrize("name", ["wang li", "wang\u200bli", "<b>", ""])
def test_a_name_with_other_characters_is_refused(accounts, name):
    with pytest.raises(staff_module.StaffError, match="username is"):
        accounts.add(name, PASSWORD)


@pytest.mark.parametrize("password", [" " * 10, "1" * 12, "short"])
def test_a_blank_repeated_or_short_password_is_refused(accounts, password):
    with pytest.raises(staff_module.StaffError, match="a password needs"):
        accounts.add("liuyang", password)
