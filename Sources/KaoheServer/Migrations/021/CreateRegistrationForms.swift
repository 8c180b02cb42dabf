import Fluent

/// 021: 干部年度考核登记表 (seed 001 §三(一)): what the cadre fills (个人总结) and what the unit's personnel office fills
/// (参加脱产培训情况, 党委（党组）确定的考核等次意见), per campaign and cadre. The basic facts come from the registry.
struct CreateRegistrationForms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("registration_forms")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("summary", .string, .required)
            .field("summary_at", .double)
            .field("training", .string, .required)
            .field("unit_grade", .string)
            .field("unit_note", .string, .required)
            .field("unit_at", .double)
            .unique(on: "campaign_id", "cadre_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("registration_forms").delete()
    }
}
