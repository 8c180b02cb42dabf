import Foundation
import SQLKit
import Vapor

/// What the cadre list computes once per filter and data version, so that a page costs what the first page costs:
/// - the order of a list filtered on the cadre (search, 职级, 状态): every page and the total are a lookup;
/// - for lists filtered on units only, how many rows each unit holds, so a deep page starts at its unit at once.
///
/// The data version is the audit head's sequence number: every write to the registry appends to the audit log in its
/// own transaction, so nothing is served from before a change — also across several instances on one PostgreSQL
/// database, which share the head.
struct CadreListCache: Sendable {
    struct OrderKey: Hashable, Sendable { var filter: CadreFilter; var scopeUnits: Set<UUID>?; var today: String }
    let orders = VersionedMemo<OrderKey, CadreQueries.Order>()
    let unitStarts = VersionedMemo<CadreFilter, CadreQueries.UnitStarts>()

    /// The current data version.
    static func version(on sql: any SQLDatabase) async throws -> Int64 { try await AuditChain.head(on: sql)?.seq ?? 0 }
}

/// Values computed once per key for the current data version; a newer version drops them all. A few are kept, the least
/// recently used dropped first. Requests that want a value being computed wait for it (a province's campaign grading
/// takes seconds and hundreds of megabytes: two first views must not make two).
actor VersionedMemo<Key: Hashable & Sendable, Value: Sendable> {
    private let capacity: Int
    private var version: Int64 = .min
    private var entries: [Key: Value] = [:]
    private var recent: [Key] = []
    private var running: [Key: (version: Int64, task: Task<Value, any Error>)] = [:]

    init(capacity: Int = 32) { self.capacity = capacity }

    func value(for key: Key, version: Int64, make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if version == self.version, let hit = entries[key] {
            recent.removeAll { $0 == key }
            recent.append(key)
            return hit
        }
        if let inFlight = running[key], inFlight.version == version { return try await inFlight.task.value }
        let task = Task { try await make() }
        running[key] = (version, task)
        defer { if running[key]?.version == version { running[key] = nil } }
        let value = try await task.value
        if version > self.version {
            self.version = version
            entries = [:]
            recent = []
        }
        guard version == self.version else { return value }  // computed from an older state: not kept
        if entries.updateValue(value, forKey: key) == nil { recent.append(key) }
        while recent.count > capacity { entries[recent.removeFirst()] = nil }
        return value
    }

    var count: Int { entries.count }
}

extension Application {
    private struct CadreListCacheKey: StorageKey { typealias Value = CadreListCache }

    /// The server's memo of cadre lists (one per application, set by `configure`).
    var cadreListCache: CadreListCache? {
        get { storage[CadreListCacheKey.self] }
        set { storage[CadreListCacheKey.self] = newValue }
    }
}
