/// Eight bytes at a time (SWAR): whether a 64-bit word of input holds a given byte, for scans over long strings.
/// Each test is exact as a yes or no for the whole word.
enum WordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080

    @inline(__always) static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    }

    @inline(__always) static func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }

    /// Some byte equals `byte`.
    @inline(__always) static func has(_ word: UInt64, _ byte: UInt8) -> Bool { hasZero(word ^ (ones &* UInt64(byte))) }

    /// Some byte is below `n` (n ≤ 128; bytes of 0x80 and above never count).
    @inline(__always) static func hasBelow(_ word: UInt64, _ n: UInt8) -> Bool {
        (word &- ones &* UInt64(n)) & ~word & high != 0
    }

    /// Some byte is `"`, `\` or a control character: a JSON string's bytes that end it or need escaping.
    @inline(__always) static func hasStringSpecial(_ word: UInt64) -> Bool {
        hasBelow(word, 0x20) || has(word, 0x22) || has(word, 0x5C)
    }
}
