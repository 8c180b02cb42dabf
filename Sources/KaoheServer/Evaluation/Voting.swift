import AssessmentCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Casting a ballot with a one-time code. The code is the credential: it opens its session's ballot, and submitting
/// consumes it and stores the ballot in one transaction — never a used code without its ballot, never a ballot
/// without its code used; of two submissions of one code, exactly one is counted. Nothing of the code, the time or
/// the voter's address is stored with the ballot, and nothing about a ballot is logged.
enum Voting {
    /// Why a code or a ballot is not accepted, in the voter's words.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case notACode
        case unknownCode
        case used
        case closed
        case incomplete([BallotSheet.Problem])
        case throttled
        /// The database failed (full disk, lost connection): nothing was stored, the code is still unused.
        case unavailable

        var description: String {
            switch self {
            case .notACode: "测评码应为 10 位字母和数字（不含 0、O、1、I），如 ABCDE-FGH23，请核对后重新输入。"
            case .unknownCode: "没有这个测评码，请核对后重新输入。"
            case .used: "这个测评码已经用过，每个测评码只能投一次票。"
            case .closed: "本次民主测评已经结束，不能再投票。"
            case .incomplete(let problems): "测评票未填完整或有误：" + problems.map(\.description).joined(separator: "；")
            case .throttled: "输入错误的测评码次数过多，请 10 分钟后再试，或向工作人员求助。"
            case .unavailable: "服务器暂时未能处理这张测评票，请稍后再提交一次（如提示测评码已用过，说明这张票已经计入）。"
            }
        }

        /// For the JSON API: a stable reason and an HTTP status.
        var reason: String {
            switch self {
            case .notACode: "malformed-code"
            case .unknownCode: "unknown-code"
            case .used: "code-used"
            case .closed: "session-closed"
            case .incomplete: "invalid-ballot"
            case .throttled: "too-many-attempts"
            case .unavailable: "try-again"
            }
        }

        var status: HTTPStatus {
            switch self {
            case .notACode, .incomplete: .unprocessableEntity
            case .unknownCode: .notFound
            case .used, .closed: .conflict
            case .throttled: .tooManyRequests
            case .unavailable: .serviceUnavailable
            }
        }
    }

    /// What a valid, unused code opens.
    struct Ticket: Sendable {
        var hash: String
        var sessionID: UUID
        var category: String
        var sheet: BallotSheet
        var unitName: String
        var campaignTitle: String
    }

    /// The ballot a code opens; refuses a malformed, unknown or used code and a closed session. Wrong codes count
    /// against the client's address (`VoteThrottle`).
    static func ticket(_ typed: String, client: String, on app: Application) async throws -> Ticket {
        try await ticket(hash: hashOf(typed, client: client, on: app), client: client, on: app)
    }

    /// The keyed hash of a typed code; refuses a throttled client and what cannot be a code.
    static func hashOf(_ typed: String, client: String, on app: Application) throws -> String {
        let throttle = app.voteThrottle
        let now = app.clock.epochSeconds
        guard throttle.allows(client, now: now) else { throw Refusal.throttled }
        guard let code = BallotCodes.normalize(typed), let seal = app.auditSeal else {
            throttle.failed(client, now: now)
            throw Refusal.notACode
        }
        return seal.ballotCode(code)
    }

    static func ticket(hash: String, client: String, on app: Application) async throws -> Ticket {
        struct Row: Decodable { var category: String; var used: Bool; var session_id: UUID; var status: String; var sheet_json: String; var unit: String; var title: String }
        let found: Row?
        do {
            found = try await (app.db as! any SQLDatabase).raw("""
            SELECT c.category, c.used, c.session_id, s.status, s.sheet_json, u.name AS unit, k.title
            FROM ballot_codes c JOIN evaluation_sessions s ON s.id = c.session_id
            JOIN units u ON u.id = s.unit_id JOIN campaigns k ON k.id = s.campaign_id
            WHERE c.hash = \(bind: hash)
            """).first(decoding: Row.self)
        } catch {
            throw Refusal.unavailable  // the database failed: the voter tries again, nothing was changed
        }
        guard let row = found else {
            app.voteThrottle.failed(client, now: app.clock.epochSeconds)
            throw Refusal.unknownCode
        }
        if row.used { throw Refusal.used }
        if row.status != EvaluationSession.open { throw Refusal.closed }
        let sheet = try app.ballotSheets.sheet(row.session_id, json: row.sheet_json)
        app.codeDirectory.remember(hash, .init(session: row.session_id, category: row.category))
        return Ticket(hash: hash, sessionID: row.session_id, category: row.category, sheet: sheet, unitName: row.unit, campaignTitle: row.title)
    }

    /// Checks the answers and, in one transaction (shared with the ballots submitted at the same moment: `BallotBox`),
    /// uses the code and stores the ballot. A code this instance issued or opened is not read first: the batch's
    /// update refuses it if it is used or its session closed.
    static func submit(_ typed: String, answers: [String: String], comment: String, client: String, on app: Application) async throws {
        let hash = try hashOf(typed, client: client, on: app)
        let session: UUID, category: String, sheet: BallotSheet
        if let known = app.codeDirectory.entry(hash), let cached = app.ballotSheets.cached(known.session) {
            (session, category, sheet) = (known.session, known.category, cached)
        } else {
            let ticket = try await ticket(hash: hash, client: client, on: app)
            (session, category, sheet) = (ticket.sessionID, ticket.category, ticket.sheet)
        }
        let problems = sheet.problems(answers, comment: comment)
        guard problems.isEmpty else { throw Refusal.incomplete(problems) }
        let stored = storedAnswers(answers, comment: comment, sheet: sheet)
        defer { app.codeDirectory.forget(hash) }  // used now, or refused: a later look reads the database
        try await app.ballotBox.cast(.init(hash: hash, session: session, category: category, stored: stored))
    }

    /// PostgreSQL: the session row held FOR SHARE for the rest of the transaction, so closing (which updates it first)
    /// waits for a ballot halfway through, and a ballot waits for a close. SQLite has one writer at a time anyway.
    static func holdOpen(_ session: UUID, on sql: any SQLDatabase) async throws {
        guard try await holdOpen([session], on: sql).contains(session) else { throw Refusal.closed }
    }

    /// The sessions of `sessions` that are open, held as above, in one statement and in key order (two instances
    /// holding the same sessions never wait for each other in a circle). SQLite: all of them (its update checks).
    static func holdOpen(_ sessions: Set<UUID>, on sql: any SQLDatabase) async throws -> Set<UUID> {
        guard sql.dialect.name == "postgresql", !sessions.isEmpty else { return sessions }
        struct S: Decodable { var id: UUID; var status: String }
        let rows = try await sql.raw("""
            SELECT id, status FROM evaluation_sessions WHERE id IN (\(binds: sessions.sorted { $0.uuidString < $1.uuidString }))
            ORDER BY id FOR SHARE
            """).all(decoding: S.self)
        return Set(rows.filter { $0.status == EvaluationSession.open }.map(\.id))
    }

    /// The stored form of a counted ballot: "v2:", the answers packed (`BallotSheet.packed`: one character per item),
    /// then the comment, if any, after a line break. Nothing else. (Ballots stored by earlier versions are JSON objects of
    /// item keys and options, with "comment"; `SessionTally` reads both.)
    static func storedAnswers(_ answers: [String: String], comment: String, sheet: BallotSheet) -> String {
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let packed = sheet.packed(answers) else { return storedJSON(answers, comment: comment) }
        return storedPrefix + packed + (comment.isEmpty ? "" : "\n" + comment)
    }
    static let storedPrefix = "v2:"

    /// The first stored form: answers and comment as one JSON object, keys sorted.
    static func storedJSON(_ answers: [String: String], comment: String) -> String {
        var object = answers
        object["comment"] = comment
        return SortedJSON.object(object)
    }

    static func insertBallot(session: UUID, category: String, source: String, stored: String, on sql: any SQLDatabase) async throws {
        // A random key: nothing in the row follows the order of voting.
        try await sql.insert(into: "ballots").columns("id", "session_id", "category", "source", "answers")
            .values(SQLBind(UUID()), SQLBind(session), SQLBind(category), SQLBind(source), SQLBind(stored)).run()
    }
}

extension EvaluationSession {
    static let open = "open"
    static let closed = "closed"
}

/// Wrong codes per client address: more than 30 in 10 minutes pause that address (a meeting room behind one address
/// has hundreds of voters: only wrong codes count). In memory, per instance.
final class VoteThrottle: Sendable {
    static let window: Double = 600
    static let limit = 30
    private let failures = NIOLockedValueBox([String: [Double]]())

    func allows(_ client: String, now: Double) -> Bool {
        failures.withLockedValue { ($0[client]?.filter { now - $0 < Self.window }.count ?? 0) < Self.limit }
    }

    func failed(_ client: String, now: Double) {
        failures.withLockedValue { all in
            var list = (all[client] ?? []).filter { now - $0 < Self.window }
            list.append(now)
            all[client] = list
            if all.count > 10_000 { all = all.filter { $0.value.contains { now - $0 < Self.window } } }
        }
    }
}

/// What a code opens that never changes, its session and category, by the code's hash: remembered when this instance
/// issues a code or opens its ballot, forgotten once the code is used. A submission of a remembered code then reads
/// nothing before its batch. Nothing about voting is kept (no time, no order); bounded, and a miss reads the database.
final class CodeDirectory: Sendable {
    struct Entry: Sendable { var session: UUID; var category: String }
    static let limit = 100_000
    private let entries = NIOLockedValueBox([String: Entry]())

    func remember(_ hash: String, _ entry: Entry) {
        entries.withLockedValue {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[hash] = entry
        }
    }
    func entry(_ hash: String) -> Entry? { entries.withLockedValue { $0[hash] } }
    func forget(_ hash: String) { _ = entries.withLockedValue { $0.removeValue(forKey: hash) } }
}

/// The ballots of sessions, decoded once (a session's ballot never changes).
final class BallotSheetCache: Sendable {
    private let sheets = NIOLockedValueBox([UUID: BallotSheet]())

    func cached(_ session: UUID) -> BallotSheet? { sheets.withLockedValue { $0[session] } }

    func sheet(_ session: UUID, json: String) throws -> BallotSheet {
        if let s = sheets.withLockedValue({ $0[session] }) { return s }
        let s = try JSONDecoder().decode(BallotSheet.self, from: Data(json.utf8))
        sheets.withLockedValue { $0[session] = s }
        return s
    }
}

extension Application {
    private struct ThrottleKey: StorageKey { typealias Value = VoteThrottle }
    private struct SheetsKey: StorageKey { typealias Value = BallotSheetCache }
    private struct DirectoryKey: StorageKey { typealias Value = CodeDirectory }
    var voteThrottle: VoteThrottle {
        get { storage[ThrottleKey.self]! }
        set { storage[ThrottleKey.self] = newValue }
    }
    var ballotSheets: BallotSheetCache {
        get { storage[SheetsKey.self]! }
        set { storage[SheetsKey.self] = newValue }
    }
    var codeDirectory: CodeDirectory {
        get { storage[DirectoryKey.self]! }
        set { storage[DirectoryKey.self] = newValue }
    }
}
