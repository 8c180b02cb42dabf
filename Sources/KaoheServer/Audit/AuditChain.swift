import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// What kind of record an audit entry is about; the raw value is what the log stores.
enum AuditEntity: String, CaseIterable, Sendable {
    case cadre, post, cadreYearFact, unit, unitCategory, team, account
    case assessmentGroup, assessmentGroupUnit, assessmentGroupMember
    case campaign, evaluationSession
    case regularCheck, checkKind, regularEvaluation, ledger

    var label: String {
        switch self {
        case .cadre: "干部"
        case .post: "职务"
        case .cadreYearFact: "年度状态"
        case .unit: "单位"
        case .unitCategory: "单位类别"
        case .team: "领导班子"
        case .account: "账号"
        case .assessmentGroup: "考核组"
        case .assessmentGroupUnit: "考核组单位"
        case .assessmentGroupMember: "考核组成员"
        case .campaign: "考核"
        case .evaluationSession: "民主测评"
        case .regularCheck: "日常考核"
        case .checkKind: "日常考核类别"
        case .regularEvaluation: "平时考核评价"
        case .ledger: "目标责任考核台账"
        }
    }
}

/// One change to record: who did it comes from the `Actor`, when from the clock.
struct AuditRecord: Sendable {
    enum Action: String, Sendable { case create, update, delete, login, logout, loginFailed, lockout, disable, passwordChange, importRoster }
    var action: Action
    var entity: AuditEntity
    var entityID: String
    var before: [String: String]?
    var after: [String: String]?
    var reason: String?
}

extension Request {
    /// Runs `body` as one audited transaction of the logged-in account, timed by the server's clock.
    func audited<T: Sendable>(_ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T) async throws -> T {
        try await AuditChain.transaction(on: db, actor: actor, clock: clock, seal: application.auditSeal, body)
    }
}

/// Who changed something. The system itself (first start, migrations) is an actor too.
struct Actor: Sendable {
    var id: String
    var name: String
    static let system = Actor(id: "system", name: "系统")
}

/// The hash-chained audit log (操作日志). Each entry stores SHA-256 over its own content and the previous
/// entry's hash; the head row holds the last sequence number and hash. Writers lock the head row first,
/// which serialises them on PostgreSQL (row lock) and on SQLite (write lock taken by the first statement).
enum AuditChain {
    static let genesisHash = String(repeating: "0", count: 64)

    struct Entry: Sendable, Equatable {
        var seq: Int64
        var at: String
        var actorID: String
        var actorName: String
        var action: String
        var entity: String
        var entityID: String
        var before: String?
        var after: String?
        var reason: String?
        var prevHash: String
        var hash: String
        /// HMAC of `hash` under the audit key (nil for entries written before the key existed); not hashed itself.
        var mac: String? = nil

        /// The canonical bytes that the hash covers: every field, length-prefixed so that no two
        /// different entries share a serialisation.
        var canonical: String {
            let fields = [String(seq), at, actorID, actorName, action, entity, entityID,
                          before ?? "\u{0}", after ?? "\u{0}", reason ?? "\u{0}", prevHash]
            return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        }

        func computedHash() -> String {
            AuditChain.hex(SHA256.hash(data: Data(canonical.utf8)))
        }
    }

    /// Runs `body` in one transaction whose first statement locks the chain head; the records the body
    /// collects are appended to the chain before commit. Either the change and its entries land, or nothing.
    static func transaction<T: Sendable>(
        on db: any Database, actor: Actor, clock: OrganisationClock, seal: AuditSeal?,
        _ body: @escaping @Sendable (any Database, AuditRecorder) async throws -> T
    ) async throws -> T {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            // Take the write lock before reading anything (see type comment).
            try await sql.raw("UPDATE audit_head SET seq = seq WHERE id = 1").run()
            let recorder = AuditRecorder()
            let result = try await body(tx, recorder)
            try await append(recorder.records, actor: actor, at: clock.now, seal: seal, on: sql)
            return result
        }
    }

    /// Appends entries; must run inside a transaction that already locked the head.
    static func append(_ records: [AuditRecord], actor: Actor, at time: Date, seal: AuditSeal?, on sql: any SQLDatabase) async throws {
        guard !records.isEmpty else { return }
        guard let head = try await head(on: sql) else {
            throw HeadMissing()
        }
        var seq = head.seq
        var prev = head.hash
        let at = timestamp(time)
        var rows: [Entry] = []
        rows.reserveCapacity(records.count)
        for record in records {
            seq += 1
            var entry = Entry(
                seq: seq, at: at, actorID: actor.id, actorName: actor.name, action: record.action.rawValue,
                entity: record.entity.rawValue, entityID: record.entityID,
                before: record.before.map(encode), after: record.after.map(encode), reason: record.reason,
                prevHash: prev, hash: "")
            entry.hash = entry.computedHash()
            entry.mac = seal?.entry(entry.hash)
            prev = entry.hash
            rows.append(entry)
        }
        // Multi-row inserts keep bulk imports fast; 500 rows × 13 binds stays under every driver's limit.
        for chunk in stride(from: 0, to: rows.count, by: 500) {
            let insert = sql.insert(into: "audit_entries")
                .columns("seq", "at", "actor_id", "actor_name", "action", "entity", "entity_id",
                         "before", "after", "reason", "prev_hash", "hash", "mac")
            for e in rows[chunk..<min(chunk + 500, rows.count)] {
                insert.values(SQLBind(e.seq), SQLBind(e.at), SQLBind(e.actorID), SQLBind(e.actorName),
                              SQLBind(e.action), SQLBind(e.entity), SQLBind(e.entityID), SQLBind(e.before),
                              SQLBind(e.after), SQLBind(e.reason), SQLBind(e.prevHash), SQLBind(e.hash), SQLBind(e.mac))
            }
            try await insert.run()
        }
        try await sql.update("audit_head").set("seq", to: SQLBind(seq)).set("hash", to: SQLBind(prev))
            .set("mac", to: SQLBind(seal?.head(seq: seq, hash: prev))).where("id", .equal, SQLBind(1)).run()
    }

    /// The head row is gone: the log cannot be appended to (a damaged database, never a user's doing).
    struct HeadMissing: Error, CustomStringConvertible { var description: String { "操作日志链头缺失" } }

    enum VerificationResult: Equatable, Sendable {
        case intact(count: Int)
        case broken(seq: Int64, problem: String)
    }

    /// The chain's last entry, as an organisation department records it outside the system (e.g. printed in the
    /// monthly report) and later hands to `kaohe audit verify --expect SEQ:HASH`.
    struct Head: Decodable, Equatable, Sendable {
        var seq: Int64
        var hash: String
        var mac: String?
        var anchor: String { "\(seq):\(hash)" }
    }

    static func head(on sql: any SQLDatabase) async throws -> Head? {
        try await sql.raw("SELECT seq, hash, mac FROM audit_head WHERE id = 1").first(decoding: Head.self)
    }

    /// Walks the chain from the first entry; reports the first entry whose stored bytes do not match its
    /// hash, whose link to the previous entry is broken, that is missing (a gap in the sequence, or entries
    /// removed from the end, which the head row reveals), or whose seal (HMAC under the key outside the database)
    /// does not match — so a chain rewritten and re-hashed by someone without the key is found too. Entries from
    /// before the key existed carry no seal; once one does, every later one must.
    static func verify(on sql: any SQLDatabase, seal: AuditSeal?, batchSize: Int = 5000) async throws -> VerificationResult {
        var expectedSeq: Int64 = 1
        var prev = genesisHash
        var count = 0
        var sealed = false
        // A broken seal is reported only when the hashes and links hold: a structural break says more about what
        // changed, and comes first in the chain anyway once anything after the changed entry is checked.
        var sealProblem: VerificationResult?
        while true {
            let rows = try await sql.raw("""
                SELECT seq, at, actor_id, actor_name, action, entity, entity_id, before, after, reason, prev_hash, hash, mac
                FROM audit_entries WHERE seq >= \(bind: expectedSeq) ORDER BY seq LIMIT \(unsafeRaw: String(batchSize))
                """).all(decoding: StoredEntry.self)
            if rows.isEmpty { break }
            for row in rows {
                let e = row.entry
                if e.seq != expectedSeq {
                    return .broken(seq: expectedSeq, problem: "第 \(expectedSeq) 条缺失（下一条为第 \(e.seq) 条）")
                }
                if e.prevHash != prev {
                    return .broken(seq: e.seq, problem: "第 \(e.seq) 条的前一哈希与第 \(e.seq - 1) 条不符")
                }
                if e.computedHash() != e.hash {
                    return .broken(seq: e.seq, problem: "第 \(e.seq) 条内容被改动（哈希不符）")
                }
                if sealProblem == nil {
                    if let mac = e.mac {
                        if let seal {
                            if mac != seal.entry(e.hash) {
                                sealProblem = .broken(seq: e.seq, problem: "第 \(e.seq) 条的密钥签名不符（日志被不持有密钥者改写）")
                            }
                        } else {
                            sealProblem = .broken(seq: e.seq, problem: "缺少操作日志密钥，无法核对第 \(e.seq) 条的签名")
                        }
                        sealed = true
                    } else if sealed {
                        sealProblem = .broken(seq: e.seq, problem: "第 \(e.seq) 条缺少密钥签名（其前各条已有签名）")
                    }
                }
                prev = e.hash
                expectedSeq += 1
                count += 1
            }
        }
        guard let head = try await head(on: sql) else {
            return .broken(seq: 0, problem: "操作日志链头缺失")
        }
        // Rows outside 1…n (a forged "earlier" entry with seq 0 or less) are not part of the chain but would be shown.
        struct Total: Decodable { var n: Int64 }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM audit_entries").first(decoding: Total.self)?.n ?? 0
        if total != Int64(count) {
            return .broken(seq: 0, problem: "有 \(total - Int64(count)) 条记录不在哈希链中（序号不在 1 到 \(count) 之间）")
        }
        if head.seq != Int64(count) {
            return .broken(seq: Int64(count) + 1, problem: "链头记录共 \(head.seq) 条，实际只有 \(count) 条：第 \(count + 1) 条起被删除")
        }
        if head.hash != prev {
            return .broken(seq: Int64(count), problem: "链头哈希与最后一条（第 \(count) 条）不符")
        }
        if let sealProblem { return sealProblem }
        // With a key, the head must carry its seal: stripping every seal does not turn a rewritten chain into an
        // old unsealed one (`prepareDatabase` seals the head of a chain begun before the key existed).
        if sealed || head.mac != nil || seal != nil {
            guard let seal, head.mac == seal.head(seq: head.seq, hash: head.hash) else {
                return .broken(seq: Int64(count), problem: "链头的密钥签名不符（日志被不持有密钥者改写或回退）")
            }
        }
        return .intact(count: count)
    }

    /// Seals the head of a chain begun before the key existed (once, at start), so that from now on a missing head
    /// seal means tampering.
    static func sealHeadIfUnsealed(_ seal: AuditSeal, on sql: any SQLDatabase) async throws {
        guard let head = try await head(on: sql), head.mac == nil else { return }
        try await sql.update("audit_head").set("mac", to: SQLBind(seal.head(seq: head.seq, hash: head.hash)))
            .where("id", .equal, SQLBind(1)).where("mac", .is, SQLLiteral.null).run()
    }

    /// Whether the database holds any seal (then the key that made them is needed; a new one would not do).
    /// Runs at every start: reads the head and at most one entry, never the whole log.
    static func isSealed(on sql: any SQLDatabase) async throws -> Bool {
        if try await head(on: sql)?.mac != nil { return true }
        struct One: Decodable { var one: Int }
        return try await sql.raw("SELECT 1 AS one FROM audit_entries WHERE mac IS NOT NULL LIMIT 1").first(decoding: One.self) != nil
    }

    /// Whether the chain still holds entry `seq` with `hash` (an anchor recorded outside the system earlier).
    static func contains(seq: Int64, hash: String, on sql: any SQLDatabase) async throws -> Bool {
        struct H: Decodable { var hash: String }
        let row = try await sql.raw("SELECT hash FROM audit_entries WHERE seq = \(bind: seq)").first(decoding: H.self)
        return row?.hash == hash.lowercased()
    }

    struct StoredEntry: Decodable {
        var seq: Int64
        var at: String
        var actor_id: String
        var actor_name: String
        var action: String
        var entity: String
        var entity_id: String
        var before: String?
        var after: String?
        var reason: String?
        var prev_hash: String
        var hash: String
        var mac: String?
        var entry: Entry {
            Entry(seq: seq, at: at, actorID: actor_id, actorName: actor_name, action: action, entity: entity,
                  entityID: entity_id, before: before, after: after, reason: reason, prevHash: prev_hash, hash: hash, mac: mac)
        }
    }

    /// JSON of a snapshot (`SortedJSON`).
    static func encode(_ snapshot: [String: String]) -> String { SortedJSON.object(snapshot) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of a digest (`String(format:)` per byte is slow on Linux).
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// UTC, ISO 8601 with milliseconds, e.g. `2026-11-24T06:30:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}

/// Collects the records of one audited transaction.
final class AuditRecorder: @unchecked Sendable {
    private let lock = NIOLock()
    private var _records: [AuditRecord] = []
    var records: [AuditRecord] { lock.withLock { _records } }
    func record(_ r: AuditRecord) { lock.withLock { _records.append(r) } }
    func record(_ rs: [AuditRecord]) { lock.withLock { _records.append(contentsOf: rs) } }
}
