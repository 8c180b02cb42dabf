import Fluent

/// 013: a person's decision that a cadre takes part in a campaign, or does not, against what the rules derived from
/// the registry (`participates`), with the reason; one per cadre and campaign, every change audited.
struct CreateParticipationChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("participation_changes")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("participates", .bool, .required)
            .field("reason", .string, .required)
            .unique(on: "campaign_id", "cadre_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("participation_changes").delete()
    }
}
