import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads CSV/TSV text as saved by Excel and WPS in China.
///
/// - Encoding: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, otherwise GB18030 (a superset
///   of GBK/GB2312) through iconv.
/// - Separator: comma or tab, whichever occurs more often in the first line (outside quotes);
///   an Excel `sep=;` first line is honoured and removed.
/// - RFC 4180 quoting (`""` inside quotes), CRLF/LF/CR line ends, line breaks inside quoted
///   fields (returned as `\n`). Lenient: a stray quote inside an unquoted field is kept literally.
/// - Every record is returned, a blank line as `[""]`; trailing blank lines are dropped.
///   Fields are not trimmed.
public enum CSVReader {
    public static func read(_ data: Data) throws -> [[String]] {
        let text = try decode(data)
        return parse(text)
    }

    /// Streams the records of `data` one at a time (1-based record number, fields), as `read` would return them:
    /// the text is decoded once and no table of every record is built, so memory stays a small multiple of the file.
    public static func forEachRecord(_ data: Data, _ body: (_ number: Int, _ fields: [String]) throws -> Void) throws {
        var bytes: [UInt8]
        do { bytes = Array(try decode(data).utf8) }  // the decoded String is released here
        let separator = takeSeparatorLine(&bytes) ?? detectSeparator(bytes)
        var number = 0
        try forEachRecord(bytes, separator: separator) { number += 1; try body(number, $0) }
    }

    /// The text of `data` decoded as described above (BOM removed).
    public static func decode(_ data: Data) throws -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: bytes[3...], as: UTF8.self) else {
                throw OfficeDocumentError.undecodableText(encoding: "UTF-8")
            }
            return s
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return try utf16(bytes.dropFirst(2), littleEndian: true) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try utf16(bytes.dropFirst(2), littleEndian: false) }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        do {
            return try iconvDecode(bytes, from: "GB18030")
        } catch {
            // Windows code page 936 maps 0x80 to €, which GB18030 rejects.
            if let s = try? iconvDecode(bytes, from: "CP936") { return s }
            throw error
        }
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) throws -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        var out = String.UnicodeScalarView()
        var it = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: throw OfficeDocumentError.undecodableText(encoding: littleEndian ? "UTF-16LE" : "UTF-16BE")
            }
        }
        return String(out)
    }

    static func iconvDecode(_ bytes: [UInt8], from encoding: String) throws -> String {
        let cd = iconv_open("UTF-8", encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            throw OfficeDocumentError.undecodableText(encoding: encoding)
        }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 3 / 2)
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                while inLeft > 0 {
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let produced = outBuf.count - outLeft
                    result.append(contentsOf: UnsafeBufferPointer(start: outBuf.baseAddress, count: produced))
                    if r == -1 {
                        if errno == E2BIG { continue }
                        return false  // EILSEQ or EINVAL (truncated sequence)
                    }
                }
                return true
            }
        }
        guard ok, let s = String(validating: result, as: UTF8.self) else {
            throw OfficeDocumentError.undecodableText(encoding: encoding == "GB18030" ? "GB18030/GBK" : encoding)
        }
        return s
    }

    /// Splits decoded text into records and fields (see the type documentation).
    public static func parse(_ text: String) -> [[String]] {
        var bytes = Array(text.utf8)
        let sep = takeSeparatorLine(&bytes) ?? detectSeparator(bytes)
        return parse(bytes, separator: sep)
    }

    /// Excel's "sep=X" hint line: removed, its separator returned.
    static func takeSeparatorLine(_ bytes: inout [UInt8]) -> UInt8? {
        guard bytes.count >= 5, bytes.starts(with: Array("sep=".utf8)), bytes[4] != 0x0A, bytes[4] != 0x0D,
              bytes[4] < 0x80, bytes.count == 5 || bytes[5] == 0x0A || bytes[5] == 0x0D
        else { return nil }
        let separator = bytes[4]
        var end = 5
        if end < bytes.count, bytes[end] == 0x0D { end += 1 }
        if end < bytes.count, bytes[end] == 0x0A { end += 1 }
        bytes.removeFirst(end)
        return separator
    }

    static func detectSeparator(_ bytes: [UInt8]) -> UInt8 {
        var commas = 0, tabs = 0
        var inQuotes = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if b == 0x0A || b == 0x0D { break }
            if b == UInt8(ascii: ",") { commas += 1 }
            if b == 0x09 { tabs += 1 }
        }
        if tabs > commas { return 0x09 }
        return UInt8(ascii: ",")
    }

    static func parse(_ bytes: [UInt8], separator: UInt8) -> [[String]] {
        var records: [[String]] = []
        forEachRecord(bytes, separator: separator) { records.append($0) }
        return records
    }

    /// Calls `body` for each record; trailing blank lines are dropped (blank lines are held back until a
    /// record with content follows them).
    static func forEachRecord(_ bytes: [UInt8], separator: UInt8, _ body: ([String]) throws -> Void) rethrows {
        var heldBlank = 0
        func emit(_ r: [String]) throws {
            if r.count <= 1, r.first?.isEmpty ?? true { heldBlank += 1; return }
            for _ in 0..<heldBlank { try body([""]) }
            heldBlank = 0
            try body(r)
        }
        var record: [String] = []
        var field: [UInt8] = []
        var i = 0
        let n = bytes.count
        var inQuotes = false
        var fieldWasQuoted = false
        var atFieldStart = true
        let quote = UInt8(ascii: "\"")

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
            fieldWasQuoted = false
        }

        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    continue
                }
                if b == 0x0D {  // normalise line breaks inside quoted fields
                    field.append(0x0A)
                    i += (i + 1 < n && bytes[i + 1] == 0x0A) ? 2 : 1
                    continue
                }
                field.append(b)
                i += 1
                continue
            }
            if b == quote && atFieldStart {
                inQuotes = true
                fieldWasQuoted = true
                atFieldStart = false
                i += 1
                continue
            }
            if b == separator {
                endField()
                i += 1
                continue
            }
            if b == 0x0A || b == 0x0D {
                endField()
                try emit(record)
                record = []
                i += (b == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A) ? 2 : 1
                continue
            }
            field.append(b)
            atFieldStart = false
            i += 1
        }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted || !atFieldStart {
            endField()
            try emit(record)
        }
    }
}
