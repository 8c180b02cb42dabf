import Foundation
import SQLKit

/// Posts keep their history: a change never overwrites a post, it ends the old one and opens a new one. One
/// implementation of "a new main post ends the open main posts" for the cadre page and the roster import.
enum PostHistory {
    /// A post as read for a change (open when `end_date` is nil).
    struct StoredPost: Decodable, Sendable {
        var id: UUID; var cadre_id: UUID; var unit_id: UUID; var title: String; var principal: Bool; var main_duty: Bool
        var start_date: String; var end_date: String?; var order_number: Int?

        var fields: PostFields {
            PostFields(cadreID: cadre_id, unitID: unit_id, title: title, principal: principal, mainDuty: main_duty,
                       startDate: start_date, endDate: end_date, orderNumber: order_number)
        }
        var isOpen: Bool { end_date == nil }
    }

    /// The open posts of these cadres, by cadre.
    static func openPosts(of cadreIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [StoredPost]] {
        try await posts(of: cadreIDs, openOnly: true, on: sql)
    }

    /// Every post of these cadres, open and ended, by cadre (the roster import checks a file against the history).
    static func history(of cadreIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [StoredPost]] {
        try await posts(of: cadreIDs, openOnly: false, on: sql)
    }

    private static func posts(of cadreIDs: [UUID], openOnly: Bool, on sql: any SQLDatabase) async throws -> [UUID: [StoredPost]] {
        var byCadre: [UUID: [StoredPost]] = [:]
        try await SQLBatch.rows(of: cadreIDs, column: "cadre_id", decoding: StoredPost.self, on: sql, {
            let query = sql.select()
                .columns("id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date", "end_date", "order_number")
                .from("posts")
            if openOnly { query.where("end_date", .is, SQLLiteral.null) }
            return query
        }) { r in byCadre[r.cadre_id, default: []].append(r) }
        return byCadre
    }

    /// A new main post starting on `start` ends these open main posts that day (or on their own start day, if
    /// later). Returns the audit records; the caller writes them in its transaction.
    static func endMainPosts(_ open: [StoredPost], newStart start: String, reason: String,
                             on sql: any SQLDatabase) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for old in open where old.main_duty {
            records.append(try await end(old, on: max(start, old.start_date), reason: reason, sql: sql))
        }
        return records
    }

    /// Ends one open post on `day`; returns its audit record.
    static func end(_ post: StoredPost, on day: String, reason: String, sql: any SQLDatabase) async throws -> AuditRecord {
        try await sql.update("posts").set("end_date", to: SQLBind(day)).where("id", .equal, SQLBind(post.id)).run()
        var after = post.fields
        after.endDate = day
        return AuditRecord(action: .update, entity: .post, entityID: post.id.uuidString,
                           before: post.fields.auditSnapshot, after: after.auditSnapshot, reason: reason)
    }

    /// Opens a post; returns its id and audit record. (The roster import opens many at once with one statement.)
    static func open(_ post: PostFields, reason: String? = nil, on sql: any SQLDatabase) async throws -> (UUID, AuditRecord) {
        let id = UUID()
        try await sql.insert(into: "posts").columns(columns).values(values(id, post)).run()
        return (id, AuditRecord(action: .create, entity: .post, entityID: id.uuidString, after: post.auditSnapshot, reason: reason))
    }

    static let columns = ["id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date", "end_date", "order_number", "sort_key"]

    static func values(_ id: UUID, _ p: PostFields) -> [any SQLExpression] {
        [SQLBind(id), SQLBind(p.cadreID), SQLBind(p.unitID), SQLBind(p.title), SQLBind(p.principal), SQLBind(p.mainDuty),
         SQLBind(p.startDate), SQLBind(p.endDate), SQLBind(p.orderNumber), SQLBind(p.sortKey)]
    }

    /// Corrects an open post in place (start date, 主要负责人, 职务排序号; its order follows).
    static func correct(_ post: StoredPost, to after: PostFields, reason: String, sql: any SQLDatabase) async throws -> AuditRecord {
        try await sql.update("posts").set("start_date", to: SQLBind(after.startDate)).set("principal", to: SQLBind(after.principal))
            .set("order_number", to: SQLBind(after.orderNumber)).set("sort_key", to: SQLBind(after.sortKey))
            .where("id", .equal, SQLBind(post.id)).run()
        return AuditRecord(action: .update, entity: .post, entityID: post.id.uuidString, before: post.fields.auditSnapshot,
                           after: after.auditSnapshot, reason: reason)
    }
}
