import Fluent

/// 017: publication and feedback (情况反馈, seed 002 §三(二)7 采取适当方式向考核对象反馈年度考核情况).
/// - `feedback`: the organisation department's feedback to a team (`subject` "team", `code` the unit's code) or a cadre
///   (`subject` "cadre", `code` the cadre's code) in a campaign; one per subject, every change audited.
/// - `feedback_reads`: when an account last read its published result and feedback.
struct CreateFeedback: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("feedback")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("text", .string, .required)
            .field("updated_at", .double, .required)
            .unique(on: "campaign_id", "subject", "code")
            .create()
        try await db.schema("feedback_reads")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
            .field("read_at", .double, .required)
            .unique(on: "campaign_id", "subject", "code", "account_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("feedback_reads").delete()
        try await db.schema("feedback").delete()
    }
}
