"""inspection: indicator sets, rounds, targets, findings, evidence

Revision ID: 0002_inspection
Revises: 0001_registry
Create Date: 2026-11-24 20:03:52.223291
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_inspection"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "target_type",
            sa.Enum("website", "account", name="targettype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_set")),
        sa.UniqueConstraint("code", "version", name="uq_indicator_set_code_version"),
    )
    op.create_table(
        "inspection_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "quarterly",
                "monthly",
                "special",
                "spot_check",
                name="roundkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("inspection_date", sa.Date(), nullable=True),
        sa.Column("report_deadline", sa.Date(), nullable=True),
        sa.Column("website_set_id", sa.Integer(), nullable=False),
        sa.Column("account_set_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "finalized", name="roundstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_set_id"],
            ["indicator_set.id"],
            name=op.f("fk_inspection_round_account_set_id_indicator_set"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["website_set_id"],
            ["indicator_set.id"],
            name=op.f("fk_inspection_round_website_set_id_indicator_set"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_round")),
        sa.UniqueConstraint("name", name=op.f("uq_inspection_round_name")),
    )
    op.create_table(
        "round_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("website_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "passed", "failed", name="targetstate", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("score", sa.String(length=32), nullable=True),
        sa.Column("problem_text", sa.Text(), nullable=False),
        sa.Column("problem_text_manual", sa.Boolean(), nullable=False),
        sa.Column("no_services", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("checked_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "(website_id IS NULL) <> (account_id IS NULL)",
            name=op.f("ck_round_target_exactly_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_round_target_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["inspection_round.id"],
            name=op.f("fk_round_target_round_id_inspection_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["website_id"],
            ["website.id"],
            name=op.f("fk_round_target_website_id_website"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_target")),
        sa.UniqueConstraint("round_id", "account_id", name="uq_round_target_account"),
        sa.UniqueConstraint("round_id", "website_id", name="uq_round_target_website"),
    )
    with op.batch_alter_table("round_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_target_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_round_target_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_round_target_website_id"), ["website_id"], unique=False
        )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=50), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("stored_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["round_target.id"],
            name=op.f("fk_evidence_target_id_round_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_target_id"), ["target_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=50), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("points", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["round_target.id"],
            name=op.f("fk_finding_target_id_round_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
        sa.UniqueConstraint("target_id", "indicator_code", name="uq_finding_indicator"),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_target_id"))

    op.drop_table("finding")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_target_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("round_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_target_website_id"))
        batch_op.drop_index(batch_op.f("ix_round_target_round_id"))
        batch_op.drop_index(batch_op.f("ix_round_target_account_id"))

    op.drop_table("round_target")
    op.drop_table("inspection_round")
    op.drop_table("indicator_set")
