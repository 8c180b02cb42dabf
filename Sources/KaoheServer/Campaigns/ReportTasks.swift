import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// 专题报告 (seed 003 §五(三)2): a team or a cadre whose evaluation crosses the thresholds (R-T1, R-T2) or about whom an
/// interview revealed a serious lead (R-T2) gets a special report. The organisation department assigns each trigger as
/// a task with an assignee and a due date; the assessment group marks it done with a summary. One task per rule and
/// subject; the campaign cannot be approved while a trigger's report is not done.
enum ReportTasks {
    struct Task: Decodable, Sendable {
        var id: UUID
        var rule: String
        var subject: String
        var message: String
        var assignee: String
        var due_on: String
        var done_on: String?
        var summary: String?
    }

    static func load(campaign: UUID, on sql: any SQLDatabase) async throws -> [Task] {
        try await sql.raw("""
            SELECT id, rule, subject, message, assignee, due_on, done_on, summary FROM report_tasks
            WHERE campaign_id = \(bind: campaign) ORDER BY due_on, rule, subject
            """).all(decoding: Task.self)
    }

    /// Assigns `trigger`'s report, inside the caller's audited transaction (a second assignment is refused).
    static func assign(_ trigger: Trigger, campaign: UUID, to assignee: String, due: Day, db: any Database, audit: AuditRecorder) async throws {
        let sql = db as! any SQLDatabase
        try await CampaignWorkflow.require(.reportTasks, campaign: campaign, on: db)
        struct N: Decodable { var n: Int }
        let existing = try await sql.raw("""
            SELECT COUNT(*) AS n FROM report_tasks WHERE campaign_id = \(bind: campaign) AND rule = \(bind: trigger.rule) AND subject = \(bind: trigger.subject)
            """).first(decoding: N.self)?.n ?? 0
        guard existing == 0 else { throw RequestFailure.invalid("\(trigger.rule) \(trigger.subject) 的专题报告已经安排。") }
        try await sql.insert(into: "report_tasks").columns("id", "campaign_id", "rule", "subject", "message", "assignee", "due_on")
            .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(trigger.rule), SQLBind(trigger.subject), SQLBind(trigger.message),
                    SQLBind(assignee), SQLBind(due.description)).run()
        audit.record(.init(action: .create, entity: .campaign, entityID: campaign.uuidString,
                           after: ["reportTask": "\(trigger.rule) \(trigger.subject)", "assignee": assignee, "due": due.description]))
    }

    /// Records `task` as done on `day` with its summary, inside the caller's audited transaction.
    static func complete(_ task: Task, campaign: UUID, on day: Day, summary: String, db: any Database, audit: AuditRecorder) async throws {
        try await CampaignWorkflow.require(.reportTasks, campaign: campaign, on: db)
        let sql = db as! any SQLDatabase
        struct N: Decodable { var n: Int }
        guard try await sql.raw("SELECT COUNT(*) AS n FROM report_tasks WHERE id = \(bind: task.id) AND done_on IS NULL").first(decoding: N.self)?.n == 1 else {
            throw RequestFailure.invalid("\(task.rule) \(task.subject) 的专题报告已经完成，不再修改。")
        }
        try await sql.raw("""
            UPDATE report_tasks SET done_on = \(bind: day.description), summary = \(bind: summary) WHERE id = \(bind: task.id)
            """).run()
        audit.record(.init(action: .update, entity: .campaign, entityID: campaign.uuidString,
                           before: ["reportTask": "\(task.rule) \(task.subject)", "doneOn": task.done_on ?? "未完成"],
                           after: ["reportTask": "\(task.rule) \(task.subject)", "doneOn": day.description, "summary": summary]))
    }
}
