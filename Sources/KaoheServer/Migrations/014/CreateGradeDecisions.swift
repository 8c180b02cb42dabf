import Fluent

/// 014: the organisation department's decision of a team's (`subject` "team", `code` the unit's code) or a cadre's
/// (`subject` "cadre", `code` the cadre's code) grade in a campaign, with its reason; one per subject and campaign,
/// every change audited.
struct CreateGradeDecisions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("grade_decisions")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("grade", .string, .required)
            .field("reason", .string, .required)
            .unique(on: "campaign_id", "subject", "code")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grade_decisions").delete()
    }
}
