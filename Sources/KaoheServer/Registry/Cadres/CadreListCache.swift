import Foundation
import Vapor

/// The order of cadre lists filtered on the cadre (search, 职级, 状态), memoised per filter, scope, day and data
/// version, so that every page of such a list and its total cost a lookup, not a scan of the registry.
///
/// The data version is the audit head's sequence number: every write to the registry appends to the audit log in its
/// own transaction, so a list is never served from before a change — also across several instances on one
/// PostgreSQL database, which share the head. A few entries are kept, the least recently used dropped first.
actor CadreListCache {
    struct Key: Hashable, Sendable {
        var filter: CadreFilter
        var scopeUnits: Set<UUID>?
        var today: String
        var version: Int64
    }

    private let capacity: Int
    private var entries: [Key: CadreQueries.Order] = [:]
    private var recent: [Key] = []

    init(capacity: Int = 32) { self.capacity = capacity }

    /// The order for `key`, computed by `make` when not held (two requests at once may both compute it).
    func order(for key: Key, make: @Sendable () async throws -> CadreQueries.Order) async throws -> CadreQueries.Order {
        if let hit = entries[key] {
            recent.removeAll { $0 == key }
            recent.append(key)
            return hit
        }
        let order = try await make()
        // Entries of an older version will not be asked for again.
        for old in entries.keys where old.version < key.version { entries[old] = nil }
        recent.removeAll { entries[$0] == nil }
        entries[key] = order
        recent.append(key)
        while recent.count > capacity { entries[recent.removeFirst()] = nil }
        return order
    }

    var count: Int { entries.count }
}

extension Application {
    private struct CadreListCacheKey: StorageKey { typealias Value = CadreListCache }

    /// The server's memo of filtered cadre lists (one per application, set by `configure`).
    var cadreListCache: CadreListCache? {
        get { storage[CadreListCacheKey.self] }
        set { storage[CadreListCacheKey.self] = newValue }
    }
}
