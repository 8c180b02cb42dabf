import Foundation
import SQLKit

/// Roster previews awaiting confirmation (migration 006): the uploaded file, the digest of what it would write and
/// the preview in pages. A draft belongs to the account that uploaded it; nobody else can see or confirm it.
enum RosterDrafts {
    /// Preview lines (units and cadres) per stored page, and per page shown.
    static let pageSize = 100
    /// A draft not confirmed within a day is removed by the housekeeping.
    static let lifetime: Double = 24 * 3600

    enum Section: String { case items, warnings }

    /// What the preview page shows above the lists.
    struct Summary: Codable, Sendable, Equatable {
        var summary: RosterImportSummary
        var itemCount: Int
        var warningCount: Int
        var isEmpty: Bool
    }

    struct Header: Decodable, Sendable {
        var id: UUID
        var owner: String
        var filename: String
        var digest: String
        var summary: String
        var created_at: Double

        var decodedSummary: Summary {
            (try? JSONDecoder().decode(Summary.self, from: Data(summary.utf8)))
                ?? Summary(summary: RosterImportSummary(), itemCount: 0, warningCount: 0, isEmpty: true)
        }
    }

    /// Stores a new draft (or replaces the plan of draft `id`, whose data changed since its preview); returns its id.
    @discardableResult
    static func save(_ plan: RosterPlan, id: UUID? = nil, owner: String, filename: String, content: Data, now: Double,
                     on sql: any SQLDatabase) async throws -> UUID {
        let summary = Summary(summary: plan.summary, itemCount: plan.items.count, warningCount: plan.warnings.count, isEmpty: plan.isEmpty)
        let summaryJSON = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        let draftID = id ?? UUID()
        // A replaced plan starts afresh under the same id (even if a concurrent confirmation removed the draft).
        if let id { try await delete(id, on: sql) }
        try await sql.insert(into: "roster_drafts").columns("id", "owner", "filename", "content", "digest", "summary", "created_at")
            .values(SQLBind(draftID), SQLBind(owner), SQLBind(filename), SQLBind(content), SQLBind(plan.digest),
                    SQLBind(summaryJSON), SQLBind(now)).run()
        var pages: [[any SQLExpression]] = []
        let encoder = JSONEncoder()
        func paged<T: Encodable>(_ section: Section, _ list: [T]) throws {
            for (n, start) in stride(from: 0, to: list.count, by: pageSize).enumerated() {
                let body = String(decoding: try encoder.encode(Array(list[start..<min(start + pageSize, list.count)])), as: UTF8.self)
                pages.append([SQLBind(draftID), SQLBind(section.rawValue), SQLBind(n + 1), SQLBind(body)])
            }
        }
        try paged(.items, plan.items)
        try paged(.warnings, plan.warnings)
        try await SQLBatch.insert(sql, "roster_draft_pages", ["draft_id", "section", "page", "body"], pages)
        return draftID
    }

    /// The draft, if it exists, belongs to `owner` and has not expired.
    static func header(_ id: UUID, owner: String, now: Double, on sql: any SQLDatabase) async throws -> Header? {
        let header = try await sql.select().columns("id", "owner", "filename", "digest", "summary", "created_at")
            .from("roster_drafts").where("id", .equal, SQLBind(id)).first(decoding: Header.self)
        guard let header, header.owner == owner, header.created_at > now - lifetime else { return nil }
        return header
    }

    /// The uploaded file of a draft.
    static func content(_ id: UUID, on sql: any SQLDatabase) async throws -> Data? {
        struct Row: Decodable { var content: Data }
        return try await sql.select().column("content").from("roster_drafts").where("id", .equal, SQLBind(id))
            .first(decoding: Row.self)?.content
    }

    /// One stored page of a section (1-based; an empty list past the end).
    private struct PageRow: Decodable { var body: String }

    static func page<T: Decodable>(_ id: UUID, _ section: Section, _ page: Int, as: T.Type, on sql: any SQLDatabase) async throws -> [T] {
        guard let row = try await sql.select().column("body").from("roster_draft_pages").where("draft_id", .equal, SQLBind(id))
            .where("section", .equal, SQLBind(section.rawValue)).where("page", .equal, SQLBind(page)).first(decoding: PageRow.self)
        else { return [] }
        return try JSONDecoder().decode([T].self, from: Data(row.body.utf8))
    }

    /// Every page of a section, in order (the .xlsx of a preview).
    static func all<T: Decodable>(_ id: UUID, _ section: Section, as: T.Type, on sql: any SQLDatabase) async throws -> [T] {
        let rows = try await sql.select().column("body").from("roster_draft_pages").where("draft_id", .equal, SQLBind(id))
            .where("section", .equal, SQLBind(section.rawValue)).orderBy("page").all(decoding: PageRow.self)
        let decoder = JSONDecoder()
        return try rows.flatMap { try decoder.decode([T].self, from: Data($0.body.utf8)) }
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "roster_draft_pages").where("draft_id", .equal, SQLBind(id)).run()
        try await sql.delete(from: "roster_drafts").where("id", .equal, SQLBind(id)).run()
    }

    /// Every draft of an account: a new upload replaces the account's earlier previews (one pending import each).
    static func deleteAll(owner: String, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var id: UUID }
        for row in try await sql.select().column("id").from("roster_drafts").where("owner", .equal, SQLBind(owner)).all(decoding: Row.self) {
            try await delete(row.id, on: sql)
        }
    }

    /// Drafts older than a day (the housekeeping).
    static func purge(now: Double, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var id: UUID }
        let old = try await sql.select().column("id").from("roster_drafts").where("created_at", .lessThan, SQLBind(now - lifetime))
            .all(decoding: Row.self)
        for row in old { try await delete(row.id, on: sql) }
    }
}
