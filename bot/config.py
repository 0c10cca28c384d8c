"""Gongkai's settings: one object, read from ``GONGKAI_*`` environment variables and an optional ``.env``.

Every field is documented in ``deploy/env.example`` (a test keeps the two in step).
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MAX_EMBEDDING_ENGINES = 8

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "（示例，待本局配置）"
# An origin a page may be framed by: CSP's frame-ancestors host sources, without paths.
ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?")
# The bureau's own settings, in the order `gongkai setup` asks for them. A fresh install has the
# sample bureau's: its names as defaults, its contacts as values marked PLACEHOLDER.
OFFICE_SETTINGS = (
    "office_name",
    "bureau_name",
    "office_address",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "supervision_phone",
)
SAMPLE_NAMES = ("bureau_name", "office_name")


def variable(name: str) -> str:
    """The environment variable of the setting ``name``."""
    return f"GONGKAI_{name.upper()}"


class Settings(BaseSettings):
    """Every setting of Gongkai, with its default."""

    model_config = SettingsConfigDict(env_prefix="GONGKAI_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Where things are.
    db: Path = Field(Path("data/gongkai.db"), description="SQLite database file; its folder is created on first use")
    knowledge: Path = Field(PACKAGE_ROOT / "knowledge", description="the knowledge folder (guide, catalogue, lexicon)")
    knowledge_reload_seconds: float = Field(
        2.0,
        ge=0,
        description="how often `gongkai run` looks for changed knowledge files and reloads them (0: only on SIGHUP)",
    )
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_format: Literal["text", "json"] = Field(
        "text", description="text: one readable line per event; json: one JSON object per line, for a log collector"
    )
    user_hash_key: SecretStr | None = Field(
        None,
        description="key of the keyed hash that turns a user id into a pseudonym in the enquiry log; "
        "generated and kept in the database when unset",
    )

    # The bureau and its disclosure office, filled into the guide's answers. The office's
    # contacts are not in the sample report: the defaults say that they are placeholders.
    bureau_name: str = "张店区安全生产监督管理局"
    office_name: str = "张店区安全生产监督管理局办公室（政府信息公开工作机构）"
    office_address: str = f"{PLACEHOLDER}办公地址"
    office_hours: str = f"{PLACEHOLDER}工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）"
    office_phone: str = f"{PLACEHOLDER}0533-0000000"
    office_fax: str = f"{PLACEHOLDER}0533-0000001"
    office_email: str = f"{PLACEHOLDER}xxgk@example.gov.cn"
    supervision_phone: str = f"{PLACEHOLDER}0533-0000002"
    report_self_name: str = Field(
        "我局", description="how the bureau names itself in the yearly report's sentences (我局, 本机关)"
    )

    # Answering. The confidence thresholds are fitted with the calibrated model
    # (`gongkai knowledge calibrate`); set these only to override them.
    answer_min_confidence: float | None = Field(
        None, ge=0, le=1, description="answer outright at this calibrated confidence (unset: the fitted value)"
    )
    clarify_min_confidence: float | None = Field(
        None, ge=0, le=1, description="offer entries as choices at this confidence (unset: the fitted value)"
    )
    semantic: bool = Field(True, description="use the semantic signal (sentence embeddings) beside the lexical one")
    embedding_engines: int = Field(
        default_factory=lambda: min(2, os.cpu_count() or 1),
        ge=1,
        le=MAX_EMBEDDING_ENGINES,
        description="questions embedded at once, each on a core (default: 2, or 1 on a one-core machine)",
    )
    cache_dir: Path | None = Field(
        None,
        description="where the guide's embeddings, the classifier and the catalogue's index are cached "
        "(default: ~/.cache/gongkai)",
    )
    clarify_choices: int = Field(3, ge=2, le=8, description="how many choices a clarify reply offers at most")
    search_min_score: float = Field(0.45, description="catalogue items scoring below this are not shown")
    catalogue_answer_min_score: float = Field(
        0.55, description="a question the guide cannot answer gets catalogue items scoring at least this"
    )
    catalogue_with_answer_min_score: float = Field(
        0.75, description="an answered question also gets the catalogue items scoring at least this (already published)"
    )
    search_limit: int = Field(10, ge=1, le=100, description="catalogue items per search by default")

    # Telegram. Long polling when a token is set; a webhook when a public URL is set too.
    telegram_token: SecretStr | None = Field(None, description="the bot's token from @BotFather; enables Telegram")
    telegram_api_base: str | None = Field(
        None, description="another Bot API server, e.g. a self-hosted telegram-bot-api: http://127.0.0.1:8081"
    )
    telegram_webhook_url: str | None = Field(
        None, description="public HTTPS URL Telegram posts updates to (behind the reverse proxy); polling if unset"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, description="secret Telegram sends with each webhook call; generated at start when unset"
    )
    telegram_throttle_messages: int = Field(6, ge=1, description="messages a user may send per throttle window")
    telegram_throttle_seconds: float = Field(10.0, gt=0, description="the throttle window, in seconds")

    # Complaints and the supervision log.
    timezone: str = Field(
        "Asia/Shanghai", description="the bureau's time zone: dates of tracking numbers and due dates"
    )
    complaint_due_working_days: int = Field(
        15,
        ge=1,
        description="working days staff have to answer a complaint, on the official calendar (and calendar.yaml)",
    )
    telegram_staff_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids of the staff, comma-separated: only they act on complaints"
    )
    telegram_staff_chat_id: int | None = Field(
        None, description="the Telegram staff group's chat id: each new complaint is posted there"
    )

    # Applications for information (依申请公开). The statutory periods (20 working days, one
    # extension of at most 20, a 补正 notice within 7, consultations of 15) are the law's, in code.
    application_remind_working_days: int = Field(
        3, ge=1, le=20, description="working days before an application's deadline that the staff group is reminded"
    )
    application_correction_working_days: int = Field(
        15, ge=1, le=60, description="working days an applicant is given to correct an application (第30条)"
    )
    review_body: str = Field(
        "张店区人民政府", description="the administrative review body (行政复议机关) named in answer letters"
    )

    outbox_interval: float = Field(
        1.0,
        gt=0,
        description="seconds between looks at the outbox for notices another process owed (the CLI); "
        "this process's own are sent at once",
    )

    # WeChat Official Account (公众号). Enabled when the token is set.
    wechat_token: SecretStr | None = Field(
        None, description="the Token set in the Official Account's server configuration; enables WeChat"
    )
    wechat_app_id: str | None = Field(None, description="the account's AppID")
    wechat_app_secret: SecretStr | None = Field(
        None, description="the account's AppSecret: for customer-service messages (slow answers, staff replies)"
    )
    wechat_aes_key: SecretStr | None = Field(
        None, description="the EncodingAESKey (43 characters), for the compatible and safe (encrypted) modes"
    )
    wechat_path: str = Field("/wechat", description="the callback path on the HTTP server")
    wechat_api_base: str = Field("https://api.weixin.qq.com", description="the WeChat API (a test points it elsewhere)")
    wechat_reply_seconds: float = Field(
        4.0, gt=0, lt=5, description="answer in the HTTP reply if ready within this; else by customer-service message"
    )
    wechat_rate_limit: int = Field(20, ge=1, description="questions a WeChat user may ask a minute (form steps aside)")

    # The website: the citizens' web chat at / and the staff console at /staff.
    web_rate_limit: int = Field(20, ge=1, description="messages a web chat session (and an address) may send a minute")
    web_form_rate_limit: int = Field(
        20, ge=1, description="complaint form posts (filling in, confirming, rating) a web session may make a minute"
    )
    web_secure_cookies: bool = Field(
        False, description="mark cookies Secure: set true when the site is served over HTTPS (behind the proxy)"
    )
    http_trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses of the reverse proxies in front (e.g. 127.0.0.1), comma-separated: only a request "
        "from one of them has its client's address read from X-Real-IP or X-Forwarded-For; empty: no proxy",
    )
    complaints_per_hour: int = Field(
        3, ge=1, description="complaints one citizen (Telegram user, WeChat OpenID, web session) may file an hour"
    )
    complaints_per_day: int = Field(10, ge=1, description="complaints one citizen may file a day")
    complaints_per_address_hour: int = Field(
        10, ge=1, description="complaints the web may take from one client address an hour (offices share one)"
    )
    complaints_per_address_day: int = Field(30, ge=1, description="complaints from one client address a day")
    status_per_minute: int = Field(
        10, ge=1, description="status look-ups one address (or citizen, off the web) may make a minute"
    )
    status_per_hour: int = Field(60, ge=1, description="status look-ups one address (or citizen) may make an hour")
    staff_lockout_attempts: int = Field(
        5, ge=1, description="failed staff log-ins from one address before it is locked out of the account"
    )
    staff_logins_per_minute: int = Field(
        10, ge=1, description="staff log-in attempts one client address may make a minute (each costs a scrypt hash)"
    )
    staff_lockout_minutes: int = Field(15, ge=1, description="how long a locked staff account stays locked")

    # Operating it: health, metrics, and how long personal data is kept.
    metrics_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="addresses or networks (comma-separated) that may read /metrics without the token",
    )
    metrics_token: SecretStr | None = Field(
        None, description="a bearer token that lets any address read /metrics (Authorization: Bearer ...)"
    )
    health_outbox_max_age_seconds: float = Field(
        900.0, gt=0, description="/healthz fails when a notice has waited in the outbox longer than this"
    )
    health_db_timeout_seconds: float = Field(
        2.0, gt=0, description="/healthz fails when its small test write is not committed within this"
    )
    enquiry_text_days: int = Field(
        180, ge=1, description="days the text of an enquiry is kept; then it is blanked (the row and its outcome stay)"
    )
    complaint_contact_days: int = Field(
        365, ge=1, description="days after a complaint is closed that its contact name and phone are kept"
    )

    @field_validator("metrics_allow", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
        for network in value:
            ipaddress.ip_network(network, strict=False)  # a typo fails at start, not on every scrape
        return value

    # The one HTTP server (webhooks now; the web chat later).
    http_host: str = Field("127.0.0.1", description="address the HTTP server listens on")
    http_port: int = Field(8080, ge=1, le=65535, description="port the HTTP server listens on")

    # What a reply records (the enquiry, the web chat's session) and how long it waits for it.
    record_wait_seconds: float = Field(
        0.5,
        ge=0,
        le=3,
        description="how long a reply waits for what it records (the enquiry, the web chat's turns) to be committed; "
        "past it the reply is sent and the record written when the database frees up (or logged as lost)",
    )

    # The web chat's sessions and the widget.
    web_session_days: int = Field(
        30, ge=1, description="days a web chat session (its turns, a complaint's draft) lives after it was last seen"
    )
    web_embed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="the sites that may show the chat, the complaint form and the status page in a frame "
        "(the widget), comma-separated origins such as https://www.example.gov.cn or https://*.example.gov.cn; "
        "unset: this site only",
    )

    @field_validator("web_embed_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in value.replace("，", ",").replace(" ", ",").split(",") if v.strip()]
        origins = []
        for origin in value:
            origin = str(origin).strip().rstrip("/").lower()
            if not ORIGIN.fullmatch(origin):
                raise ValueError(f"not an origin (scheme://host[:port], host may start with *.): {origin!r}")
            origins.append(origin)
        return origins

    @field_validator("telegram_staff_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [int(v) for v in value.replace("，", ",").split(",") if v.strip()]
        return value

    @field_validator("http_trusted_proxies", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
        return value

    def sends_to(self, channel: str) -> bool:
        """Whether Gongkai can send a citizen on ``channel`` a message of its own (a staff reply, a
        closing): Telegram with its token, WeChat with an AppID and AppSecret; the web's are read on
        its pages."""
        if channel == "telegram":
            return self.telegram_token is not None
        if channel == "wechat":
            return bool(self.wechat_app_id) and self.wechat_app_secret is not None
        return True

    def staff_channels(self) -> list[str]:
        """The channels with a place staff are told of new complaints."""
        return ["telegram"] if self.telegram_token and self.telegram_staff_chat_id is not None else []

    def embeddings_cache(self) -> Path:
        """Where the guide's embeddings, the classifier and the catalogue's index are kept between
        starts (each keyed by what it is built from, so one folder serves every knowledge folder
        and database)."""
        if self.cache_dir:
            return self.cache_dir
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "gongkai"

    def unset(self) -> list[str]:
        """The bureau's own settings still the sample bureau's, in ``OFFICE_SETTINGS`` order: a
        contact marked PLACEHOLDER, or a name left at its default (never set, even to the same)."""
        return [
            name
            for name in OFFICE_SETTINGS
            if getattr(self, name).startswith(PLACEHOLDER)
            or (name in SAMPLE_NAMES and name not in self.model_fields_set)
        ]

    def placeholders(self) -> list[str]:
        """The environment variables of :meth:`unset`."""
        return [variable(name) for name in self.unset()]

    def contacts(self) -> dict[str, str]:
        """The values of the placeholders an answer may use."""
        return {
            "bureau_name": self.bureau_name,
            "office_name": self.office_name,
            "office_address": self.office_address,
            "office_hours": self.office_hours,
            "office_phone": self.office_phone,
            "office_fax": self.office_fax,
            "office_email": self.office_email,
            "supervision_phone": self.supervision_phone,
            "complaint_days": str(self.complaint_due_working_days),
        }
