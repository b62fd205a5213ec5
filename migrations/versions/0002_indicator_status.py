"""indicator status and completion, judged once by jixiao_core.status

Revision ID: 0002
Revises: 0001
"""

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from jixiao_core import status

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("id", "actual", "unit", "target", "target_unit", "comparator", "direction")


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("status", sa.String(12), nullable=False, server_default="no_target"))
        batch.add_column(sa.Column("completion", sa.Float(), nullable=True))
    conn = op.get_bind()
    ind = sa.table("indicator", *(sa.column(c) for c in (*COLUMNS, "status", "completion")))
    rows = conn.execute(sa.select(*(ind.c[c] for c in COLUMNS))).all()
    for r in rows:
        j = status.judge(_dec(r.actual), r.unit, _dec(r.target), r.target_unit, r.comparator, r.direction)
        completion = None if j.completion is None else float(j.completion)
        conn.execute(ind.update().where(ind.c.id == r[0]).values(status=j.status, completion=completion))


def _dec(v):
    return None if v is None else Decimal(str(v))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("completion")
        batch.drop_column("status")
