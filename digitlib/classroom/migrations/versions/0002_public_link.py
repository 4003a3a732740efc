"""Safe on a public link: classes expire when unused and can be closed; no canvas pictures.

``classes`` gains ``last_used_at`` (existing classes: their ``created_at``), ``joining_open``
and ``saving_open`` (both true). ``drawings.canvas_png`` is dropped: it was never shown.

SQLite alters a table by copying it (Alembic's batch mode), from the frozen definitions
below rather than by reflection, so the CHECK constraints and AUTOINCREMENT survive;
``database.upgrade`` runs it with foreign keys off, or dropping the old ``classes`` would
cascade into every drawing.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies of the types and tables this revision changes; schema.py may move on, this file may not.
Moment = sa.DateTime(timezone=True)


def _classes(last_used_nullable: bool) -> sa.Table:
    return sa.Table(
        "classes", sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("question_n", sa.Integer(), nullable=True),
        sa.Column("question_answer", sa.Float(), nullable=True),
        sa.Column("question_asked_at", Moment, nullable=True),
        sa.Column("last_used_at", Moment, nullable=last_used_nullable),
        sa.Column("joining_open", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("saving_open", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        sa.UniqueConstraint("code", name="uq_classes_code"),
    )


def _drawings(with_canvas: bool) -> sa.Table:
    canvas = [sa.Column("canvas_png", sa.LargeBinary(), nullable=True)] if with_canvas else []
    return sa.Table(
        "drawings", sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.SmallInteger(), nullable=False),
        sa.Column("pixels", sa.LargeBinary(), nullable=False),
        *canvas,
        sa.Column("drawer", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drawings"),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_drawings_class_id_classes",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("request_id", name="uq_drawings_request_id"),
        sa.CheckConstraint("label >= 0 AND label <= 9", name="ck_drawings_label_digit"),
        sa.CheckConstraint("length(pixels) = 784", name="ck_drawings_pixels_28x28"),
        sa.Index("ix_drawings_class_drawer_time", "class_id", "drawer", "created_at"),
        sqlite_autoincrement=True,
    )


def upgrade() -> None:
    # Added as nullable (SQLite adds columns in place), filled, then made NOT NULL.
    op.add_column("classes", sa.Column("last_used_at", Moment, nullable=True))
    op.add_column("classes", sa.Column("joining_open", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("classes", sa.Column("saving_open", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute(sa.text("UPDATE classes SET last_used_at = created_at"))
    with op.batch_alter_table("classes", copy_from=_classes(last_used_nullable=True)) as batch:
        batch.alter_column("last_used_at", existing_type=Moment, nullable=False)
    with op.batch_alter_table("drawings", copy_from=_drawings(with_canvas=True)) as batch:
        batch.drop_column("canvas_png")


def downgrade() -> None:
    with op.batch_alter_table("drawings", copy_from=_drawings(with_canvas=False)) as batch:
        batch.add_column(sa.Column("canvas_png", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("classes", copy_from=_classes(last_used_nullable=False)) as batch:
        batch.drop_column("saving_open")
        batch.drop_column("joining_open")
        batch.drop_column("last_used_at")
