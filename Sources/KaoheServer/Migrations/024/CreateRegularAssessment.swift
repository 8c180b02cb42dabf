import Foundation
import Fluent
import SQLKit

/// 024: 日常考核 (seed 000, issue 13). The kinds of check with their lead and cooperating departments (seeded with the
/// eight of 第五条, editable); each check with its 概况, 内容 and 结论 and the department that files its report (R-A1:
/// within 15 days); the teams and cadres it evaluated on the regular scales (第六条) with the handling suggested
/// (第八条) and its follow-up; and the cadres' quarterly evaluations (seed 001 §二, 领导评价 among them) that feed R-Q6.
struct CreateRegularAssessment: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("check_kinds")
            .field("id", .uuid, .identifier(auto: false))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("lead", .string, .required)
            .field("cooperating", .string, .required)
            .field("seq", .int, .required)
            .unique(on: "code")
            .create()
        try await db.schema("regular_checks")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind_id", .uuid, .required, .references("check_kinds", "id"))
            .field("title", .string, .required)
            .field("lead_unit_id", .uuid, .references("units", "id"))
            .field("started_on", .string, .required)
            .field("ended_on", .string, .required)
            .field("place", .string, .required)
            .field("scope", .string, .required)
            .field("methods", .string, .required)
            .field("assessors", .string, .required)
            .field("content", .string, .required)
            .field("conclusion", .string, .required)
            .field("written_on", .string)
            .field("filed_on", .string)
            .create()
        try await db.schema("regular_check_subjects")
            .field("id", .uuid, .identifier(auto: false))
            .field("check_id", .uuid, .required, .references("regular_checks", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("unit_name", .string, .required)
            .field("evaluation", .string)
            .field("handling", .string)
            .field("follow_up", .string)
            .field("follow_up_on", .string)
            .unique(on: "check_id", "subject", "code")
            .create()
        try await db.schema("regular_evaluations")
            .field("id", .uuid, .identifier(auto: false))
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("period", .string, .required)
            .field("source", .string, .required)
            .field("grade", .string, .required)
            .unique(on: "cadre_id", "year", "period", "source")
            .create()
        let sql = db as! any SQLDatabase
        for (seq, kind) in RegularChecks.seedKinds.enumerated() {
            try await sql.insert(into: "check_kinds").columns("id", "code", "name", "lead", "cooperating", "seq")
                .values(SQLBind(UUID()), SQLBind(kind.code), SQLBind(kind.name), SQLBind(kind.lead), SQLBind(kind.cooperating), SQLBind(seq + 1)).run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["regular_evaluations", "regular_check_subjects", "regular_checks", "check_kinds"] {
            try await db.schema(table).delete()
        }
    }
}
