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

    /// Thrown from a row callback to stop reading a file that already has too many rows or problems.
    private struct StopReading: Error {}

    private static func untilStopped(_ body: () throws -> Void) throws {
        do { try body() } catch is StopReading {}
    }

    static func read(_ data: Data, filename: String, maxRows: Int = RosterValidator.defaultMaxRows) throws -> RosterValidator {
        guard !data.isEmpty else { throw Unreadable(description: "上传的文件是空的。") }
        var validator = RosterValidator()
        validator.maxRows = maxRows
        switch kind(of: data, filename: filename) {
        case .xlsx:
            do {
                let package = try XLSXPackage(data)
                validator.savedAt = package.modified
                let keys = package.sheetNames.map(SheetText.headerKey)
                let cadreIndex = keys.firstIndex(of: RosterSheet.cadres)
                    ?? keys.firstIndex { $0 != RosterSheet.units && $0 != RosterSheet.help } ?? 0
                try untilStopped {
                    try package.forEachRow(sheetIndex: cadreIndex) { n, cells in
                        validator.cadreRow(n, cells)
                        if validator.shouldStop { throw StopReading() }
                    }
                }
                validator.finishCadres()
                if let unitIndex = keys.firstIndex(of: RosterSheet.units), !validator.shouldStop {
                    try untilStopped {
                        try package.forEachRow(sheetIndex: unitIndex) { n, cells in
                            validator.unitRow(n, cells)
                            if validator.shouldStop { throw StopReading() }
                        }
                    }
                }
            } catch let error as OfficeDocumentError {
                throw Unreadable(description: error.description)
            }
        case .csv:
            do {
                // UTF-8 (with or without BOM) or GBK/GB18030, as Excel/WPS save it; streamed record by record.
                try untilStopped {
                    try CSVReader.forEachRecord(data) { number, fields in
                        validator.cadreRow(number, fields.map { $0.isEmpty ? CellValue.empty : .text($0) })
                        if validator.shouldStop { throw StopReading() }
                    }
                }
            } catch let error as OfficeDocumentError {
                throw Unreadable(description: error.description)
            }
            validator.finishCadres()
        }
        return validator
    }
}
