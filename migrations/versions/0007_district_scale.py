"""district scale: indexes for one year across all units, the stored national score, unit kinds

Revision ID: 0007
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from jixiao_core import kinds

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("project_year", "ix_project_year_year", ["year", "is_current", "project_id"]),
    ("indicator", "ix_indicator_py_status", ["project_year_id", "status"]),
    ("indicator", "ix_indicator_area", ["area_id"]),
    ("finding", "ix_finding_py_severity", ["project_year_id", "severity"]),
    ("unit", "ix_unit_kind", ["kind"]),
)


def upgrade() -> None:
    with op.batch_alter_table("project_year") as batch:
        batch.add_column(sa.Column("score", sa.Numeric(6, 2), nullable=True))
        batch.add_column(sa.Column("grade", sa.String(4), nullable=True))
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)
    # scores of existing rows are filled by `init` (store.scores.fill), which can read reports back; kinds here
    conn = op.get_bind()
    unit = sa.table("unit", sa.column("id"), sa.column("name"), sa.column("kind"))
    for uid, name in conn.execute(sa.select(unit.c.id, unit.c.name).where(unit.c.kind.is_(None))).all():
        conn.execute(unit.update().where(unit.c.id == uid).values(kind=kinds.kind_of(name)))


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("project_year") as batch:
        batch.drop_column("grade")
        batch.drop_column("score")
