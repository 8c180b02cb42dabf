import Foundation
import OfficeDocuments

/// Reads an uploaded roster (.xlsx, or .csv in UTF-8/GBK/GB18030) into a `RosterValidator`, streaming the rows.
enum RosterFile {
    enum Kind { case xlsx, csv }

    /// A file that cannot be read at all (not a spreadsheet, damaged, wrong encoding).
    struct Unreadable: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    static func kind(of data: Data, filename: String) -> Kind {
        if data.starts(with: [0x50, 0x4B]) { return .xlsx }  // "PK": a ZIP package
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return .xlsx }  // legacy .xls: the reader explains
        return filename.lowercased().hasSuffix(".xlsx") ? .xlsx : .csv
    }

    static func read(_ data: Data, filename: String) throws -> RosterValidator {
        guard !data.isEmpty else { throw Unreadable(description: "上传的文件是空的。") }
        var validator = RosterValidator()
        switch kind(of: data, filename: filename) {
        case .xlsx:
            do {
                let names = try XLSXReader.sheetNames(data)
                let keys = names.map(RosterText.headerKey)
                let cadreIndex = keys.firstIndex(of: RosterSheet.cadres)
                    ?? keys.firstIndex { $0 != RosterSheet.units && $0 != RosterSheet.help } ?? 0
                try XLSXReader.forEachRow(data, sheetIndex: cadreIndex) { n, cells in
                    validator.cadreRow(n, cells)
                }
                validator.finishCadres()
                if let unitIndex = keys.firstIndex(of: RosterSheet.units) {
                    try XLSXReader.forEachRow(data, sheetIndex: unitIndex) { n, cells in
                        validator.unitRow(n, cells)
                    }
                }
            } catch let error as OfficeDocumentError {
                throw Unreadable(description: error.description)
            }
        case .csv:
            let rows = try RosterCSV.rows(data)
            for (i, row) in rows.enumerated() {
                validator.cadreRow(i + 1, row.map { $0.isEmpty ? CellValue.empty : .text($0) })
            }
            validator.finishCadres()
        }
        return validator
    }
}

/// CSV as Excel/WPS in China save it: UTF-8 (with or without BOM) or GBK/GB18030; comma-separated, RFC 4180 quotes.
enum RosterCSV {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decode(_ data: Data) throws -> String {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let s = String(data: data.dropFirst(3), encoding: .utf8) { return s }
        } else if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            if let s = String(data: data, encoding: .utf16) { return s }
        } else if let s = String(data: data, encoding: .utf8) {
            return s
        } else if let s = String(data: data, encoding: gb18030) {
            return s
        }
        throw RosterFile.Unreadable(description: "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK（GB18030）编码的 CSV。")
    }

    static func rows(_ data: Data) throws -> [[String]] {
        let text = try decode(data)
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var atFieldStart = true
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var scalars = String.UnicodeScalarView()
        func flushField() { field = String(scalars); scalars = .init(); row.append(field); atFieldStart = true }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { scalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    scalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                inQuotes = true; atFieldStart = false
            case ",":
                flushField()
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                flushField(); rows.append(row); row = []
            case "\n":
                flushField(); rows.append(row); row = []
            default:
                scalars.append(c); atFieldStart = false
            }
        }
        if !scalars.isEmpty || !row.isEmpty || !atFieldStart { flushField(); rows.append(row) }
        return rows
    }
}
