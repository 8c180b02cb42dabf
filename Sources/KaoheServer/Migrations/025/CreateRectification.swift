import Fluent

/// 025: 整改 after a check's written feedback (with the ways the unit was checked, 第十条) (seed 004 第一篇第十二条、第十六条 — R-R1: the checked unit submits its
/// measures within one month of receiving the feedback; followed up until closed), and the consequences recorded
/// (第十七条 约谈, 第十八条 责任追究; 第二篇四: 取消评先评优资格, 年终奖励, 书面说明).
struct CreateRectification: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("rectifications")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("feedback_on", .string, .required)
            .field("feedback", .string, .required)
            .field("methods", .string, .required)
            .field("submitted_on", .string)
            .field("closed_on", .string)
            .unique(on: "campaign_id", "unit_id")
            .create()
        try await db.schema("rectification_measures")
            .field("id", .uuid, .identifier(auto: false))
            .field("rectification_id", .uuid, .required, .references("rectifications", "id", onDelete: .cascade))
            .field("problem", .string, .required)
            .field("measure", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string, .required)
            .field("evidence", .string)
            .field("done_on", .string)
            .field("position", .int, .required)
            .create()
        try await db.schema("rectification_consequences")
            .field("id", .uuid, .identifier(auto: false))
            .field("rectification_id", .uuid, .required, .references("rectifications", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("note", .string, .required)
            .field("on_day", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["rectification_consequences", "rectification_measures", "rectifications"] { try await db.schema(table).delete() }
    }
}
