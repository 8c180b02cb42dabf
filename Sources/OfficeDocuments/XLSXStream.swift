import Foundation

/// An .xlsx of one sheet written while its rows are still being read, for downloads that must start at once and hold
/// no more than a batch in memory (a province's roster of 100,000 cadres). Text is written inline in the cells, since
/// a shared-strings table would have to be complete before the sheet; the package is otherwise the one `XLSXWorkbook`
/// writes. Column widths are given, or estimated from the first batch; the header rows are frozen. A batch is checked
/// against Excel's limits before any of it is written.
public final class XLSXSheetStream {
    private let zip: ZIPStreamWriter
    private let sheet: XLSXWorkbook.Sheet
    private let workbook: XLSXWorkbook
    private let columnWidths: [Double]?
    private var colNames: [[UInt8]] = []
    private var nextRow = 1
    private var started = false

    public init(title: String?, sheetName: String, headerRows: Int, columnWidths: [Double]? = nil,
                output: @escaping ZIPStreamWriter.Output) {
        self.columnWidths = columnWidths
        var wb = XLSXWorkbook()
        wb.title = title
        workbook = wb
        sheet = .init(name: XLSXWorkbook.sanitizedSheetName(sheetName, fallback: "Sheet1"), rows: [], columnWidths: nil, headerRows: headerRows)
        zip = ZIPStreamWriter(output: output)
    }

    /// Appends rows (the first call's rows include the header and set the column widths).
    public func append(_ rows: [[CellValue]]) async throws {
        try XLSXWorkbook.validate(.init(name: sheet.name, rows: rows, columnWidths: nil, headerRows: 0), firstRow: nextRow)
        var b = XMLBuffer(capacity: 4096 + rows.count * 512)
        if !started {
            for part in workbook.leadingParts([sheet]) { try await zip.entry(part.path, part.data) }
            try await zip.beginEntry("xl/worksheets/sheet1.xml")
            XLSXWorkbook.sheetHead(&b, dimension: nil, selected: true, headerRows: sheet.headerRows,
                                   widths: columnWidths ?? XLSXWorkbook.estimatedWidths(rows))
            b.raw("<sheetData>")
            started = true
        }
        let width = rows.reduce(colNames.count) { max($0, $1.count) }
        if width > colNames.count { colNames = XLSXWorkbook.columnNames(width) }
        var text = XLSXWorkbook.TextCells.inline
        XLSXWorkbook.appendRows(&b, rows[...], firstRow: nextRow, headerRows: sheet.headerRows, colNames: colNames, text: &text)
        nextRow += rows.count
        try await zip.write(b.data)
    }

    /// Ends the sheet and the package.
    public func finish() async throws {
        if !started { try await append([]) }
        var b = XMLBuffer()
        b.raw("</sheetData>")
        XLSXWorkbook.sheetTail(&b, lists: [])
        try await zip.write(b.data)
        try await zip.endEntry()
        try await zip.entry("xl/sharedStrings.xml", SharedStringsBuilder().xml())
        try await zip.finish()
    }
}
