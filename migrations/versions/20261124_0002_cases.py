"""Cases of the three kinds, establishments, items, samples, findings, evidence files, survey campaigns, case numbering.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 00:43:35.914363

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "case_number_counter",
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_case_number_counter")),
    )
    op.create_table(
        "survey_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaign")),
        sa.UniqueConstraint("name", name=op.f("uq_survey_campaign_name")),
    )
    op.create_table(
        "establishment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("tax_code", sa.String(length=14), nullable=True),
        sa.Column("business_type", sa.String(length=20), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("commune_code", sa.String(length=10), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("representative", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_establishment_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_establishment_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment")),
        sa.UniqueConstraint("tax_code", name=op.f("uq_establishment_tax_code")),
    )
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_establishment_commune_code"), ["commune_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_establishment_name_key"), ["name_key"], unique=False)

    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("commune_code", sa.String(length=10), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("former_ward_code", sa.String(length=10), nullable=True),
        sa.Column("former_district_code", sa.String(length=10), nullable=True),
        sa.Column("establishment_id", sa.Integer(), nullable=True),
        sa.Column("product", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("decision_number", sa.String(length=100), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_signer", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("coordinating_agencies", sa.Text(), nullable=True),
        sa.Column("follow_up_of_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=True),
        sa.Column("listing_url", sa.Text(), nullable=True),
        sa.Column("listing_url_key", sa.String(length=500), nullable=True),
        sa.Column("seller_name", sa.String(length=300), nullable=True),
        sa.Column("seller_platform_id", sa.String(length=200), nullable=True),
        sa.Column("seller_key", sa.String(length=300), nullable=True),
        sa.Column("price_vnd", sa.BigInteger(), nullable=True),
        sa.Column("suspected_issue", sa.String(length=30), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=True),
        sa.Column("action_on", sa.Date(), nullable=True),
        sa.Column("platform_response", sa.Text(), nullable=True),
        sa.Column("taken_down_on", sa.Date(), nullable=True),
        sa.Column("referral_reference", sa.String(length=200), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("import_ref", sa.String(length=100), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["survey_campaign.id"], name=op.f("fk_case_record_campaign_id_survey_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_case_record_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_case_record_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_case_record_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_of_id"], ["case_record.id"], name=op.f("fk_case_record_follow_up_of_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["former_district_code"],
            ["former_district.code"],
            name=op.f("fk_case_record_former_district_code_former_district"),
        ),
        sa.ForeignKeyConstraint(
            ["former_ward_code"],
            ["former_ward.code"],
            name=op.f("fk_case_record_former_ward_code_former_ward"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
        sa.UniqueConstraint("import_ref", name=op.f("uq_case_record_import_ref")),
        sa.UniqueConstraint("number", name=op.f("uq_case_record_number")),
    )
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_record_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_commune_code"), ["commune_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_record_establishment_id"), ["establishment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_record_follow_up_of_id"), ["follow_up_of_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_record_former_district_code"), ["former_district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_record_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_listing_url_key"), ["listing_url_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_opened_on"), ["opened_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_seller_key"), ["seller_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_record_status"), ["status"], unique=False)

    op.create_table(
        "case_field",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_field_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "field", name=op.f("pk_case_field")),
    )
    with op.batch_alter_table("case_field", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_field_field"), ["field"], unique=False)

    op.create_table(
        "case_team_member",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_case_team_member_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_case_team_member_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_team_member")),
    )
    with op.batch_alter_table("case_team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_team_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("violation_id", sa.Integer(), nullable=False),
        sa.Column("offender_type", sa.String(length=20), nullable=False),
        sa.Column("goods_description", sa.Text(), nullable=True),
        sa.Column("goods_quantity", sa.Float(), nullable=True),
        sa.Column("goods_unit", sa.String(length=30), nullable=True),
        sa.Column("goods_value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("proposed_fine_vnd", sa.BigInteger(), nullable=True),
        sa.Column("proposed_remedies", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_fine_vnd", sa.BigInteger(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_finding_case_id_case_record"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_finding_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"], ["violation.id"], name=op.f("fk_finding_violation_id_violation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_violation_id"), ["violation_id"], unique=False)

    op.create_table(
        "goods_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("product_group", sa.String(length=100), nullable=True),
        sa.Column("origin", sa.String(length=200), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("label_observation", sa.Text(), nullable=True),
        sa.Column("cr_mark_observation", sa.Text(), nullable=True),
        sa.Column("barcode", sa.String(length=20), nullable=True),
        sa.Column("barcode_observation", sa.Text(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_goods_item_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_item")),
    )
    with op.batch_alter_table("goods_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goods_item_case_id"), ["case_id"], unique=False)

    op.create_table(
        "instrument_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("instrument_type", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("serial_number", sa.String(length=100), nullable=True),
        sa.Column("certificate_number", sa.String(length=100), nullable=True),
        sa.Column("certificate_expiry", sa.Date(), nullable=True),
        sa.Column("seal_condition", sa.String(length=20), nullable=True),
        sa.Column("measured_error", sa.Float(), nullable=True),
        sa.Column("error_limit", sa.Float(), nullable=True),
        sa.Column("error_unit", sa.String(length=20), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_instrument_check_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_check")),
    )
    with op.batch_alter_table("instrument_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instrument_check_case_id"), ["case_id"], unique=False)

    op.create_table(
        "prepackaged_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=300), nullable=False),
        sa.Column("nominal_quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("mean_measured", sa.Float(), nullable=False),
        sa.Column("count_short_over_t", sa.Integer(), nullable=True),
        sa.Column("count_short_over_2t", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_prepackaged_lot_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepackaged_lot")),
    )
    with op.batch_alter_table("prepackaged_lot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prepackaged_lot_case_id"), ["case_id"], unique=False)

    op.create_table(
        "sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=True),
        sa.Column("standard", sa.String(length=100), nullable=True),
        sa.Column("lab", sa.String(length=200), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("tested_on", sa.Date(), nullable=True),
        sa.Column("nominal_value", sa.Float(), nullable=True),
        sa.Column("measured_value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_sample_case_id_case_record"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_sample_establishment_id_establishment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample")),
    )
    with op.batch_alter_table("sample", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sample_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sample_establishment_id"), ["establishment_id"], unique=False)

    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_evidence_file_case_id_case_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_evidence_file_finding_id_finding"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_evidence_file_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_evidence_file_stored_name")),
    )
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_file_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_file_finding_id"), ["finding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_file_sha256"), ["sha256"], unique=False)


def downgrade():

    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_evidence_file_finding_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_file_case_id"))

    op.drop_table("evidence_file")
    with op.batch_alter_table("sample", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sample_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_sample_case_id"))

    op.drop_table("sample")
    with op.batch_alter_table("prepackaged_lot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prepackaged_lot_case_id"))

    op.drop_table("prepackaged_lot")
    with op.batch_alter_table("instrument_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_check_case_id"))

    op.drop_table("instrument_check")
    with op.batch_alter_table("goods_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_item_case_id"))

    op.drop_table("goods_item")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_violation_id"))
        batch_op.drop_index(batch_op.f("ix_finding_status"))
        batch_op.drop_index(batch_op.f("ix_finding_case_id"))

    op.drop_table("finding")
    with op.batch_alter_table("case_team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_team_member_user_id"))

    op.drop_table("case_team_member")
    with op.batch_alter_table("case_field", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_field_field"))

    op.drop_table("case_field")
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_record_status"))
        batch_op.drop_index(batch_op.f("ix_case_record_seller_key"))
        batch_op.drop_index(batch_op.f("ix_case_record_opened_on"))
        batch_op.drop_index(batch_op.f("ix_case_record_listing_url_key"))
        batch_op.drop_index(batch_op.f("ix_case_record_kind"))
        batch_op.drop_index(batch_op.f("ix_case_record_former_district_code"))
        batch_op.drop_index(batch_op.f("ix_case_record_follow_up_of_id"))
        batch_op.drop_index(batch_op.f("ix_case_record_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_case_record_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_case_record_commune_code"))
        batch_op.drop_index(batch_op.f("ix_case_record_campaign_id"))

    op.drop_table("case_record")
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_establishment_name_key"))
        batch_op.drop_index(batch_op.f("ix_establishment_commune_code"))

    op.drop_table("establishment")
    op.drop_table("survey_campaign")
    op.drop_table("case_number_counter")
