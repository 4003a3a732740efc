"""The class space's first tables: classes, drawings, experiments, guesses.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the types this revision created; schema.py may move on, this file may not.
Moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("question_n", sa.Integer(), nullable=True),
        sa.Column("question_answer", sa.Float(), nullable=True),
        sa.Column("question_asked_at", Moment, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        sa.UniqueConstraint("code", name="uq_classes_code"),
    )
    op.create_table(
        "drawings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.SmallInteger(), nullable=False),
        sa.Column("pixels", sa.LargeBinary(), nullable=False),
        sa.Column("canvas_png", sa.LargeBinary(), nullable=True),
        sa.Column("drawer", sa.String(32), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drawings"),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_drawings_class_id_classes",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("request_id", name="uq_drawings_request_id"),
        sa.CheckConstraint("label >= 0 AND label <= 9", name="ck_drawings_label_digit"),
        sa.CheckConstraint("length(pixels) = 784", name="ck_drawings_pixels_28x28"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_drawings_class_drawer_time", "drawings", ["class_id", "drawer", "created_at"])
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("drawer", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("C", sa.Float(), nullable=False),
        sa.Column("gamma", sa.String(32), nullable=False),
        sa.Column("kernel", sa.String(16), nullable=False),
        sa.Column("accuracy_100", sa.Float(), nullable=False),
        sa.Column("accuracy_10000", sa.Float(), nullable=True),
        sa.Column("fit_seconds", sa.Float(), nullable=False),
        sa.Column("nickname", sa.String(20), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_experiments"),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_experiments_class_id_classes",
                                ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_experiments_class_id", "experiments", ["class_id"])
    op.create_table(
        "guesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("drawer", sa.String(32), nullable=False),
        sa.Column("question_n", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_guesses"),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name="fk_guesses_class_id_classes",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("class_id", "drawer", "question_n", name="uq_guesses_class_id_drawer_question_n"),
    )


def downgrade() -> None:
    for table in ("guesses", "experiments", "drawings", "classes"):
        op.drop_table(table)
