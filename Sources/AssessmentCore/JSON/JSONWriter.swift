import Foundation

/// Writes JSON into a byte buffer with keys in the order the caller writes them, so output is byte-stable.
struct JSONWriter {
    var bytes: [UInt8] = []
    var pretty: Bool
    private var depth = 0
    private var needsComma: [Bool] = [false]

    init(pretty: Bool, capacity: Int = 1 << 16) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private var afterKey = false

    mutating func key(_ k: String) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        newline()
        string(k, asValue: false)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    private mutating func valueStart() {
        if afterKey { afterKey = false; return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if depth > 0 { newline() }
    }

    mutating func beginObject() { valueStart(); bytes.append(UInt8(ascii: "{")); depth += 1; needsComma.append(false) }
    mutating func endObject() {
        let had = needsComma.removeLast()
        depth -= 1
        if had { newline() }
        bytes.append(UInt8(ascii: "}"))
    }
    mutating func beginArray() { valueStart(); bytes.append(UInt8(ascii: "[")); depth += 1; needsComma.append(false) }
    mutating func endArray() {
        let had = needsComma.removeLast()
        depth -= 1
        if had { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func null() { valueStart(); bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    mutating func bool(_ b: Bool) { valueStart(); bytes.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8)) }
    mutating func int(_ i: Int) { valueStart(); appendInt(i) }
    /// A number rounded to `decimals` places, printed without trailing zeros.
    mutating func number(_ d: Double, decimals: Int = 2) { valueStart(); appendNumber(d, decimals: decimals) }
    mutating func string(_ s: String) { string(s, asValue: true) }

    private mutating func string(_ s: String, asValue: Bool) {
        if asValue { valueStart() }
        bytes.append(0x22)
        for c in s.utf8 {
            switch c {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: bytes.append(c)
            }
        }
        bytes.append(0x22)
    }

    mutating func appendInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        if v == 0 { bytes.append(0x30); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while v > 0 { buf[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    mutating func appendNumber(_ d: Double, decimals: Int) {
        guard d.isFinite else { bytes.append(contentsOf: Array("null".utf8)); return }
        bytes.append(contentsOf: Array(formatDecimal(d, decimals: decimals).utf8))
    }
}

private let scaleFactors: [Double] = [1, 10, 100, 1000, 10000, 100000, 1000000]

/// Formats `d` rounded half away from zero to `decimals` places, without trailing zeros ("92.5", "0.8", "3").
func formatDecimal(_ d: Double, decimals: Int) -> String {
    let scale = scaleFactors[min(decimals, 6)]
    let scaled = (abs(d) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return String(d) }
    var units = Int64(scaled)
    let negative = d < 0 && units != 0
    let unit = Int64(scale)
    let whole = units / unit
    units %= unit
    var s = negative ? "-" : ""
    s += String(whole)
    if units != 0 {
        var frac = String(units)
        while frac.count < decimals { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        s += "." + frac
    }
    return s
}
