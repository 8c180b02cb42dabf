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

    /// A writer for a run of elements inside an array at `depth`, to be spliced into another writer with
    /// `appendElements`. `leadingComma` when the run does not start the array.
    init(pretty: Bool, elementsAtDepth depth: Int, leadingComma: Bool, capacity: Int) {
        self.init(pretty: pretty, capacity: capacity)
        self.depth = depth
        needsComma = [Bool](repeating: true, count: depth) + [leadingComma]
    }

    /// Splices elements written by an `elementsAtDepth` writer into the current array.
    mutating func appendElements(_ other: [UInt8]) {
        guard !other.isEmpty else { return }
        bytes.append(contentsOf: other)
        needsComma[needsComma.count - 1] = true
    }

    /// Records that elements were written elsewhere (in another segment) into the current array.
    mutating func markNonEmpty() { needsComma[needsComma.count - 1] = true }

    /// A key known at compile time that needs no escaping.
    mutating func field(_ k: StaticString) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")); if pretty && !isPretty { bytes.append(0x20) } }
        needsComma[needsComma.count - 1] = true
        newline()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    /// Line breaks and indentation only down to this depth; deeper values stay on one line,
    /// so that each subject is one line of the output.
    var prettyDepth = 2

    private var isPretty: Bool { pretty && depth <= prettyDepth }

    private mutating func newline() {
        guard isPretty else { return }
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private var afterKey = false

    mutating func key(_ k: String) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")); if pretty && !isPretty { bytes.append(0x20) } }
        needsComma[needsComma.count - 1] = true
        newline()
        string(k, asValue: false)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    private mutating func valueStart() {
        if afterKey { afterKey = false; return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")); if pretty && !isPretty { bytes.append(0x20) } }
        needsComma[needsComma.count - 1] = true
        if depth > 0 { newline() }
    }

    mutating func beginObject() { valueStart(); bytes.append(UInt8(ascii: "{")); depth += 1; needsComma.append(false) }
    mutating func endObject() {
        let had = needsComma.removeLast()
        let wasPretty = isPretty
        depth -= 1
        if had && wasPretty { newline() }
        bytes.append(UInt8(ascii: "}"))
    }
    mutating func beginArray() { valueStart(); bytes.append(UInt8(ascii: "[")); depth += 1; needsComma.append(false) }
    mutating func endArray() {
        let had = needsComma.removeLast()
        let wasPretty = isPretty
        depth -= 1
        if had && wasPretty { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func null() { valueStart(); bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    mutating func bool(_ b: Bool) {
        valueStart()
        if b { bytes.append(0x74); bytes.append(0x72); bytes.append(0x75); bytes.append(0x65) } else {
            bytes.append(0x66); bytes.append(0x61); bytes.append(0x6C); bytes.append(0x73); bytes.append(0x65)
        }
    }
    mutating func int(_ i: Int) { valueStart(); appendInt(i) }
    /// A number rounded to `decimals` places, printed without trailing zeros.
    mutating func number(_ d: Double, decimals: Int = 2) { valueStart(); appendNumber(d, decimals: decimals) }
    mutating func string(_ s: String) { string(s, asValue: true) }

    private mutating func string(_ s: String, asValue: Bool) {
        if asValue { valueStart() }
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs that need no escaping in bulk; the scan looks at eight bytes at a time.
            var runStart = 0
            var i = 0
            while i < utf8.count {
                if utf8.count - i >= 8 && !WordScan.hasStringSpecial(WordScan.load(utf8.baseAddress! + i)) {
                    i += 8
                    continue
                }
                let c = utf8[i]
                i += 1
                guard c == 0x22 || c == 0x5C || c < 0x20 else { continue }
                if runStart < i - 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(i - 1)])) }
                runStart = i
                switch c {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
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

    /// Same digits as `formatDecimal`, written straight into the buffer.
    mutating func appendNumber(_ d: Double, decimals: Int) {
        guard d.isFinite else { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]); return }
        let scale = scaleFactors[min(decimals, 6)]
        let scaled = (abs(d) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { bytes.append(contentsOf: Array(String(d).utf8)); return }
        var units = Int(scaled)
        if d < 0 && units != 0 { bytes.append(UInt8(ascii: "-")) }
        let unit = Int(scale)
        appendUnsigned(units / unit)
        units %= unit
        guard units != 0 else { return }
        var places = decimals
        while units % 10 == 0 { units /= 10; places -= 1 }
        bytes.append(UInt8(ascii: "."))
        var divisor = 1
        for _ in 1..<places { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(units / divisor % 10) + 0x30)
            divisor /= 10
        }
    }

    private mutating func appendUnsigned(_ v: Int) {
        if v >= 10 { appendUnsigned(v / 10) }
        bytes.append(UInt8(v % 10) + 0x30)
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
