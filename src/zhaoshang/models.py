"""The ledger's tables (DESIGN §3) as SQLModel models.

Money is integer 万元 (investment_wan) or 万美元 (investment_usd_wan). Dates are `date` columns with a
precision column beside them ("day" or "month"; a month-precision date is stored as the 1st).
Enumerations are short strings checked by the services; migrations/ holds the same schema.
"""


import datetime as dt

from sqlalchemy import BigInteger, Column, Index, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

UNIT_KINDS = ("town", "department", "soe", "leadership", "other")
ROLES = ("admin", "clerk", "viewer")
VERDICTS = ("pass", "conditional", "fail")
MILESTONE_KINDS = (
    "planned", "lead", "negotiating", "signed", "ready", "started", "producing", "terminated",
    "groundbreaking", "capacity", "completion", "visit", "other", "registered",
)
# Funds in place (实际到位资金) by source: 省外, 省内 in 万元; 外资 in 万美元.
FUND_SOURCES = ("outside", "inside", "foreign")


class Unit(SQLModel, table=True):
    """责任单位: a town/street, a chain's lead department, a state-owned company, or the leadership."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str = Field(default="other")
    leader: str | None = None
    sort_order: int = Field(default=0)
    unit_class: str | None = None  # 一类 / 二类


class Chain(SQLModel, table=True):
    """产业链 with its chief (链长), anchor firm (链主) and lead department."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    chief: str | None = None
    anchor_firm: str | None = None
    lead_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    sort_order: int = Field(default=0)


class Project(SQLModel, table=True):
    """An investment project. `stage` is the furthest stage whose milestone is done (or terminated)."""

    __table_args__ = (
        Index("ix_project_name_investor", "name", "investor"),
        Index("ix_project_unit_id_stage", "unit_id", "stage"),
        Index("ix_project_marshal_stage", "marshal", "stage", "unit_id", "chain_id"),  # reports: 挂帅项目
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    investor: str | None = None
    investment_wan: int | None = None
    investment_usd_wan: int | None = None
    chain_id: int | None = Field(default=None, foreign_key="chain.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    source_region: str | None = None
    marshal: bool = Field(default=False)
    stage: str = Field(default="lead", index=True)
    sector: str | None = None
    progress: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))  # 备注, as written (JSON: remark)
    scope: str | None = Field(default=None, sa_column=Column(Text))  # 建设内容及规模
    created_at: dt.datetime
    updated_at: dt.datetime


class Milestone(SQLModel, table=True):
    """A dated step of a project: planned and/or done. Stage milestones carry the stage dates."""

    __table_args__ = (
        # A report window is a (kind, done_on) range; the other columns make the range scan cover
        # the report's query without reading the table.
        Index("ix_milestone_kind_done_on", "kind", "done_on", "done", "precision", "project_id"),
        Index("ix_milestone_done_planned_on", "done", "planned_on"),
        # A project's milestones, and its milestones of one kind ("the first of its stage" checks).
        Index("ix_milestone_project_id_kind", "project_id", "kind", "done_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    kind: str
    planned_on: dt.date | None = None
    planned_precision: str | None = None
    done: bool = Field(default=False)
    done_on: dt.date | None = None
    precision: str | None = None
    note: str | None = None


class Trip(SQLModel, table=True):
    """外出招商: an outbound promotion trip by a unit's leader."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    leader: str | None = None
    is_main_leader: bool = Field(default=False)
    date: dt.date = Field(index=True)
    destination: str | None = None
    region: str | None = None
    visits: int = Field(default=0)
    negotiations: int = Field(default=0)
    note: str | None = None


class TripProject(SQLModel, table=True):
    """A project visited on a trip (走访重点项目): what a trip's visit count is made of."""

    __tablename__ = "trip_project"
    __table_args__ = (UniqueConstraint("trip_id", "project_id"),)

    id: int | None = Field(default=None, primary_key=True)
    trip_id: int = Field(foreign_key="trip.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)


class Campaign(SQLModel, table=True):
    """会战 (or an annual target, 年度目标): a dated drive with targets per unit."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    start_on: dt.date
    end_on: dt.date
    rules_version: str | None = None
    rules: str | None = Field(default=None, sa_column=Column(Text))


class Target(SQLModel, table=True):
    """A campaign's target for one unit and one metric (the report metric keys)."""

    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "metric"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    unit_id: int = Field(foreign_key="unit.id")
    metric: str
    value: int


class Event(SQLModel, table=True):
    """The audit log: one row per change (an insert keeps the new row as JSON in `new`).

    `project_id` ties the events of a project's milestones, reviews and problems to the project, so
    its history survives a deleted milestone.
    """

    __table_args__ = (Index("ix_event_entity_entity_id", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str
    entity_id: int
    project_id: int | None = Field(default=None, index=True)
    at: dt.datetime = Field(index=True)
    actor: str
    source: str
    field: str | None = None
    old: str | None = Field(default=None, sa_column=Column(Text))
    new: str | None = Field(default=None, sa_column=Column(Text))


class EventSeal(SQLModel, table=True):
    """An event's digest (SHA-256 of its canonical JSON) and the commit that wrote it (db/chain.py)."""

    __tablename__ = "event_seal"

    event_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    txn: int = Field(sa_type=BigInteger, index=True)
    digest: str


class EventBlock(SQLModel, table=True):
    """A commit's link in the audit log's hash chain, in the order the commits happened."""

    __tablename__ = "event_block"

    seq: int | None = Field(default=None, primary_key=True)
    txn: int = Field(sa_type=BigInteger, unique=True)
    prev: str | None = None
    hash: str


class EventBlockRequest(SQLModel, table=True):
    """PostgreSQL: a commit whose block is to be sealed last thing (db/audit_pg.py); empty otherwise."""

    __tablename__ = "event_block_request"

    txn: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})


class ImportBatch(SQLModel, table=True):
    """One `zs import` run: the file's digest and what it did."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str | None = None
    file_name: str
    sha256: str
    sheet: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    status: str = Field(default="done")  # done / failed / dry-run
    message: str | None = None


class User(SQLModel, table=True):
    """A person working on a shared ledger, with a role: admin, clerk or viewer."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str = Field(default="clerk")


class UserUnit(SQLModel, table=True):
    """The units whose projects, trips and milestones a clerk may change."""

    __tablename__ = "user_unit"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)


class ReviewCriterion(SQLModel, table=True):
    """The joint-review criteria in force from a date (a changed list keeps old reviews' meaning)."""

    __tablename__ = "review_criterion"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    sort_order: int = Field(default=0)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class Review(SQLModel, table=True):
    """联审: one criterion's verdict on one project."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    criterion: str
    verdict: str
    reviewer: str | None = None
    reviewed_on: dt.date | None = None
    note: str | None = None


class Problem(SQLModel, table=True):
    """A difficulty a dispatch meeting coordinates (存在问题 / 需协调事项): owner and deadline."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    raised_on: dt.date | None = None
    due_on: dt.date | None = None
    resolved_on: dt.date | None = None
    resolution: str | None = Field(default=None, sa_column=Column(Text))


class Setting(SQLModel, table=True):
    """Ledger settings (district name, review_gate, …) as text key/value pairs."""

    key: str = Field(primary_key=True)
    value: str


class StageWord(SQLModel, table=True):
    """A district's own stage words, added to the built-in mapping (e.g. 已摘地 → signed)."""

    __tablename__ = "stage_word"

    word: str = Field(primary_key=True)
    stage: str


class ProgressNote(SQLModel, table=True):
    """A project's progress in one ISO week (本周进展, 下步计划): from a unit's return, a ledger's
    本周进展/进展情况 column, or `zs projects note`. One note per project per week."""

    __tablename__ = "progress_note"
    __table_args__ = (UniqueConstraint("project_id", "week"), Index("ix_progress_note_week", "week"))

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    week: dt.date  # the Monday of the ISO week
    progress: str | None = Field(default=None, sa_column=Column(Text))
    next_step: str | None = Field(default=None, sa_column=Column(Text))
    source: str | None = None  # where it was first stated
    created_at: dt.datetime


class Funds(SQLModel, table=True):
    """Funds in place (实际到位资金) of a project in one month from one source: whole 万元, or 万美元 for
    外资 (source foreign). Monthly amounts; cumulative figures (1-6月累计) are sums of them."""

    __tablename__ = "funds"
    __table_args__ = (UniqueConstraint("project_id", "month", "source"),
                      Index("ix_funds_month_project_id", "month", "project_id", "source", "amount"))

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    month: dt.date  # the 1st of the month
    source: str  # outside / inside / foreign
    amount: int
    as_of: dt.date | None = None  # the 1st of the month of the ledger or entry that gave it


class UnitReturn(SQLModel, table=True):
    """A unit's weekly return (报表) as it was received: accepted, superseded by a corrected one, or
    refused (another week, another ledger), with the file's digest and what it changed."""

    __tablename__ = "unit_return"
    __table_args__ = (Index("ix_unit_return_week_unit_id", "week", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    week: dt.date  # the Monday of the ISO week the return is for
    received_at: dt.datetime
    file_name: str
    sha256: str
    status: str = Field(default="accepted")  # accepted / superseded / refused
    supersedes_id: int | None = Field(default=None, foreign_key="unit_return.id")
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    changes: str | None = Field(default=None, sa_column=Column(Text))  # JSON: counts and changed fields
    message: str | None = Field(default=None, sa_column=Column(Text))
    actor: str | None = None


class Leader(SQLModel, table=True):
    """包保领导: a district leader who answers for projects, kept once and matched by name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    title: str | None = None  # 区委常委、常务副区长


class ProjectLeader(SQLModel, table=True):
    """A project's leader in charge, as the ledger writes it (张三（区委常委、常务副区长））."""

    __tablename__ = "project_leader"
    __table_args__ = (UniqueConstraint("project_id", "leader_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    leader_id: int = Field(foreign_key="leader.id", index=True)
    written: str
    position: int = Field(default=0)


class ProjectSupport(SQLModel, table=True):
    """配合单位: a unit that helps the accountable unit with a project."""

    __tablename__ = "project_support"
    __table_args__ = (UniqueConstraint("project_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    position: int = Field(default=0)


class InvestmentPlan(SQLModel, table=True):
    """年度计划投资: a project's planned investment for one year, in 万元."""

    __tablename__ = "investment_plan"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    year: int
    plan_wan: int | None = None


class InvestmentDone(SQLModel, table=True):
    """完成投资 of one month (a monthly amount in 万元; cumulative figures are sums of these)."""

    __tablename__ = "investment_done"
    __table_args__ = (UniqueConstraint("project_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    month: dt.date  # the 1st of the month
    amount_wan: int
