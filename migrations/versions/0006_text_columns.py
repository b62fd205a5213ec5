"""document and user text as Text: PostgreSQL refuses a value longer than String(n) (SQLite keeps it), so a long
report imported on one database and failed on the other (finding.indicator_seqs was String(400))

Revision ID: 0006
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None

# table → (column, its former length, nullable)
WIDENED = {
    "unit": (("kind", 40, True), ("district", 60, True), ("city", 60, True)),
    "community": (("kind", 40, True),),
    "internal_body": (("note", 200, True),),
    "import_batch": (("file_name", 255, False), ("imported_by", 60, True)),
    "source_document": (("file_name", 255, False),),
    "disbursement": (("locator", 200, True),),
    "work_area": (("title", 200, False),),
    "indicator": (
        ("actual_printed", 40, True),
        ("unit", 20, True),
        ("target_printed", 40, True),
        ("target_unit", 20, True),
        ("rate_printed", 40, True),
        ("level1", 20, True),
        ("level2", 20, True),
        ("level3", 200, True),
        ("target_text", 200, True),
        ("locator", 200, True),
    ),
    "finding": (("indicator_seqs", 400, False),),
    "correction": (("user_name", 60, False),),
}


def upgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for name, length, nullable in columns:
                batch.alter_column(
                    name, existing_type=sa.String(length), type_=sa.Text(), existing_nullable=nullable
                )


def downgrade() -> None:
    # values longer than the old lengths would not fit: cut them, as the old schema could not have held them
    for table, columns in WIDENED.items():
        for name, length, _ in columns:
            op.execute(
                f"UPDATE {table} SET {name} = substr({name}, 1, {length}) WHERE length({name}) > {length}"
            )
        with op.batch_alter_table(table) as batch:
            for name, length, nullable in columns:
                batch.alter_column(
                    name, existing_type=sa.Text(), type_=sa.String(length), existing_nullable=nullable
                )
