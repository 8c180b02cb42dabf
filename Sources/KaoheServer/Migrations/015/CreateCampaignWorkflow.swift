import Fluent
import SQLKit

/// 015: a campaign's workflow (issue 11).
/// - `campaigns.phase`: the step the campaign stands in (prepare, fieldwork, analysis, grading, approval, feedback);
///   `campaign_phases`: each move with its date and reason (reopenings included), in order.
/// - `campaign_approvals`: the committee's approval (常委会审定): date, meeting, and the policy, the engine's input and
///   output and the decisions as approved, with their SHA-256 (also in the audit log); one per campaign.
/// - `approved_grades`: each subject's approved grade, for the pages that show one person or team its own result.
/// - `evaluation_exemptions`: a unit that holds no democratic evaluation in a campaign, with the reason.
/// - `interviews`: 个别谈话 records of a unit in a campaign (`withdrawn`: why a record entered by mistake no longer counts);
///   `lead_cadre_id` names a cadre about whom the interview
///   revealed a serious lead (R-T2).
/// - `report_tasks`: 专题报告 tasks from triggers (R-T1, R-T2), one per rule and subject, with assignee, due and done dates.
struct CreateCampaignWorkflow: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE campaigns ADD COLUMN phase TEXT NOT NULL DEFAULT 'prepare'").run()
        try await db.schema("campaign_phases")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("phase", .string, .required)
            .field("on_day", .string, .required)
            .field("reason", .string, .required)
            .unique(on: "campaign_id", "seq")
            .create()
        try await db.schema("campaign_approvals")
            .field("campaign_id", .uuid, .identifier(auto: false), .references("campaigns", "id", onDelete: .cascade))
            .field("approved_on", .string, .required)
            .field("meeting", .string, .required)
            .field("policy_sha256", .string, .required)
            .field("input_sha256", .string, .required)
            .field("output_sha256", .string, .required)
            .field("decisions_sha256", .string, .required)
            .field("input_json", .string, .required)
            .field("output_json", .string, .required)
            .field("decisions_json", .string, .required)
            .create()
        try await db.schema("approved_grades")
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("grade", .string)
            .unique(on: "campaign_id", "subject", "code")
            .create()
        try await db.schema("evaluation_exemptions")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("reason", .string, .required)
            .unique(on: "campaign_id", "unit_id")
            .create()
        try await db.schema("interviews")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("category", .string, .required)
            .field("held_on", .string, .required)
            .field("interviewer", .string, .required)
            .field("notes", .string, .required)
            .field("lead_cadre_id", .uuid, .references("cadres", "id", onDelete: .setNull))
            .field("recorded_at", .double, .required)
            .field("withdrawn", .string)
            .create()
        try await db.schema("report_tasks")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("rule", .string, .required)
            .field("subject", .string, .required)
            .field("message", .string, .required)
            .field("assignee", .string, .required)
            .field("due_on", .string, .required)
            .field("done_on", .string)
            .field("summary", .string)
            .unique(on: "campaign_id", "rule", "subject")
            .create()
        try await sql.raw("CREATE INDEX interviews_campaign_unit ON interviews (campaign_id, unit_id)").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["report_tasks", "interviews", "evaluation_exemptions", "approved_grades", "campaign_approvals", "campaign_phases"] {
            try await db.schema(table).delete()
        }
        try await (db as! any SQLDatabase).raw("ALTER TABLE campaigns DROP COLUMN phase").run()
    }
}
