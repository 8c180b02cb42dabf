import Foundation

/// A syntax error in JSON text (the structure itself is broken, so reading stops).
struct JSONSyntaxError: Error {
    var offset: Int
    var message: String
}

/// An object key as read: the raw bytes when it had no escapes (no String is made unless asked for).
struct JSONKey {
    let raw: UnsafeBufferPointer<UInt8>
    let unescaped: String?

    var string: String { unescaped ?? String(decoding: raw, as: UTF8.self) }

    func matches(_ utf8: [UInt8]) -> Bool {
        if let unescaped { return Array(unescaped.utf8) == utf8 }
        guard raw.count == utf8.count else { return false }
        for i in 0..<utf8.count where raw[i] != utf8[i] { return false }
        return true
    }

    static func ~= (pattern: StaticString, key: JSONKey) -> Bool {
        if let unescaped = key.unescaped { return unescaped == pattern.description }
        let n = pattern.utf8CodeUnitCount
        guard key.raw.count == n else { return false }
        let p = pattern.utf8Start
        for i in 0..<n where key.raw[i] != p[i] { return false }
        return true
    }
}

/// A pull reader over UTF-8 JSON bytes. Decoders walk the structure they expect and skip the rest,
/// so a dataset is decoded straight into its structs without an intermediate tree.
struct JSONReader {
    enum Kind { case object, array, string, number, bool, null }

    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Skip a UTF-8 byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
    }

    /// Line and column (1-based) of a byte offset, for syntax error messages.
    func lineColumn(_ offset: Int) -> (Int, Int) {
        var line = 1, col = 1
        var i = 0
        while i < offset && i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; col = 1 } else if bytes[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return (line, col)
    }

    func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: pos, message: message) }

    @inline(__always) mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
        }
    }

    mutating func peekKind() throws -> Kind {
        skipWhitespace()
        guard pos < bytes.count else { throw fail("意外的文件结尾") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw fail("无法识别的字符")
        }
    }

    mutating func expectEnd() throws {
        skipWhitespace()
        if pos != bytes.count { throw fail("JSON 值之后有多余内容") }
    }

    /// Iterates the members of an object; `body` must consume the value.
    mutating func readObject(_ body: (inout JSONReader, JSONKey) throws -> Void) throws {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") else { throw fail("应为对象") }
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("应为字符串键") }
            let key = try readKey()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("键之后应为冒号") }
            pos += 1
            try body(&self, key)
            skipWhitespace()
            guard pos < bytes.count else { throw fail("对象未结束") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return }
            throw fail("对象成员之间应为逗号")
        }
    }

    /// Iterates the elements of an array; `body` gets the index and must consume the value.
    mutating func readArray(_ body: (inout JSONReader, Int) throws -> Void) throws {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "[") else { throw fail("应为数组") }
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
        var index = 0
        while true {
            try body(&self, index)
            index += 1
            skipWhitespace()
            guard pos < bytes.count else { throw fail("数组未结束") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
            throw fail("数组元素之间应为逗号")
        }
    }

    mutating func readKey() throws -> JSONKey {
        pos += 1
        let start = pos
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<pos])
                pos += 1
                return JSONKey(raw: raw, unescaped: nil)
            }
            if c == UInt8(ascii: "\\") {
                pos = start - 1
                return JSONKey(raw: UnsafeBufferPointer(rebasing: bytes[start..<start]), unescaped: try readString())
            }
            if c < 0x20 { throw fail("字符串中有未转义的控制字符") }
            pos += 1
        }
        throw fail("字符串未结束")
    }

    mutating func readString() throws -> String {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("应为字符串") }
        pos += 1
        let start = pos
        while pos < bytes.count {
            if bytes.count - pos >= 8 && !WordScan.hasStringSpecial(WordScan.load(bytes.baseAddress! + pos)) {
                pos += 8
                continue
            }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if c < 0x20 { throw fail("字符串中有未转义的控制字符") }
            pos += 1
        }
        throw fail("字符串未结束")
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { throw fail("字符串中有未转义的控制字符") }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("无效的 UTF-16 代理对")
                    }
                    pos += 2
                    let low = try readHex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("无效的 UTF-16 代理对") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("无效的 Unicode 转义") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("无效的转义字符")
            }
        }
        throw fail("字符串未结束")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("无效的 Unicode 转义") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("无效的 Unicode 转义")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private static let powersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }

    /// Reads a number. `isInteger` tells whether it had neither fraction nor exponent.
    mutating func readNumber() throws -> (value: Double, isInteger: Bool) {
        skipWhitespace()
        let start = pos
        var negative = false
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var isInteger = true
        let intStart = pos
        while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[pos] - 0x30); digits += 1 } else { exponent += 1 }
            pos += 1
        }
        if pos == intStart { throw fail("无效的数字") }
        if pos - intStart > 1 && bytes[intStart] == 0x30 { throw fail("数字不能有前导零") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            let fracStart = pos
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(bytes[pos] - 0x30); digits += 1; exponent -= 1 }
                pos += 1
            }
            if pos == fracStart { throw fail("小数点后应有数字") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            var expNegative = false
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") {
                expNegative = bytes[pos] == UInt8(ascii: "-"); pos += 1
            }
            let expStart = pos
            var e = 0
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(bytes[pos] - 0x30) }
                pos += 1
            }
            if pos == expStart { throw fail("指数应有数字") }
            exponent += expNegative ? -e : e
        }
        var value: Double
        if mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            value = Double(mantissa)
            if exponent < 0 { value /= JSONReader.powersOfTen[-exponent] } else if exponent > 0 { value *= JSONReader.powersOfTen[exponent] }
            if negative { value = -value }
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
            guard let v = Double(text) else { throw JSONSyntaxError(offset: start, message: "无效的数字") }
            value = v
        }
        return (value, isInteger)
    }

    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw fail("应为 true 或 false")
    }

    mutating func readNull() throws {
        skipWhitespace()
        if !matchLiteral("null") { throw fail("应为 null") }
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= bytes.count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where bytes[pos + i] != p[i] { return false }
        pos += n
        return true
    }

    /// For the array opening at `open`, its first top-level comma at or past `target` and how many elements precede
    /// it; nil when the array ends before (or the text is malformed before).
    static func splitArray(_ bytes: UnsafeBufferPointer<UInt8>, at open: Int, from target: Int) -> (comma: Int, countBefore: Int)? {
        guard open < bytes.count, bytes[open] == UInt8(ascii: "[") else { return nil }
        var depth = 0
        var count = 0
        var i = open + 1
        var inString = false
        while i < bytes.count {
            if inString {
                // Most of the bytes are inside strings: eight at a time up to a quote or a backslash.
                while bytes.count - i >= 8 {
                    let word = WordScan.load(bytes.baseAddress! + i)
                    if WordScan.has(word, 0x22) || WordScan.has(word, 0x5C) { break }
                    i += 8
                }
                guard i < bytes.count else { break }
            }
            let c = bytes[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
            } else {
                switch c {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return nil }  // the array ended before its middle
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 {
                        count += 1
                        if i >= target { return (i, count) }
                    }
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// How deep a skipped value may nest (Foundation's decoder stops at 512): a body of a million `[` must be an error,
    /// not a stack overflow that ends the server.
    static let maxSkipDepth = 128

    /// Skips any value.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < Self.maxSkipDepth else { throw fail("嵌套过深（超过 \(Self.maxSkipDepth) 层）") }
        switch try peekKind() {
        case .object: try readObject { r, _ in try r.skipValue(depth: depth + 1) }
        case .array: try readArray { r, _ in try r.skipValue(depth: depth + 1) }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }
}
