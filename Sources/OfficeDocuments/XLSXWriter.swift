import Foundation

/// Builds an .xlsx workbook in memory.
///
/// Header rows are bold, wrapped and frozen; dates get a `yyyy-mm-dd` format; text containing line
/// breaks is wrapped. Strings go through the shared-strings table.
public struct XLSXWorkbook: Sendable {
    struct Sheet: Sendable {
        var name: String
        var rows: [[CellValue]]
        var columnWidths: [Double]?
        var headerRows: Int
        var lists: [ListValidation] = []
    }

    /// A drop-down list on a column (Excel's data validation of type list): the cells of rows `rows` (1-based)
    /// of column `column` (0-based) offer `options` and refuse other values. Options may not contain commas or
    /// quotes, and together stay under Excel's 255 characters.
    public struct ListValidation: Sendable, Equatable {
        public var column: Int
        public var options: [String]
        public var rows: ClosedRange<Int>
        public init(column: Int, options: [String], rows: ClosedRange<Int>) {
            self.column = column; self.options = options; self.rows = rows
        }
    }

    private(set) var sheets: [Sheet] = []
    /// Document title stored in docProps/core.xml (optional).
    public var title: String?
    /// Author stored in docProps/core.xml.
    public var creator: String = "考核系统"
    /// When the workbook was saved (docProps/core.xml `dcterms:modified`); nil: the moment `data()` runs.
    public var modified: Date?

    public init() {}

    /// The sheet names as they will be written (after sanitising and de-duplication).
    public var sheetNames: [String] { sheets.map(\.name) }

    /// Adds a sheet. The name is cut to 31 characters, characters Excel forbids (`[]:*?/\`) are
    /// replaced by `_`, and a duplicate name gets a ` (2)`, ` (3)` … suffix.
    /// `columnWidths` are in Excel character units; when `nil` they are estimated from the content
    /// (CJK characters count double). `headerRows` rows at the top are bold and frozen.
    public mutating func addSheet(
        name: String, rows: [[CellValue]], columnWidths: [Double]? = nil, headerRows: Int = 1, lists: [ListValidation] = []
    ) {
        let base = Self.sanitizedSheetName(name, fallback: "Sheet\(sheets.count + 1)")
        var candidate = base
        var n = 2
        while sheets.contains(where: { $0.name.lowercased() == candidate.lowercased() }) {
            let suffix = " (\(n))"
            candidate = Self.truncateUTF16(base, to: 31 - suffix.utf16.count) + suffix
            n += 1
        }
        sheets.append(Sheet(name: candidate, rows: rows, columnWidths: columnWidths, headerRows: max(0, headerRows), lists: lists))
    }

    static func sanitizedSheetName(_ name: String, fallback: String) -> String {
        var s = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { c -> Unicode.Scalar in
                    switch c {
                    case "[", "]", ":", "*", "?", "/", "\\": return "_"
                    default: return c.value < 0x20 ? " " : c
                    }
                }))
        s = s.trimmingCharacters(in: .whitespaces)
        while s.hasPrefix("'") { s.removeFirst() }
        while s.hasSuffix("'") { s.removeLast() }
        s = truncateUTF16(s, to: 31)
        if s.isEmpty || s.lowercased() == "history" { return fallback }
        return s
    }

    static func truncateUTF16(_ s: String, to limit: Int) -> String {
        guard s.utf16.count > limit else { return s }
        var out = ""
        var used = 0
        for ch in s {
            let w = ch.utf16.count
            if used + w > limit { break }
            out.append(ch)
            used += w
        }
        return out
    }

    /// The .xlsx file.
    public func data() throws -> Data {
        var sheets = self.sheets
        if sheets.isEmpty { sheets = [Sheet(name: "Sheet1", rows: [], columnWidths: nil, headerRows: 0)] }
        for sheet in sheets { try Self.validate(sheet) }
        var shared = SharedStringsBuilder()
        var parts: [(path: String, data: Data)] = []
        var sheetParts: [Data] = []
        for (i, sheet) in sheets.enumerated() {
            sheetParts.append(Self.sheetXML(sheet, selected: i == 0, shared: &shared))
        }
        parts += leadingParts(sheets)
        for (i, d) in sheetParts.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", d)) }
        parts.append(("xl/sharedStrings.xml", shared.xml()))
        return try OfficePackage.zip(parts)
    }

    /// The parts before the worksheets: content types, relationships, properties, workbook, styles.
    func leadingParts(_ sheets: [Sheet]) -> [(path: String, data: Data)] {
        [("[Content_Types].xml", Data(contentTypes(sheetCount: sheets.count).utf8)),
         ("_rels/.rels", Data(OOXML.rootRels().replacingOccurrences(of: "%MAIN%", with: "xl/workbook.xml").utf8)),
         ("docProps/app.xml", Data(OOXML.appProps().utf8)),
         ("docProps/core.xml", Data(OOXML.coreProps(title: title, creator: creator, modified: modified ?? Date()).utf8)),
         ("xl/workbook.xml", Data(workbookXML(sheets).utf8)),
         ("xl/_rels/workbook.xml.rels", Data(workbookRels(sheetCount: sheets.count).utf8)),
         ("xl/styles.xml", Data(Self.stylesXML.utf8))]
    }

    /// Excel's limits: 1,048,576 rows, 16,384 columns, 32,767 characters per cell.
    static func validate(_ sheet: Sheet, firstRow: Int = 1) throws {
        if firstRow - 1 + sheet.rows.count > 1_048_576 {
            throw OfficeDocumentError.invalidInput("工作表「\(sheet.name)」有 \(firstRow - 1 + sheet.rows.count) 行，超过 Excel 的上限 1048576 行")
        }
        for (r, row) in sheet.rows.enumerated() {
            if row.count > 16_384 {
                throw OfficeDocumentError.invalidInput("工作表「\(sheet.name)」第 \(firstRow + r) 行有 \(row.count) 列，超过 Excel 的上限 16384 列")
            }
            for (c, cell) in row.enumerated() {
                if case .text(let s) = cell, s.utf8.count > 32_767, s.utf16.count > 32_767 {
                    throw OfficeDocumentError.invalidInput(
                        "工作表「\(sheet.name)」单元格 \(columnName(c))\(firstRow + r) 的文字超过 Excel 单元格上限 32767 个字符")
                }
            }
        }
    }

    // MARK: - Parts

    private func contentTypes(sheetCount: Int) -> String {
        var s = OOXML.xmlHeader
        s += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        s += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for i in 1...sheetCount {
            s += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        s += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        s += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        s += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        s += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        s += "</Types>"
        return s
    }

    private func workbookXML(_ sheets: [Sheet]) -> String {
        var s = OOXML.xmlHeader
        s += "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"\(OOXML.officeDocRel)\">"
        s += "<workbookPr/><bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"12300\" activeTab=\"0\"/></bookViews><sheets>"
        for (i, sheet) in sheets.enumerated() {
            s += "<sheet name=\"\(sheet.name.xmlEscaped)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        s += "</sheets><calcPr calcId=\"191029\"/></workbook>"
        return s
    }

    private func workbookRels(sheetCount: Int) -> String {
        var s = OOXML.xmlHeader + "<Relationships xmlns=\"\(OOXML.relNS)\">"
        for i in 1...sheetCount {
            s += "<Relationship Id=\"rId\(i)\" Type=\"\(OOXML.officeDocRel)/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(OOXML.officeDocRel)/styles\" Target=\"styles.xml\"/>"
        s += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"\(OOXML.officeDocRel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        s += "</Relationships>"
        return s
    }

    /// Style indices in `cellXfs`.
    enum Style {
        static let normal = 0, header = 1, date = 2, wrap = 3, headerDate = 4
    }

    static let stylesXML: String =
        OOXML.xmlHeader
        + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
        + "<fonts count=\"2\">"
        + "<font><sz val=\"11\"/><name val=\"宋体\"/><family val=\"2\"/><charset val=\"134\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"宋体\"/><family val=\"2\"/><charset val=\"134\"/></font>"
        + "</fonts>"
        + "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
        + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFD9E1F2\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
        + "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
        + "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"5\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"164\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"常规\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium2\" defaultPivotStyle=\"PivotStyleLight16\"/>"
        + "</styleSheet>"

    /// The letters of a column: 0 → A, 26 → AA.
    public static func columnName(_ index: Int) -> String {  // 0-based
        var n = index + 1
        var s: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            s.insert(UInt8(ascii: "A") + UInt8(r), at: 0)
            n = (n - 1) / 26
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// Column widths in Excel character units estimated from the content (CJK characters count double).
    public static func estimatedWidths(_ rows: [[CellValue]]) -> [Double] {
        var widths: [Double] = []
        for row in rows.prefix(2000) {
            if row.count > widths.count { widths += Array(repeating: 0, count: row.count - widths.count) }
            for (i, cell) in row.enumerated() {
                var w = 0.0
                switch cell {
                case .date: w = 10
                default:
                    let text = cell.textValue
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                        var lw = 0.0
                        for u in line.unicodeScalars { lw += u.value >= 0x1100 ? 2.0 : 1.0 }
                        w = max(w, lw)
                    }
                }
                widths[i] = max(widths[i], w)
            }
        }
        return widths.map { min(60, max(8, $0 + 2)) }
    }

    static func sheetXML(_ sheet: Sheet, selected: Bool, shared: inout SharedStringsBuilder) -> Data {
        let rows = sheet.rows
        let maxCols = rows.reduce(0) { max($0, $1.count) }
        let colNames = columnNames(maxCols)
        var b = XMLBuffer(capacity: 256 + rows.count * max(maxCols, 1) * 32)
        var dimension = "A1"
        if maxCols > 1 || rows.count > 1 { dimension += ":" + String(decoding: colNames[max(maxCols, 1) - 1], as: UTF8.self) + String(max(rows.count, 1)) }
        sheetHead(&b, dimension: dimension, selected: selected, headerRows: sheet.headerRows, widths: sheet.columnWidths ?? estimatedWidths(rows))
        if rows.isEmpty {
            b.raw("<sheetData/>")
        } else {
            b.raw("<sheetData>")
            var text = TextCells.shared(shared)
            appendRows(&b, rows[...], firstRow: 1, headerRows: sheet.headerRows, colNames: colNames, text: &text)
            if case .shared(let s) = text { shared = s }
            b.raw("</sheetData>")
        }
        sheetTail(&b, lists: sheet.lists)
        return b.data
    }

    static func columnNames(_ count: Int) -> [[UInt8]] { (0..<max(count, 1)).map { Array(columnName($0).utf8) } }

    /// The worksheet's start up to `<sheetData>`: dimension (optional for a streamed sheet), view, frozen header, widths.
    static func sheetHead(_ b: inout XMLBuffer, dimension: String?, selected: Bool, headerRows: Int, widths: [Double]) {
        b.raw(OOXML.xmlHeader)
        b.raw("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"\(OOXML.officeDocRel)\">")
        if let dimension { b.raw("<dimension ref=\"\(dimension)\"/>") }
        b.raw("<sheetViews><sheetView workbookViewId=\"0\"")
        if selected { b.raw(" tabSelected=\"1\"") }
        b.raw(">")
        let frozen = min(headerRows, 1_048_575)
        if frozen > 0 {
            let top = "A\(frozen + 1)"
            b.raw("<pane ySplit=\"\(frozen)\" topLeftCell=\"\(top)\" activePane=\"bottomLeft\" state=\"frozen\"/>")
            b.raw("<selection pane=\"bottomLeft\" activeCell=\"\(top)\" sqref=\"\(top)\"/>")
        }
        b.raw("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if !widths.isEmpty {
            b.raw("<cols>")
            for (i, w) in widths.enumerated() {
                let width = min(255, max(0, w.isFinite ? w : 10))
                b.raw("<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(CellValue.format(number: (width * 100).rounded() / 100))\" customWidth=\"1\"/>")
            }
            b.raw("</cols>")
        }
    }

    /// How text cells are written: into the shared-strings table, or inline (`t="inlineStr"`) when rows are streamed
    /// and the table cannot come first.
    enum TextCells {
        case shared(SharedStringsBuilder)
        case inline

        var type: String { if case .shared = self { "s" } else { "inlineStr" } }

        mutating func write(_ s: String, _ b: inout XMLBuffer) {
            switch self {
            case .shared(var builder):
                self = .inline  // the builder alone holds its tables while it grows (no copy per cell)
                b.raw("<v>")
                b.int(builder.index(of: s))
                b.raw("</v></c>")
                self = .shared(builder)
            case .inline:
                b.raw(s.needsSpacePreserve ? "<is><t xml:space=\"preserve\">" : "<is><t>")
                b.escaped(s, ooxmlEscapes: true)
                b.raw("</t></is></c>")
            }
        }
    }

    /// `<row>` elements of `rows`, numbered from `firstRow` (the first `headerRows` of the sheet styled as headers).
    static func appendRows(_ b: inout XMLBuffer, _ rows: ArraySlice<[CellValue]>, firstRow: Int, headerRows: Int, colNames: [[UInt8]],
                           text: inout TextCells) {
        for (r, row) in rows.enumerated() {
            let rowNumber = firstRow + r
            let isHeader = rowNumber <= headerRows
            b.raw("<row r=\"")
            b.int(rowNumber)
            b.raw("\">")
            for (c, cell) in row.enumerated() {
                switch cell {
                case .empty:
                    if isHeader { Self.cellStart(&b, colNames[c], rowNumber, Style.header, type: nil, selfClosing: true) }
                case .text(let s):
                    if s.isEmpty {
                        if isHeader { Self.cellStart(&b, colNames[c], rowNumber, Style.header, type: nil, selfClosing: true) }
                        continue
                    }
                    let style = isHeader ? Style.header : (s.utf8.contains(0x0A) ? Style.wrap : Style.normal)
                    Self.cellStart(&b, colNames[c], rowNumber, style, type: text.type, selfClosing: false)
                    text.write(s, &b)
                case .number(let d):
                    if d.isFinite {
                        Self.cellStart(&b, colNames[c], rowNumber, isHeader ? Style.header : Style.normal, type: nil, selfClosing: false)
                        b.raw("<v>")
                        b.raw(CellValue.format(number: d))
                        b.raw("</v></c>")
                    } else {
                        Self.cellStart(&b, colNames[c], rowNumber, isHeader ? Style.header : Style.normal, type: text.type, selfClosing: false)
                        text.write(CellValue.format(number: d), &b)
                    }
                case .bool(let v):
                    Self.cellStart(&b, colNames[c], rowNumber, isHeader ? Style.header : Style.normal, type: "b", selfClosing: false)
                    b.raw(v ? "<v>1</v></c>" : "<v>0</v></c>")
                case .date(let y, let m, let d):
                    let serial = ExcelDate.serial(year: y, month: m, day: d)
                    if serial >= 1, serial < 2_958_466 {
                        Self.cellStart(&b, colNames[c], rowNumber, isHeader ? Style.headerDate : Style.date, type: nil, selfClosing: false)
                        b.raw("<v>")
                        b.raw(CellValue.format(number: serial))
                        b.raw("</v></c>")
                    } else {  // Excel cannot show dates before 1900 or after 9999: keep as text
                        Self.cellStart(&b, colNames[c], rowNumber, isHeader ? Style.header : Style.normal, type: text.type, selfClosing: false)
                        text.write(cell.textValue, &b)
                    }
                }
            }
            b.raw("</row>")
        }
    }

    /// The worksheet's end after `</sheetData>`: drop-down lists, margins, A4 landscape.
    static func sheetTail(_ b: inout XMLBuffer, lists: [ListValidation]) {
        let lists = lists.filter { list in
            list.column >= 0 && list.column < 16_384 && list.rows.lowerBound >= 1 && list.rows.upperBound <= 1_048_576
                && !list.options.isEmpty && list.options.joined(separator: ",").count <= 255
                && !list.options.contains { $0.contains(",") || $0.contains("\"") }
        }
        if !lists.isEmpty {
            b.raw("<dataValidations count=\"\(lists.count)\">")
            for list in lists {
                let col = Self.columnName(list.column)
                b.raw("<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(("输入有误").xmlEscaped)\" ")
                b.raw("error=\"\(("请从下拉列表中选择：" + list.options.joined(separator: "、")).xmlEscaped)\" ")
                b.raw("sqref=\"\(col)\(list.rows.lowerBound):\(col)\(list.rows.upperBound)\"><formula1>")
                b.raw(("\"" + list.options.joined(separator: ",") + "\"").xmlEscaped)
                b.raw("</formula1></dataValidation>")
            }
            b.raw("</dataValidations>")
        }
        b.raw("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>")
        b.raw("<pageSetup paperSize=\"9\" orientation=\"landscape\"/>")
        b.raw("</worksheet>")
    }

    @inline(__always)
    static func cellStart(_ b: inout XMLBuffer, _ col: [UInt8], _ row: Int, _ style: Int, type: String?, selfClosing: Bool) {
        b.raw("<c r=\"")
        b.raw(col)
        b.int(row)
        b.raw("\"")
        if style != 0 {
            b.raw(" s=\"")
            b.int(style)
            b.raw("\"")
        }
        if let type {
            b.raw(" t=\"")
            b.raw(type)
            b.raw("\"")
        }
        b.raw(selfClosing ? "/>" : ">")
    }
}

struct SharedStringsBuilder {
    private var indices: [String: Int] = [:]
    private var strings: [String] = []
    private var references = 0

    mutating func index(of s: String) -> Int {
        references += 1
        if let i = indices[s] { return i }
        let i = strings.count
        strings.append(s)
        indices[s] = i
        return i
    }

    func xml() -> Data {
        var b = XMLBuffer(capacity: 256 + strings.count * 24)
        b.raw(OOXML.xmlHeader)
        b.raw("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(references)\" uniqueCount=\"\(strings.count)\">")
        for s in strings {
            b.raw(s.needsSpacePreserve ? "<si><t xml:space=\"preserve\">" : "<si><t>")
            b.escaped(s, ooxmlEscapes: true)
            b.raw("</t></si>")
        }
        b.raw("</sst>")
        return b.data
    }
}
