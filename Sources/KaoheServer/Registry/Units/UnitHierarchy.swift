/// The parent links of units (上级单位) must never form a cycle. One check for the unit form and the roster
/// import: each gives the parent of every unit as it would be after the change.
enum UnitHierarchy {
    /// Walking up from `start`'s parent: the unit at which the chain comes back on itself, or nil when it ends.
    static func cycle<Key: Hashable>(from start: Key, parentOf: [Key: Key]) -> Key? {
        var seen: Set<Key> = [start]
        var cursor = parentOf[start]
        while let c = cursor {
            if seen.contains(c) { return c }
            seen.insert(c)
            cursor = parentOf[c]
        }
        return nil
    }

    /// Parents first: an order of `keys` in which each unit's parent (when among `keys`) comes before it.
    /// Assumes no cycles (checked first).
    static func parentsFirst<Key: Hashable>(_ keys: [Key], parentOf: [Key: Key]) -> [Key] {
        let among = Set(keys)
        var placed: Set<Key> = []
        var order: [Key] = []
        func place(_ k: Key) {
            guard !placed.contains(k) else { return }
            placed.insert(k)
            if let p = parentOf[k], among.contains(p) { place(p) }
            order.append(k)
        }
        keys.forEach(place)
        return order
    }
}
