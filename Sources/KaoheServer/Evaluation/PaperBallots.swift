import AssessmentCore
import Foundation
import SQLKit

/// Paper ballots (纸质票), entered twice by two people (双人录入): a sheet counts only when two entries by different
/// accounts agree — or, when they differ, once someone has read the paper again and entered what it says. Paper and
/// phone ballots are one tally. A void sheet (废票: both entries say so) is counted as cast but not tallied.
enum PaperBallots {
    struct Entry: Codable, Equatable, Sendable {
        var answers: [String: String]
        var comment: String
        var void: Bool
    }

    enum Outcome: Equatable, Sendable {
        case firstEntry
        case counted
        case void
        case mismatch(UUID)
    }

    struct Refusal: Error, CustomStringConvertible { var description: String }

    struct Sheet: Decodable, Sendable {
        var id: UUID
        var number: Int
        var category: String
        var status: String
        var first_by: UUID?
        var first_answers: String?
        var second_by: UUID?
        var second_answers: String?
    }

    static let pending = "pending", mismatch = "mismatch", counted = "counted", voided = "void"

    static func decode(_ text: String?) -> Entry? {
        text.flatMap { try? JSONDecoder().decode(Entry.self, from: Data($0.utf8)) }
    }

    static func encode(_ entry: Entry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    /// One entry of sheet `number`; `sql` is inside a transaction.
    static func enter(session: UUID, sheet: BallotSheet, number: Int, category: String, entry: Entry, by account: UUID,
                      on sql: any SQLDatabase) async throws -> Outcome {
        try await requireOpen(session, on: sql)
        if !entry.void {
            let problems = sheet.problems(entry.answers, comment: entry.comment)
            guard problems.isEmpty else {
                throw Refusal(description: "第 \(number) 号票：" + problems.map(\.description).joined(separator: "；") + "。如票面确实如此，请勾选「废票」。")
            }
        }
        let existing = try await sql.raw("""
            SELECT id, number, category, status, first_by, first_answers, second_by, second_answers
            FROM paper_sheets WHERE session_id = \(bind: session) AND number = \(bind: number)
            """).first(decoding: Sheet.self)
        guard let existing else {
            try await sql.insert(into: "paper_sheets")
                .columns("id", "session_id", "number", "category", "status", "first_by", "first_answers")
                .values(SQLBind(UUID()), SQLBind(session), SQLBind(number), SQLBind(category), SQLBind(pending), SQLBind(account), SQLBind(try encode(entry)))
                .run()
            return .firstEntry
        }
        switch existing.status {
        case counted, voided: throw Refusal(description: "第 \(number) 号票已经计入，不能再录入。")
        case mismatch: throw Refusal(description: "第 \(number) 号票两次录入不一致，请在「待核对」中对照原票处理。")
        default: break
        }
        guard existing.first_by != account else {
            throw Refusal(description: "第 \(number) 号票的第二次录入须由另一人完成（双人录入）。")
        }
        guard existing.category == category else {
            try await markMismatch(existing.id, second: entry, category: category, by: account, on: sql)
            return .mismatch(existing.id)
        }
        if decode(existing.first_answers) == entry {
            return try await count(existing.id, session: session, sheet: sheet, category: category, entry: entry, on: sql)
        }
        try await markMismatch(existing.id, second: entry, category: category, by: account, on: sql)
        return .mismatch(existing.id)
    }

    static func markMismatch(_ id: UUID, second: Entry, category: String, by account: UUID, on sql: any SQLDatabase) async throws {
        var stored = second
        // A different category is a difference too: keep it with the second entry.
        if stored.answers["_category"] == nil { stored.answers["_category"] = category }
        try await sql.update("paper_sheets").set("status", to: SQLBind(mismatch)).set("second_by", to: SQLBind(account))
            .set("second_answers", to: SQLBind(try encode(stored))).where("id", .equal, SQLBind(id)).run()
    }

    /// A mismatch settled by reading the paper again: `entry` is what the sheet says.
    static func resolve(_ id: UUID, session: UUID, sheet: BallotSheet, category: String, entry: Entry, on sql: any SQLDatabase) async throws -> Outcome {
        try await requireOpen(session, on: sql)
        guard let row = try await sql.raw("SELECT id, number, category, status, first_by, first_answers, second_by, second_answers FROM paper_sheets WHERE id = \(bind: id) AND session_id = \(bind: session)")
            .first(decoding: Sheet.self), row.status == mismatch else {
            throw Refusal(description: "这张票不在待核对之列（可能已处理）。")
        }
        if !entry.void {
            let problems = sheet.problems(entry.answers, comment: entry.comment)
            guard problems.isEmpty else { throw Refusal(description: "第 \(row.number) 号票：" + problems.map(\.description).joined(separator: "；")) }
        }
        return try await count(id, session: session, sheet: sheet, category: category, entry: entry, on: sql)
    }

    /// The sheet counted: its ballot stored like a phone ballot (unless void), the sheet left with its number only.
    static func count(_ id: UUID, session: UUID, sheet: BallotSheet, category: String, entry: Entry, on sql: any SQLDatabase) async throws -> Outcome {
        // The sheet leaves "pending"/"mismatch" exactly once: a second request for it finds nothing to count.
        let claimed = try await sql.raw("""
            UPDATE paper_sheets SET status = \(bind: entry.void ? voided : counted), category = \(bind: category),
              first_by = NULL, first_answers = NULL, second_by = NULL, second_answers = NULL
            WHERE id = \(bind: id) AND status IN (\(bind: pending), \(bind: mismatch)) RETURNING number
            """).first()
        guard claimed != nil else { throw Refusal(description: "这张票刚刚已被计入，不能再计。") }
        if !entry.void {
            try await Voting.insertBallot(session: session, category: category, source: "paper",
                                          stored: Voting.storedAnswers(entry.answers, comment: entry.comment, sheet: sheet), on: sql)
        }
        return entry.void ? .void : .counted
    }

    /// Inside the writing transaction: the session still open (and, on PostgreSQL, held open until commit).
    static func requireOpen(_ session: UUID, on sql: any SQLDatabase) async throws {
        do { try await Voting.holdOpen(session, on: sql) } catch is Voting.Refusal {
            throw Refusal(description: "民主测评已结束，不能再录入纸质票（可由组织部重新开放）。")
        }
        struct S: Decodable { var status: String }
        let row = try await sql.raw("SELECT status FROM evaluation_sessions WHERE id = \(bind: session)").first(decoding: S.self)
        guard row?.status == EvaluationSession.open else { throw Refusal(description: "民主测评已结束，不能再录入纸质票（可由组织部重新开放）。") }
    }

    /// Sheets not yet counted, by number.
    static func open(session: UUID, on sql: any SQLDatabase) async throws -> [Sheet] {
        try await sql.raw("""
            SELECT id, number, category, status, first_by, first_answers, second_by, second_answers FROM paper_sheets
            WHERE session_id = \(bind: session) AND status IN (\(bind: pending), \(bind: mismatch)) ORDER BY number
            """).all(decoding: Sheet.self)
    }

    /// Void sheets per category (cast, not tallied).
    static func voids(session: UUID, on sql: any SQLDatabase) async throws -> [String: Int] {
        struct V: Decodable { var category: String; var n: Int }
        let rows = try await sql.raw("SELECT category, COUNT(*) AS n FROM paper_sheets WHERE session_id = \(bind: session) AND status = \(bind: voided) GROUP BY category")
            .all(decoding: V.self)
        return Dictionary(rows.map { ($0.category, $0.n) }) { a, _ in a }
    }
}
