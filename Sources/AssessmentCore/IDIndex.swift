import Foundation

/// Positions by id, for the ids of one input (100,000 cadres): open addressing over a power-of-two table with a
/// multiply–shift hash of the UTF-8 bytes, eight at a time, keyed by a per-process random seed. A Dictionary of
/// String spends most of a province's id checks seeding its hasher. Should crafted ids still pile up (a probe
/// longer than `maxProbe`), the index turns into a Dictionary: a hostile input costs time, never stops the reader.
struct IDIndex {
    private var slots: [Int32]
    private var keys: [String] = []
    private var values: [Int] = []
    private var mask: Int
    private var fallback: [String: Int]?
    private let maxProbe: Int
    private static let seed = UInt64.random(in: 1...UInt64.max) | 1

    init(capacity: Int, maxProbe: Int = 64) {
        self.maxProbe = maxProbe
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// The position stored for `key`, if any.
    func find(_ key: String) -> Int? {
        if let fallback { return fallback[key] }
        var slot = Self.hash(key) & mask
        for _ in 0..<maxProbe {
            let k = Int(slots[slot])
            if k < 0 { return nil }
            if keys[k] == key { return values[k] }
            slot = (slot + 1) & mask
        }
        return nil  // never reached: an insert this far away turned the index into a Dictionary
    }

    /// Stores `value` for `key` unless the key is there already; returns the position stored before, if any.
    mutating func insert(_ key: String, _ value: Int) -> Int? {
        if fallback != nil { return insertFallback(key, value) }
        if keys.count * 2 >= slots.count { grow() }
        var slot = Self.hash(key) & mask
        for _ in 0..<maxProbe {
            let k = Int(slots[slot])
            if k < 0 {
                slots[slot] = Int32(keys.count)
                keys.append(key)
                values.append(value)
                return nil
            }
            if keys[k] == key { return values[k] }
            slot = (slot + 1) & mask
        }
        fallback = Dictionary(zip(keys, values), uniquingKeysWith: { first, _ in first })
        slots = []
        return insertFallback(key, value)
    }

    private mutating func insertFallback(_ key: String, _ value: Int) -> Int? {
        if let before = fallback![key] { return before }
        fallback![key] = value
        return nil
    }

    private mutating func grow() {
        var bigger = IDIndex(capacity: slots.count, maxProbe: maxProbe)
        for (k, v) in zip(keys, values) { _ = bigger.insert(k, v) }
        self = bigger
    }

    static func hash(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { bytes in
            var h = seed ^ UInt64(bytes.count)
            var i = 0
            while bytes.count - i >= 8 {
                h = (h ^ WordScan.load(bytes.baseAddress! + i)) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            var tail: UInt64 = 0
            while i < bytes.count {
                tail = tail << 8 | UInt64(bytes[i])
                i += 1
            }
            h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            return Int(truncatingIfNeeded: h)
        }
    }
}
