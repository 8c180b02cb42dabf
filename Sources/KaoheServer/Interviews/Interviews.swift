import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// 个别谈话 records (seed 003 §五(二)), written by the interview page and by `kaohe demo`.
enum Interviews {
    struct Entry: Sendable {
        var unitID: UUID
        var unitCode: String
        var category: String
        var heldOn: Day
        var interviewer: String
        var notes: String
        /// The cadre about whom the interview revealed a serious lead (R-T2), by id and code.
        var lead: (id: UUID, code: String)?
    }

    /// Records one interview inside the caller's audited transaction, if the campaign's phase allows it. The notes stay
    /// out of the audit log (the administrator reads it): their SHA-256 shows they were not changed.
    static func record(_ e: Entry, campaign: UUID, at time: Double, db: any Database, audit: AuditRecorder) async throws {
        try await CampaignWorkflow.require(.interviews, campaign: campaign, on: db)
        // A form sent twice (a double click, a reload) must not count one interview twice for R-P1.
        let leadFilter: SQLQueryString = e.lead.map { "lead_cadre_id = \(bind: $0.id)" } ?? "lead_cadre_id IS NULL"
        let same = try await (db as! any SQLDatabase).raw("""
            SELECT id FROM interviews WHERE campaign_id = \(bind: campaign) AND unit_id = \(bind: e.unitID) AND category = \(bind: e.category)
              AND held_on = \(bind: e.heldOn.description) AND interviewer = \(bind: e.interviewer) AND notes = \(bind: e.notes)
              AND \(leadFilter) AND withdrawn IS NULL
            """).first()
        guard same == nil else {
            throw RequestFailure.invalid("与已保存的一条谈话记录完全相同（可能重复提交了表单），未再保存。确是另一次谈话的，请在记录中写明谈话对象的区别。")
        }
        try await (db as! any SQLDatabase).insert(into: "interviews")
            .columns("id", "campaign_id", "unit_id", "category", "held_on", "interviewer", "notes", "lead_cadre_id", "recorded_at")
            .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(e.unitID), SQLBind(e.category), SQLBind(e.heldOn.description),
                    SQLBind(e.interviewer), SQLBind(e.notes), SQLBind(e.lead?.id), SQLBind(time)).run()
        audit.record(.init(action: .create, entity: .campaign, entityID: campaign.uuidString,
                           after: ["interview": e.unitCode, "category": e.category, "heldOn": e.heldOn.description, "interviewer": e.interviewer,
                                   "lead": e.lead?.code ?? "无", "notesSHA256": CampaignWorkflow.sha256(Data(e.notes.utf8))]))
    }

    /// Withdraws a record entered by mistake, inside the caller's audited transaction: it no longer counts for R-P1 nor
    /// raises R-T2.
    static func withdraw(_ id: UUID, reason: String, campaign: UUID, db: any Database, audit: AuditRecorder) async throws {
        try await CampaignWorkflow.require(.interviews, campaign: campaign, on: db)
        try await (db as! any SQLDatabase).raw("UPDATE interviews SET withdrawn = \(bind: reason) WHERE id = \(bind: id) AND withdrawn IS NULL").run()
        audit.record(.init(action: .update, entity: .campaign, entityID: campaign.uuidString,
                           before: ["interview": id.uuidString, "withdrawn": "否"], after: ["interview": id.uuidString, "withdrawn": "是"], reason: reason))
    }
}
