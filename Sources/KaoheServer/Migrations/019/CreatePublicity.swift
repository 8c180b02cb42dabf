import Fluent

/// 019: 实绩公示 (R-P6, seed 002 §三(二)2 考核工作开始前对领导班子工作实绩进行公示): a team's publicity of its 实绩清单 in a
/// campaign — the period and where opinions go; one per unit and campaign, every change audited.
struct CreatePublicity: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("publicity")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("contact", .string, .required)
            .unique(on: "campaign_id", "unit_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("publicity").delete()
    }
}
