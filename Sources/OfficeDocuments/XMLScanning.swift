import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, allocation-free pull tokenizer over UTF-8 XML bytes. It understands exactly what
/// OOXML parts need: start/end/empty tags (namespace prefixes are stripped from names),
/// attributes, text, CDATA, comments, processing instructions and DOCTYPE (skipped).
/// It does not validate.
struct XMLTokenizer {
    enum Event {
        case start(Tag)
        case end(Tag)
        case text(Int, Int)
        case cdata(Int, Int)
    }

    struct Tag {
        var nameStart: Int  // local name (prefix stripped)
        var nameEnd: Int
        var attrStart: Int
        var attrEnd: Int
        var selfClosing: Bool
    }

    let p: UnsafeBufferPointer<UInt8>
    var i: Int
    let n: Int

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.i = 0
        self.n = p.count
    }

    @inline(__always) func find(_ byte: UInt8, from: Int) -> Int {
        guard from < n, let base = p.baseAddress else { return n }
        guard let r = memchr(base + from, Int32(byte), n - from) else { return n }
        return base.distance(to: r.assumingMemoryBound(to: UInt8.self))
    }

    func find(_ seq: [UInt8], from: Int) -> Int {
        var j = from
        while true {
            j = find(seq[0], from: j)
            if j + seq.count > n { return n }
            var ok = true
            for k in 1..<seq.count where p[j + k] != seq[k] {
                ok = false
                break
            }
            if ok { return j }
            j += 1
        }
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    static let commentEnd = Array("-->".utf8), piEnd = Array("?>".utf8), cdataEnd = Array("]]>".utf8)
    static let cdataStart = Array("<![CDATA[".utf8)

    mutating func next() -> Event? {
        while i < n {
            if p[i] != UInt8(ascii: "<") {
                let start = i
                i = find(UInt8(ascii: "<"), from: i)
                return .text(start, i)
            }
            guard i + 1 < n else {
                i = n
                return nil
            }
            let c = p[i + 1]
            if c == UInt8(ascii: "?") {
                i = min(n, find(Self.piEnd, from: i + 2) + 2)
                continue
            }
            if c == UInt8(ascii: "!") {
                if i + 3 < n, p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") {
                    i = min(n, find(Self.commentEnd, from: i + 4) + 3)
                    continue
                }
                if i + 9 <= n, matches(Self.cdataStart, at: i) {
                    let start = i + 9
                    let end = find(Self.cdataEnd, from: start)
                    i = min(n, end + 3)
                    return .cdata(start, end)
                }
                // DOCTYPE or similar: skip, including an internal subset in [ ].
                var j = i + 2
                var depth = 0
                while j < n {
                    let b = p[j]
                    if b == UInt8(ascii: "[") { depth += 1 } else if b == UInt8(ascii: "]") { depth -= 1 } else if b == UInt8(ascii: ">") && depth <= 0 { break }
                    j += 1
                }
                i = min(n, j + 1)
                continue
            }
            let isEnd = c == UInt8(ascii: "/")
            var j = isEnd ? i + 2 : i + 1
            var nameStart = j
            while j < n {
                let b = p[j]
                if Self.isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") { break }
                if b == UInt8(ascii: ":") { nameStart = j + 1 }
                j += 1
            }
            let nameEnd = j
            let attrStart = j
            // Find the closing '>' honouring quoted attribute values.
            while j < n {
                let b = p[j]
                if b == UInt8(ascii: ">") { break }
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    j = find(b, from: j + 1)
                }
                j += 1
            }
            let close = min(j, n)
            let selfClosing = !isEnd && close > attrStart && p[close - 1] == UInt8(ascii: "/")
            let tag = Tag(
                nameStart: nameStart, nameEnd: nameEnd, attrStart: attrStart,
                attrEnd: selfClosing ? close - 1 : close, selfClosing: selfClosing)
            i = min(n, close + 1)
            return isEnd ? .end(tag) : .start(tag)
        }
        return nil
    }

    @inline(__always) func matches(_ seq: [UInt8], at j: Int) -> Bool {
        guard j + seq.count <= n else { return false }
        for k in 0..<seq.count where p[j + k] != seq[k] { return false }
        return true
    }

    @inline(__always) func name(_ tag: Tag, is s: [UInt8]) -> Bool {
        guard tag.nameEnd - tag.nameStart == s.count else { return false }
        for k in 0..<s.count where p[tag.nameStart + k] != s[k] { return false }
        return true
    }

    /// The raw (undecoded) value range of attribute `local` (namespace prefix ignored).
    func attribute(_ tag: Tag, _ local: [UInt8]) -> Range<Int>? {
        var j = tag.attrStart
        let end = tag.attrEnd
        while j < end {
            while j < end && Self.isSpace(p[j]) { j += 1 }
            if j >= end { return nil }
            let qStart = j
            var lStart = j
            while j < end && p[j] != UInt8(ascii: "=") && !Self.isSpace(p[j]) {
                if p[j] == UInt8(ascii: ":") { lStart = j + 1 }
                j += 1
            }
            let nEnd = j
            while j < end && Self.isSpace(p[j]) { j += 1 }
            guard j < end, p[j] == UInt8(ascii: "=") else { return nil }
            j += 1
            while j < end && Self.isSpace(p[j]) { j += 1 }
            guard j < end else { return nil }
            let q = p[j]
            guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { return nil }
            let vStart = j + 1
            let vEnd = min(find(q, from: vStart), end)
            j = vEnd + 1
            if nEnd - lStart == local.count {
                var ok = true
                for k in 0..<local.count where p[lStart + k] != local[k] {
                    ok = false
                    break
                }
                // Skip namespace declarations such as xmlns:r.
                if ok && !(lStart - qStart == 6 && p[qStart] == UInt8(ascii: "x") && p[qStart + 1] == UInt8(ascii: "m")) {
                    return vStart..<vEnd
                }
            }
        }
        return nil
    }

    func attributeString(_ tag: Tag, _ local: [UInt8]) -> String? {
        guard let r = attribute(tag, local) else { return nil }
        var buf: [UInt8] = []
        XMLText.appendDecoded(p, r.lowerBound, r.upperBound, into: &buf)
        return String(decoding: buf, as: UTF8.self)
    }

    func attributeInt(_ tag: Tag, _ local: [UInt8]) -> Int? {
        guard let r = attribute(tag, local) else { return nil }
        return XMLText.parseInt(p, r.lowerBound, r.upperBound)
    }
}

enum XMLText {
    /// Appends text bytes with XML entities decoded and line ends normalised (CRLF/CR → LF).
    static func appendDecoded(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var j = start
        var runStart = start
        while j < end {
            let c = p[j]
            if c == UInt8(ascii: "&") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<j]))
                var k = j + 1
                while k < end && k - j < 12 && p[k] != UInt8(ascii: ";") { k += 1 }
                if k < end && p[k] == UInt8(ascii: ";"), let scalar = entity(p, j + 1, k) {
                    appendUTF8(scalar, into: &out)
                    j = k + 1
                } else {
                    out.append(c)
                    j += 1
                }
                runStart = j
            } else if c == 0x0D {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<j]))
                out.append(0x0A)
                j += 1
                if j < end && p[j] == 0x0A { j += 1 }
                runStart = j
            } else {
                j += 1
            }
        }
        if runStart < end { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<end])) }
    }

    static func entity(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt32? {
        let len = e - s
        guard len > 0 else { return nil }
        if p[s] == UInt8(ascii: "#") {
            var v: UInt32 = 0
            if len > 1 && (p[s + 1] == UInt8(ascii: "x") || p[s + 1] == UInt8(ascii: "X")) {
                guard len > 2 else { return nil }
                for k in (s + 2)..<e {
                    guard let h = hexValue(p[k]), v < 0x10_0000 else { return nil }
                    v = v * 16 + h
                }
            } else {
                for k in (s + 1)..<e {
                    let d = p[k] &- UInt8(ascii: "0")
                    guard d < 10, v < 0x10_0000 else { return nil }
                    v = v * 10 + UInt32(d)
                }
            }
            return Unicode.Scalar(v) != nil ? v : nil
        }
        func eq(_ str: StaticString) -> Bool {
            guard str.utf8CodeUnitCount == len else { return false }
            let b = str.utf8Start
            for k in 0..<len where p[s + k] != b[k] { return false }
            return true
        }
        if eq("amp") { return 0x26 }
        if eq("lt") { return 0x3C }
        if eq("gt") { return 0x3E }
        if eq("quot") { return 0x22 }
        if eq("apos") { return 0x27 }
        return nil
    }

    static func appendUTF8(_ v: UInt32, into out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Makes a String from decoded text bytes, resolving the OOXML `_xHHHH_` escapes used for
    /// characters XML cannot carry.
    static func ooxmlString(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var j = 0
        let n = bytes.count
        while j < n {
            if bytes[j] == UInt8(ascii: "_"), j + 6 < n, bytes[j + 1] == UInt8(ascii: "x") || bytes[j + 1] == UInt8(ascii: "X"),
                bytes[j + 6] == UInt8(ascii: "_"),
                let a = hexValue(bytes[j + 2]), let b = hexValue(bytes[j + 3]), let c = hexValue(bytes[j + 4]),
                let d = hexValue(bytes[j + 5])
            {
                let v = a << 12 | b << 8 | c << 4 | d
                if Unicode.Scalar(v) != nil {
                    appendUTF8(v, into: &out)
                    j += 7
                    continue
                }
            }
            out.append(bytes[j])
            j += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func parseInt(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var j = s
        while j < e && XMLTokenizer.isSpace(p[j]) { j += 1 }
        var neg = false
        if j < e && (p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "+")) {
            neg = p[j] == UInt8(ascii: "-")
            j += 1
        }
        guard j < e else { return nil }
        var v = 0
        var digits = 0
        while j < e {
            let d = p[j] &- UInt8(ascii: "0")
            if d >= 10 { break }
            guard digits < 18 else { return nil }
            v = v * 10 + Int(d)
            digits += 1
            j += 1
        }
        while j < e && XMLTokenizer.isSpace(p[j]) { j += 1 }
        guard digits > 0, j == e else { return nil }
        return neg ? -v : v
    }

    static func parseInt(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { parseInt($0, 0, $0.count) }
    }

    private static let pow10: [Double] = (0...22).map { Double("1e\($0)")! }

    /// Parses an xsd:double. Plain decimals with up to 15 significant digits take an exact fast
    /// path; everything else goes through strtod.
    static func parseDouble(_ b: [UInt8]) -> Double? {
        let n = b.count
        guard n > 0 else { return nil }
        var j = 0
        var neg = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            neg = b[0] == UInt8(ascii: "-")
            j = 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var fracDigits = 0
        var seenDot = false
        var simple = j < n
        while j < n {
            let c = b[j]
            let d = c &- UInt8(ascii: "0")
            if d < 10 {
                mantissa = mantissa &* 10 &+ Int64(d)
                digits += 1
                if seenDot { fracDigits += 1 }
            } else if c == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else {
                simple = false
                break
            }
            j += 1
        }
        if simple && digits > 0 && digits <= 15 {
            let v = Double(mantissa) / pow10[fracDigits]
            return neg ? -v : v
        }
        // General path.
        var tmp = b
        tmp.append(0)
        return tmp.withUnsafeBufferPointer { buf -> Double? in
            let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &endPtr)
            guard let endPtr else { return nil }
            var consumed = base.distance(to: UnsafePointer(endPtr))
            while consumed < n && XMLTokenizer.isSpace(b[consumed]) { consumed += 1 }
            // Reject partial parses and hex/inf/nan spellings that are not xsd:double.
            guard consumed == n, consumed > 0 else { return nil }
            if b.contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) { return nil }
            return v
        }
    }
}
