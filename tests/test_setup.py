"""The first run: ``gongkai setup`` writes the bureau's names and contacts into ``.env``, exactly as
Settings reads them back, keeping the file's other lines; ``--check`` says what is still a sample."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bot import envfile, texts
from bot.cli import cli
from bot.cli_setup import SetupError, clean
from bot.config import OFFICE_SETTINGS, PLACEHOLDER, Settings

DONE = {
    "office_name": "淄博市某区应急管理局办公室",
    "bureau_name": "淄博市某区应急管理局",
    "office_address": "淄博市张店区人民西路 128 号 3 楼",
    "office_hours": "工作日 9:00—12:00, 13:30—17:00",
    "office_phone": "0533-2181234",
    "office_fax": "0533-2181235",
    "office_email": "xxgk@zhangdian.gov.cn",
    "supervision_phone": "13905331234",
}


@pytest.fixture
def env_file(tmp_path, monkeypatch):
    """A ``.env`` in a fresh working folder, and no settings from the machine's environment."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.upper().startswith("GONGKAI_"):
            monkeypatch.delenv(name)
    return tmp_path / ".env"


def setup(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["setup", *args], input=input, catch_exceptions=False)


def flags(values: dict[str, str]) -> list[str]:
    return [a for name, value in values.items() for a in (f"--{name.replace('_', '-')}", value)]


def read_back(path) -> Settings:
    return Settings(_env_file=path)


# --- the file ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "淄博市张店区人民西路 128 号",
        "东楼 #3 会议室",
        'a "quoted" word',
        "it's",
        "back\\slash \\n not a line break",
        "$HOME and $ alone",
        "  leading and trailing spaces  ",
        "tab\there",
        "",
        "=equals=",
        "中文＃全角",
        "'single' \"double\" #hash \\ all",
    ],
)
def test_a_value_reads_back_exactly(env_file, value):
    envfile.update(env_file, {"GONGKAI_OFFICE_ADDRESS": value})
    assert read_back(env_file).office_address == value
    assert envfile.read(env_file)["GONGKAI_OFFICE_ADDRESS"] == value


@pytest.mark.parametrize("value", ["two\nlines", "${HOME}"])
def test_a_value_dotenv_cannot_read_back_is_refused(env_file, value):
    with pytest.raises(envfile.EnvFileError):
        envfile.update(env_file, {"GONGKAI_OFFICE_ADDRESS": value})
    assert not env_file.exists()


def test_lines_are_updated_in_place_and_the_rest_kept(env_file):
    before = (
        "# The bureau's settings\n"
        "GONGKAI_DB=/var/lib/gongkai/gongkai.db\n"
        "\n"
        "# 咨询电话\n"
        "export gongkai_office_phone=0533-0000000  # old\n"
        "#GONGKAI_OFFICE_FAX=commented out\n"
        "GONGKAI_TELEGRAM_TOKEN='123:abc#def'\n"
        'OTHER="kept as it is"\n'
    )
    env_file.write_text(before, encoding="utf-8")
    env_file.chmod(0o640)
    envfile.update(env_file, {"GONGKAI_OFFICE_PHONE": "0533-2181234", "GONGKAI_OFFICE_FAX": "0533 #2"})
    after = env_file.read_text(encoding="utf-8")
    assert after.startswith(before.split("export")[0])  # everything before the line, as it was
    lines = after.splitlines()
    assert "export GONGKAI_OFFICE_PHONE=0533-2181234" in lines  # a shell that sources it still exports it
    assert "#GONGKAI_OFFICE_FAX=commented out" in lines
    assert lines[-1] == 'GONGKAI_OFFICE_FAX="0533 #2"'
    assert "GONGKAI_TELEGRAM_TOKEN='123:abc#def'" in lines and 'OTHER="kept as it is"' in lines
    assert oct(env_file.stat().st_mode & 0o777) == oct(0o640)
    settings = read_back(env_file)
    assert (settings.office_phone, settings.office_fax) == ("0533-2181234", "0533 #2")
    assert settings.telegram_token.get_secret_value() == "123:abc#def"
    assert str(settings.db) == "/var/lib/gongkai/gongkai.db"


def test_a_new_file_is_readable_by_its_owner_only(env_file):
    envfile.update(env_file, {"GONGKAI_OFFICE_PHONE": "0533-2181234"})
    assert env_file.stat().st_mode & 0o077 == 0


def test_crlf_lines_stay_crlf(env_file):
    env_file.write_bytes(b"A=1\r\nGONGKAI_OFFICE_PHONE=x\r\n")
    envfile.update(env_file, {"GONGKAI_OFFICE_PHONE": "0533-2181234"})
    assert env_file.read_bytes() == b"A=1\r\nGONGKAI_OFFICE_PHONE=0533-2181234\r\n"


# --- checking what is typed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,typed,kept",
    [
        ("office_phone", "0533-2181234", "0533-2181234"),
        ("office_phone", "05332181234", "05332181234"),
        ("office_phone", "0533-2181234-801", "0533-2181234-801"),
        ("office_phone", "0533-2181234转801", "0533-2181234转801"),
        ("office_phone", "010-12345678", "010-12345678"),
        ("office_phone", "13905331234", "13905331234"),
        ("office_phone", "０５３３－２１８１２３４", "0533-2181234"),  # typed with a Chinese input method
        ("office_phone", "0533—2181234", "0533-2181234"),
        ("office_phone", "0533 2181234", "0533-2181234"),
        ("supervision_phone", "0533-2181234、13905331234", "0533-2181234、13905331234"),
        ("office_fax", "0533-2181234，0533-2181235", "0533-2181234、0533-2181235"),
        ("office_email", " xxgk@zhangdian.gov.cn ", "xxgk@zhangdian.gov.cn"),
        ("office_email", "ｘｘｇｋ＠zd.gov.cn", "xxgk@zd.gov.cn"),
        ("office_address", "人民西路 128 号", "人民西路 128 号"),
    ],
)
def test_good_values(name, typed, kept):
    assert clean(name, typed) == kept


@pytest.mark.parametrize(
    "name,typed,message",
    [
        ("office_phone", "2181234", "不是有效的电话号码"),
        ("office_phone", "1390533123", "不是有效的电话号码"),  # ten digits
        ("office_phone", "23905331234", "不是有效的电话号码"),
        ("office_phone", "0533-218", "不是有效的电话号码"),
        ("supervision_phone", "0533-2181234、12", "“12”不是有效的电话号码"),
        ("office_fax", "电话", "不是有效的电话号码"),
        ("office_email", "xxgk", "不是有效的电子邮箱"),
        ("office_email", "xxgk@zhangdian", "不是有效的电子邮箱"),
        ("office_email", "a b@zd.gov.cn", "不是有效的电子邮箱"),
        ("office_address", "   ", "请填写办公地址"),
        ("office_address", PLACEHOLDER + "办公地址", "（示例，待本局配置）"),
        ("office_address", "x" * 201, "200字以内"),
        ("office_hours", "${HOME}", "不能含有"),
    ],
)
def test_bad_values_say_what_is_expected(name, typed, message):
    with pytest.raises(SetupError, match=message):
        clean(name, typed)


# --- the command ---------------------------------------------------------------------------------------


def test_asked_in_turn_and_read_back_exactly(env_file):
    env_file.write_text("# 本机的设置\nGONGKAI_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    answers = [DONE[name] for name in OFFICE_SETTINGS]
    answers[2] = '人民西路 128 号 "东楼" #3'  # spaces, quotes and a #
    result = setup(input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    settings = read_back(env_file)
    assert settings.office_address == '人民西路 128 号 "东楼" #3'
    assert {n: getattr(settings, n) for n in OFFICE_SETTINGS if n != "office_address"} == {
        n: v for n, v in DONE.items() if n != "office_address"
    }
    assert settings.log_level == "DEBUG" and env_file.read_text(encoding="utf-8").startswith("# 本机的设置\n")
    assert settings.unset() == [] and "已写入" in result.output


def test_a_bad_phone_is_asked_again(env_file):
    answers = [DONE["office_name"], DONE["bureau_name"], "", "", "2181234", "0533-2181234", "", "bad@", "", "12"]
    result = setup(input="\n".join(answers) + "\n" + "13905331234\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("咨询电话（GONGKAI_OFFICE_PHONE，现为示例值") == 2
    assert "“2181234”不是有效的电话号码" in result.output and "“12”不是有效的电话号码" in result.output
    settings = read_back(env_file)
    assert (settings.office_phone, settings.supervision_phone) == ("0533-2181234", "13905331234")
    # Enter on a sample value leaves it unset, and the command says so.
    assert settings.unset() == ["office_address", "office_hours", "office_fax", "office_email"]
    assert "以下仍是示例值" in result.output and "GONGKAI_OFFICE_FAX" in result.output
    assert "GONGKAI_OFFICE_FAX" not in env_file.read_text(encoding="utf-8")


def test_enter_keeps_the_value_shown(env_file):
    envfile.update(env_file, {f"GONGKAI_{n.upper()}": v for n, v in DONE.items()})
    result = setup(input="\n" * len(OFFICE_SETTINGS))
    assert result.exit_code == 0, result.output
    assert f"[{DONE['office_phone']}]" in result.output and "没有改动" in result.output
    assert {n: getattr(read_back(env_file), n) for n in OFFICE_SETTINGS} == DONE


def test_enter_on_the_sample_bureaus_names_confirms_them(env_file):
    result = setup(input="\n" * len(OFFICE_SETTINGS))
    assert result.exit_code == 0, result.output
    settings = read_back(env_file)
    assert settings.bureau_name == "张店区安全生产监督管理局" and "bureau_name" not in settings.unset()


def test_options_set_without_asking(env_file):
    result = setup(*flags(DONE))
    assert result.exit_code == 0, result.output
    assert {n: getattr(read_back(env_file), n) for n in OFFICE_SETTINGS} == DONE
    result = setup("--office-phone", "０５３３－２１８１２３９")
    assert result.exit_code == 0 and read_back(env_file).office_phone == "0533-2181239"


def test_bad_options_are_refused_and_nothing_is_written(env_file):
    result = setup("--office-phone", "12345", "--office-email", "nobody", "--office-address", "人民西路")
    assert result.exit_code == 1
    assert "“12345”不是有效的电话号码" in result.output and "“nobody”不是有效的电子邮箱地址" in result.output
    assert not env_file.exists()


def test_another_env_file(env_file, tmp_path):
    other = tmp_path / "etc" / "gongkai.env"
    other.parent.mkdir()
    result = setup("--env-file", str(other), "--office-phone", "0533-2181234")
    assert result.exit_code == 0 and not env_file.exists()
    assert read_back(other).office_phone == "0533-2181234"


def test_an_environment_variable_that_overrides_the_file_is_named(env_file, monkeypatch):
    monkeypatch.setenv("GONGKAI_OFFICE_PHONE", "0533-1111111")
    result = CliRunner().invoke(cli, ["setup", "--office-phone", "0533-2181234"])
    assert "环境变量 GONGKAI_OFFICE_PHONE 已设置" in result.output


def test_check_exit_codes(env_file):
    result = setup("--check")
    assert result.exit_code == 1
    assert "尚未设置（8项）" in result.output
    for name in OFFICE_SETTINGS:
        assert f"GONGKAI_{name.upper()}" in result.output and texts.SETTING_LABELS[name] in result.output
    assert not env_file.exists()  # --check writes nothing

    setup(*flags({n: v for n, v in DONE.items() if n != "office_fax"}))
    result = setup("--check")
    assert result.exit_code == 1 and "尚未设置（1项）：传真（GONGKAI_OFFICE_FAX）" in result.output

    setup("--office-fax", DONE["office_fax"])
    result = setup("--check")
    assert result.exit_code == 0 and texts.SETUP_ALL_SET in result.output


def test_check_counts_the_environment_too(env_file, monkeypatch):
    for name, value in DONE.items():
        monkeypatch.setenv(f"GONGKAI_{name.upper()}", value)
    assert setup("--check").exit_code == 0


def test_setup_does_not_import_aiogram(env_file):
    code = (
        "import sys; from bot.cli import main;"
        " sys.argv = ['gongkai', 'setup', '--check'];"
        " import atexit; atexit.register(lambda: print('aiogram' in sys.modules));"
        " main()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=env_file.parent)
    assert out.returncode == 1 and out.stdout.strip().endswith("False"), out.stdout + out.stderr
