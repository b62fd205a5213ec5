"""accounts: several units per account, sign-in sessions, failed sign-ins, the append-only audit log

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REFUSE = "操作日志只能追加，不能修改或删除"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSE}'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def upgrade() -> None:
    conn = op.get_bind()
    # the single unit an account could name before becomes its first row in account_unit; read it before batch
    # mode rebuilds app_user (SQLite drops and renames it, which would cascade to rows that referenced it)
    pairs = conn.execute(
        sa.text("SELECT app_user.id, unit.name FROM app_user JOIN unit ON unit.id = app_user.unit_id")
    ).all()
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("unit_id")
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
    account_unit = op.create_table(
        "account_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "unit"),
    )
    op.create_index("ix_account_unit_account_id", "account_unit", ["account_id"])
    if pairs:
        op.bulk_insert(account_unit, [{"account_id": a, "unit": u} for a, u in pairs])
    op.create_table(
        "signin_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_signin_session_account_id", "signin_session", ["account_id"])
    op.create_table(
        "signin_failure",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("person", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_person", "audit_log", ["person"])
    for statement in POSTGRES_TRIGGERS if conn.dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_table("audit_log")  # drops its triggers with it
    if conn.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("signin_failure")
    op.drop_table("signin_session")
    op.drop_table("account_unit")  # an account's several units do not fit the old single column
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("created_at")
        batch.add_column(
            sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id", name="fk_app_user_unit"), nullable=True)
        )
