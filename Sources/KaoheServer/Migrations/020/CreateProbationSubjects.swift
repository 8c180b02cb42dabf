import Fluent

/// 020: 试用期满考核 (R-P4, seed 002 §二3): the cadres the organisation department lists in a probation-end campaign,
/// with their probation period. A campaign whose policy assesses probation cadres takes part only these.
struct CreateProbationSubjects: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("probation_subjects")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .unique(on: "campaign_id", "cadre_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("probation_subjects").delete()
    }
}
