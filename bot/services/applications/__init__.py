"""The register of applications for information (依申请公开) and its statutory clocks.

Every channel files applications here and every staff tool (the console, the CLI) works them
here, so the rules live in one place:

- An application, its ``received`` event and the staff group's notice are written in one
  transaction, committed before the applicant is shown the register number.
- The application row is never updated: what happens to it (a 补正 notice, the corrected
  application, an extension, a consultation that stops the clock, the decision) is an
  append-only event with who recorded it, when, and the day it takes effect. Its state and its
  deadlines are folded from those events on the working-day calendar (``clock``).
- Notices to the applicant and reminders to staff go through the outbox; answer letters are
  rendered from the decision and kept in the record (``letters``).

The package by concern: ``outcomes`` (the yearly report's outcome rows and applicant columns,
as data the report imports), ``types`` (what is recorded, and its labels), ``numbers``
(register numbers), ``clock`` (the deadlines), ``service`` (filing and staff actions),
``letters`` (告知书), ``yearly`` (``applications_for_year``, for Table 2).
"""

from .clock import ANSWER_DAYS, CONSULTATION_DAYS, CORRECTION_NOTICE_DAYS, EXTENSION_MAX, due_date
from .letters import Letter
from .outcomes import APPLICANTS, DECISIONS, GROUPS, ROW, ROWS, Decision, Row
from .service import PARTIES, REGISTERED, Applications, Lookup, reminding
from .types import (
    DELIVERIES,
    EVENTS,
    FORMS,
    ID_TYPES,
    RECEIPT_RULES,
    STATUSES,
    VIAS,
    Application,
    ApplicationError,
    Draft,
    Event,
    Pause,
    mask_id,
)
from .yearly import YearRecord, applications_for_year

__all__ = [
    "ANSWER_DAYS",
    "APPLICANTS",
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "DECISIONS",
    "DELIVERIES",
    "EVENTS",
    "EXTENSION_MAX",
    "FORMS",
    "GROUPS",
    "ID_TYPES",
    "PARTIES",
    "RECEIPT_RULES",
    "REGISTERED",
    "ROW",
    "ROWS",
    "STATUSES",
    "VIAS",
    "Application",
    "ApplicationError",
    "Applications",
    "Decision",
    "Draft",
    "Event",
    "Letter",
    "Lookup",
    "Pause",
    "Row",
    "YearRecord",
    "applications_for_year",
    "due_date",
    "mask_id",
    "reminding",
]
