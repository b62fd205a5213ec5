"""整改 items: problems with their sentences, items, their history, evidence and follow-up proposals

Problems already stored (the bundled dataset's) become one 待整改 item each, as an import now does.

Revision ID: 0005
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from jixiao_core.rectify.rules import source_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ENDS = "。！？\n"


def upgrade() -> None:
    with op.batch_alter_table("problem") as batch:
        batch.add_column(sa.Column("kind", sa.String(12), nullable=False, server_default="problem"))
        batch.add_column(sa.Column("sentence", sa.Text(), nullable=True))
        batch.add_column(sa.Column("span_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("span_end", sa.Integer(), nullable=True))
    op.create_table(
        "rectify_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("source_key", sa.String(80), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("finding_kind", sa.String(30), nullable=True),
        sa.Column("indicator_name", sa.String(200), nullable=True),
        sa.Column("requirement", sa.Text(), nullable=True),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("confirmed_by", sa.String(60), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["body_id"], ["internal_body.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "year", "source_key"),
    )
    op.create_index("ix_rectify_item_unit_id", "rectify_item", ["unit_id"])
    op.create_index("ix_rectify_item_project_year", "rectify_item", ["project_id", "year"])
    op.create_table(
        "rectify_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(60), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("field", sa.String(30), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["rectify_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rectify_event_item_id", "rectify_event", ["item_id"])
    op.create_table(
        "rectify_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("indicator_label", sa.String(300), nullable=True),
        sa.Column("added_by", sa.String(60), nullable=False),
        sa.Column("added_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["rectify_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rectify_evidence_item_id", "rectify_evidence", ["item_id"])
    op.create_table(
        "rectify_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("project_year_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("rule", sa.String(30), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(60), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["rectify_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_year_id"], ["project_year.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "project_year_id", "kind"),
    )
    op.create_index("ix_rectify_proposal_item_id", "rectify_proposal", ["item_id"])
    _items_from_stored_problems()


def _sentence(text: str, section: str | None) -> str:
    """Return the sentence of the stored problems chapter that holds `text` (the text itself when it is not there)."""
    if not section or text not in section:
        return text
    at = section.index(text)
    start = max(section.rfind(c, 0, at) for c in ENDS) + 1
    ends = [i for i in (section.find(c, at + len(text)) for c in ENDS) if i >= 0]
    end = min(ends) + 1 if ends else len(section)
    return section[start:end].strip()


def _items_from_stored_problems() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT p.text, py.project_id, py.year, pr.unit_id, s.text AS section "
            "FROM problem p JOIN project_year py ON py.id = p.project_year_id "
            "JOIN project pr ON pr.id = py.project_id "
            "LEFT JOIN section s ON s.project_year_id = py.id AND s.key = 'problems' "
            "WHERE py.is_current = :yes ORDER BY py.id, p.seq"
        ),
        {"yes": True},
    ).all()
    item = sa.table(
        "rectify_item",
        *(
            sa.column(c)
            for c in (
                "unit_id",
                "project_id",
                "year",
                "source",
                "source_key",
                "problem",
                "source_text",
                "state",
                "created_by",
                "version",
            )
        ),
    )
    for text, project_id, year, unit_id, section in rows:
        conn.execute(
            item.insert().values(
                unit_id=unit_id,
                project_id=project_id,
                year=year,
                source="report",
                source_key=source_key("report", text),
                problem=text,
                source_text=_sentence(text, section),
                state="pending",
                created_by="导入",
                version=1,
            )
        )


def downgrade() -> None:
    op.drop_table("rectify_proposal")
    op.drop_table("rectify_evidence")
    op.drop_table("rectify_event")
    op.drop_table("rectify_item")
    with op.batch_alter_table("problem") as batch:
        batch.drop_column("span_end")
        batch.drop_column("span_start")
        batch.drop_column("sentence")
        batch.drop_column("kind")
