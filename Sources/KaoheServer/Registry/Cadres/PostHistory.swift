import Foundation
import SQLKit

/// Posts keep their history: a change never overwrites a post, it ends the old one and opens a new one. One
/// implementation of "a new main post ends the open main posts" for the cadre page and the roster import.
enum PostHistory {
    /// An open post as read for a change.
    struct OpenPost: Decodable, Sendable {
        var id: UUID; var cadre_id: UUID; var unit_id: UUID; var title: String; var principal: Bool; var main_duty: Bool
        var start_date: String

        var fields: PostFields {
            PostFields(cadreID: cadre_id, unitID: unit_id, title: title, principal: principal, mainDuty: main_duty,
                       startDate: start_date, endDate: nil)
        }
    }

    /// The open posts of these cadres, by cadre.
    static func openPosts(of cadreIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [OpenPost]] {
        var byCadre: [UUID: [OpenPost]] = [:]
        for chunk in SQLBatch.chunks(cadreIDs) {
            let rows = try await sql.select()
                .columns("id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date")
                .from("posts").where("end_date", .is, SQLLiteral.null).where("cadre_id", .in, SQLBind.group(Array(chunk)))
                .all(decoding: OpenPost.self)
            for r in rows { byCadre[r.cadre_id, default: []].append(r) }
        }
        return byCadre
    }

    /// A new main post starting on `start` ends these open main posts that day (or on their own start day, if
    /// later). Returns the audit records; the caller writes them in its transaction.
    static func endMainPosts(_ open: [OpenPost], newStart start: String, reason: String,
                             on sql: any SQLDatabase) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for old in open where old.main_duty {
            let end = max(start, old.start_date)
            try await sql.update("posts").set("end_date", to: SQLBind(end)).where("id", .equal, SQLBind(old.id)).run()
            var after = old.fields
            after.endDate = end
            records.append(AuditRecord(action: .update, entity: .post, entityID: old.id.uuidString,
                                       before: old.fields.auditSnapshot, after: after.auditSnapshot, reason: reason))
        }
        return records
    }

    /// Opens a post; returns its id and audit record. (The roster import opens many at once with one statement.)
    static func open(_ post: PostFields, reason: String? = nil, on sql: any SQLDatabase) async throws -> (UUID, AuditRecord) {
        let id = UUID()
        try await sql.insert(into: "posts").columns(columns).values(values(id, post)).run()
        return (id, AuditRecord(action: .create, entity: .post, entityID: id.uuidString, after: post.auditSnapshot, reason: reason))
    }

    static let columns = ["id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date", "end_date"]

    static func values(_ id: UUID, _ p: PostFields) -> [any SQLExpression] {
        [SQLBind(id), SQLBind(p.cadreID), SQLBind(p.unitID), SQLBind(p.title), SQLBind(p.principal), SQLBind(p.mainDuty),
         SQLBind(p.startDate), SQLBind(p.endDate)]
    }
}
