import Foundation

/// One sheet read from an .xlsx file.
///
/// `rows` is positional: `rows[i]` is Excel row `i + 1`. Rows missing from the file or entirely
/// empty are `[]`; trailing empty cells of each row and trailing empty rows are trimmed.
public struct XLSXSheet: Sendable, Equatable {
    public let name: String
    public let rows: [[CellValue]]

    public init(name: String, rows: [[CellValue]]) {
        self.name = name
        self.rows = rows
    }
}

/// Reads .xlsx files written by Excel, WPS, LibreOffice, openpyxl and others.
///
/// Sheet XML and shared strings are scanned at the byte level (no XMLParser), and sheet data is
/// decompressed and parsed in chunks, so `forEachRow` never holds the whole sheet.
public enum XLSXReader {
    /// Sheet names in workbook order (hidden sheets included).
    public static func sheetNames(_ data: Data, limits: OfficeLimits = .standard) throws -> [String] {
        try Workbook(data, limits: limits).sheets.map(\.name)
    }

    /// All sheets, in workbook order.
    public static func read(_ data: Data, limits: OfficeLimits = .standard) throws -> [XLSXSheet] {
        let wb = try Workbook(data, limits: limits)
        return try wb.sheets.indices.map { try wb.readSheet($0) }
    }

    /// The sheet called `name` (exact match first, then ignoring case and surrounding spaces),
    /// or `nil` when there is none.
    public static func read(_ data: Data, sheet name: String, limits: OfficeLimits = .standard) throws -> XLSXSheet? {
        let wb = try Workbook(data, limits: limits)
        guard let index = wb.index(of: name) else { return nil }
        return try wb.readSheet(index)
    }

    /// Streams the rows of the sheet at `sheetIndex` (0-based, workbook order) in file order.
    ///
    /// `rowNumber` is Excel's 1-based row number. Only rows with at least one non-empty cell are
    /// delivered: rows absent from the XML and rows whose cells are all empty are skipped (watch
    /// `rowNumber` to notice gaps). `cells[0]` is column A; gaps are `.empty`; trailing empty
    /// cells are trimmed.
    public static func forEachRow(
        _ data: Data, sheetIndex: Int, limits: OfficeLimits = .standard,
        _ body: (_ rowNumber: Int, _ cells: [CellValue]) throws -> Void
    ) throws {
        let wb = try Workbook(data, limits: limits)
        try wb.forEachRow(sheetIndex, body)
    }

    /// Like `forEachRow(_:sheetIndex:_:)`, selecting the sheet by name.
    /// Throws `OfficeDocumentError.sheetNotFound` when there is no such sheet.
    public static func forEachRow(
        _ data: Data, sheet name: String, limits: OfficeLimits = .standard,
        _ body: (_ rowNumber: Int, _ cells: [CellValue]) throws -> Void
    ) throws {
        let wb = try Workbook(data, limits: limits)
        guard let index = wb.index(of: name) else { throw OfficeDocumentError.sheetNotFound(name) }
        try wb.forEachRow(index, body)
    }
}

/// An .xlsx opened once, for reading several of its sheets under one set of limits (what is inflated from the
/// package counts once against `OfficeLimits.maxTotalBytes`, whatever sheets are read).
public struct XLSXPackage {
    private let workbook: Workbook

    public init(_ data: Data, limits: OfficeLimits = .standard) throws {
        workbook = try Workbook(data, limits: limits)
    }

    /// Sheet names in workbook order (hidden sheets included).
    public var sheetNames: [String] { workbook.sheets.map(\.name) }

    /// When the file was last saved, as its core properties say (`dcterms:modified`, written by Excel, WPS and
    /// LibreOffice on every save); nil when the package has none or it cannot be read.
    public var modified: Date? {
        guard workbook.package.has("docProps/core.xml"), let xml = try? workbook.package.part("docProps/core.xml") else { return nil }
        return CoreProperties.modified(in: xml)
    }

    /// Streams the rows of one sheet, as `XLSXReader.forEachRow`.
    public func forEachRow(sheetIndex: Int, _ body: (_ rowNumber: Int, _ cells: [CellValue]) throws -> Void) throws {
        try workbook.forEachRow(sheetIndex, body)
    }
}

// MARK: - Workbook structure

private enum Names {
    static let sheet = Array("sheet".utf8), name = Array("name".utf8), id = Array("id".utf8)
    static let workbookPr = Array("workbookPr".utf8), date1904 = Array("date1904".utf8)
    static let relationship = Array("Relationship".utf8), target = Array("Target".utf8)
    static let type = Array("Type".utf8), Id = Array("Id".utf8), targetMode = Array("TargetMode".utf8)
    static let numFmts = Array("numFmts".utf8), numFmt = Array("numFmt".utf8)
    static let numFmtId = Array("numFmtId".utf8), formatCode = Array("formatCode".utf8)
    static let cellXfs = Array("cellXfs".utf8), xf = Array("xf".utf8)
    static let si = Array("si".utf8), t = Array("t".utf8), rPh = Array("rPh".utf8)
    static let row = Array("row".utf8), c = Array("c".utf8), r = Array("r".utf8), s = Array("s".utf8)
    static let v = Array("v".utf8), isTag = Array("is".utf8), sheetData = Array("sheetData".utf8)
}

final class Workbook {
    struct SheetRef {
        var name: String
        var path: String?
    }

    let package: PackageReader
    private(set) var sheets: [SheetRef] = []
    private(set) var date1904 = false
    private var sharedStringsPath: String?
    private var stylesPath: String?
    private var sharedStringsCache: [String]?
    private var dateStylesCache: [Bool]?

    init(_ data: Data, limits: OfficeLimits) throws {
        package = try PackageReader(data, format: ".xlsx", limits: limits)
        // Locate the workbook through the root relationships.
        var workbookPath = "xl/workbook.xml"
        if package.has("_rels/.rels") {
            for rel in try Self.relationships(package.part("_rels/.rels"), base: "")
            where rel.type.hasSuffix("/officeDocument") {
                workbookPath = rel.target
                break
            }
        }
        guard package.has(workbookPath) else {
            if package.has("word/document.xml") {
                throw OfficeDocumentError.malformedPart(part: "文件", detail: "这是 Word 文档（.docx），不是 Excel 工作簿")
            }
            throw OfficeDocumentError.notAZipFile(format: ".xlsx")
        }
        let base = workbookPath.contains("/") ? String(workbookPath[..<workbookPath.lastIndex(of: "/")!]) + "/" : ""
        let relsPath = base + "_rels/" + workbookPath.split(separator: "/").last! + ".rels"
        var relTargets: [String: String] = [:]
        if package.has(relsPath) {
            for rel in try Self.relationships(package.part(relsPath), base: base) {
                relTargets[rel.id] = rel.target
                if rel.type.hasSuffix("/sharedStrings") { sharedStringsPath = rel.target }
                if rel.type.hasSuffix("/styles") { stylesPath = rel.target }
            }
        }
        if sharedStringsPath == nil, package.has(base + "sharedStrings.xml") { sharedStringsPath = base + "sharedStrings.xml" }
        if stylesPath == nil, package.has(base + "styles.xml") { stylesPath = base + "styles.xml" }

        let wbData = try package.part(workbookPath)
        var refs: [SheetRef] = []
        var is1904 = false
        wbData.withUnsafeBytes { raw in
            var tok = XMLTokenizer(raw.bindMemory(to: UInt8.self))
            while let ev = tok.next() {
                guard case .start(let tag) = ev else { continue }
                if tok.name(tag, is: Names.sheet) {
                    let name = tok.attributeString(tag, Names.name) ?? "Sheet\(refs.count + 1)"
                    let rid = tok.attributeString(tag, Names.id)
                    var path = rid.flatMap { relTargets[$0] }
                    if path == nil, let sid = tok.attributeString(tag, Array("sheetId".utf8)) {
                        path = base + "worksheets/sheet\(sid).xml"
                    }
                    refs.append(SheetRef(name: name, path: path))
                } else if tok.name(tag, is: Names.workbookPr) {
                    if let v = tok.attributeString(tag, Names.date1904) {
                        is1904 = v == "1" || v.lowercased() == "true"
                    }
                }
            }
        }
        sheets = refs
        date1904 = is1904
    }

    func index(of name: String) -> Int? {
        if let i = sheets.firstIndex(where: { $0.name == name }) { return i }
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        return sheets.firstIndex { $0.name.trimmingCharacters(in: .whitespaces).lowercased() == key }
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    /// Parses a .rels part; targets are resolved to package paths relative to `base`.
    static func relationships(_ data: Data, base: String) throws -> [Relationship] {
        var out: [Relationship] = []
        data.withUnsafeBytes { raw in
            var tok = XMLTokenizer(raw.bindMemory(to: UInt8.self))
            while let ev = tok.next() {
                guard case .start(let tag) = ev, tok.name(tag, is: Names.relationship) else { continue }
                if tok.attributeString(tag, Names.targetMode)?.lowercased() == "external" { continue }
                guard let id = tok.attributeString(tag, Names.Id), let target = tok.attributeString(tag, Names.target)
                else { continue }
                out.append(Relationship(id: id, type: tok.attributeString(tag, Names.type) ?? "", target: resolve(target, base: base)))
            }
        }
        return out
    }

    static func resolve(_ target: String, base: String) -> String {
        let t = target.replacingOccurrences(of: "\\", with: "/")
        var parts: [Substring] = t.hasPrefix("/") ? [] : base.split(separator: "/")
        for comp in t.split(separator: "/") {
            if comp == "." { continue }
            if comp == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(comp)
        }
        return parts.joined(separator: "/")
    }

    // MARK: Shared strings and styles

    func sharedStrings() throws -> [String] {
        if let cached = sharedStringsCache { return cached }
        var out: [String] = []
        if let path = sharedStringsPath, package.has(path) {
            let data = try package.part(path)
            data.withUnsafeBytes { raw in
                var tok = XMLTokenizer(raw.bindMemory(to: UInt8.self))
                var buf: [UInt8] = []
                var inSI = false
                var inT = false
                var rPhDepth = 0
                while let ev = tok.next() {
                    switch ev {
                    case .start(let tag):
                        if tok.name(tag, is: Names.si) {
                            if tag.selfClosing {
                                out.append("")
                            } else {
                                inSI = true
                                buf.removeAll(keepingCapacity: true)
                            }
                        } else if tok.name(tag, is: Names.t) {
                            inT = inSI && rPhDepth == 0 && !tag.selfClosing
                        } else if tok.name(tag, is: Names.rPh) && !tag.selfClosing {
                            rPhDepth += 1
                        }
                    case .end(let tag):
                        if tok.name(tag, is: Names.t) {
                            inT = false
                        } else if tok.name(tag, is: Names.si) {
                            out.append(XMLText.ooxmlString(buf))
                            inSI = false
                        } else if tok.name(tag, is: Names.rPh) {
                            rPhDepth = max(0, rPhDepth - 1)
                        }
                    case .text(let s, let e):
                        if inT { XMLText.appendDecoded(tok.p, s, e, into: &buf) }
                    case .cdata(let s, let e):
                        if inT { buf.append(contentsOf: UnsafeBufferPointer(rebasing: tok.p[s..<e])) }
                    }
                }
            }
        }
        sharedStringsCache = out
        return out
    }

    /// For each cell style index (`s` attribute), whether its number format shows a date.
    func dateStyles() throws -> [Bool] {
        if let cached = dateStylesCache { return cached }
        var out: [Bool] = []
        if let path = stylesPath, package.has(path) {
            let data = try package.part(path)
            var customFormats: [Int: String] = [:]
            var xfFormats: [Int] = []
            data.withUnsafeBytes { raw in
                var tok = XMLTokenizer(raw.bindMemory(to: UInt8.self))
                var inCellXfs = false
                var depth = 0
                while let ev = tok.next() {
                    switch ev {
                    case .start(let tag):
                        if tok.name(tag, is: Names.numFmt) {
                            if let id = tok.attributeInt(tag, Names.numFmtId), let code = tok.attributeString(tag, Names.formatCode) {
                                customFormats[id] = code
                            }
                        } else if tok.name(tag, is: Names.cellXfs) {
                            inCellXfs = !tag.selfClosing
                            depth = 0
                        } else if inCellXfs {
                            if depth == 0 && tok.name(tag, is: Names.xf) {
                                xfFormats.append(tok.attributeInt(tag, Names.numFmtId) ?? 0)
                            }
                            if !tag.selfClosing { depth += 1 }
                        }
                    case .end(let tag):
                        if tok.name(tag, is: Names.cellXfs) {
                            inCellXfs = false
                        } else if inCellXfs {
                            depth -= 1
                        }
                    default:
                        break
                    }
                }
            }
            out = xfFormats.map { id in
                if let code = customFormats[id] { return NumberFormat.isDateFormat(code) }
                return NumberFormat.isBuiltInDate(id)
            }
        }
        dateStylesCache = out
        return out
    }

    // MARK: Rows

    func readSheet(_ index: Int) throws -> XLSXSheet {
        var rows: [[CellValue]] = []
        try forEachRow(index) { number, cells in
            if rows.count < number - 1 { rows += Array(repeating: [], count: number - 1 - rows.count) }
            if rows.count == number - 1 {
                rows.append(cells)
            } else if number >= 1 && number <= rows.count {
                rows[number - 1] = cells  // out-of-order duplicate row: last one wins
            }
        }
        return XLSXSheet(name: sheets[index].name, rows: rows)
    }

    func forEachRow(_ index: Int, _ body: (Int, [CellValue]) throws -> Void) throws {
        guard sheets.indices.contains(index) else {
            throw OfficeDocumentError.sheetIndexOutOfRange(index: index, count: sheets.count)
        }
        guard let path = sheets[index].path, package.has(path) else {
            throw OfficeDocumentError.missingPart(sheets[index].path ?? "工作表「\(sheets[index].name)」")
        }
        var parser = SheetParser(
            sharedStrings: try sharedStrings(), dateStyles: try dateStyles(), date1904: date1904, part: path)
        // Whole rows are parsed as they arrive; the rest waits for the next chunk. Only the new bytes are searched
        // for a row end (the rest was searched before), and a row may not grow without bound.
        var pending: [UInt8] = []
        let maxRow = package.limits.maxRowBytes
        try package.stream(path) { chunk in
            let searchFrom = max(0, pending.count - 8)
            pending.append(contentsOf: chunk)
            let cut = pending.withUnsafeBufferPointer { SheetParser.lastRowEnd($0, from: searchFrom) }
            guard cut > 0 else {
                if pending.count > maxRow {
                    throw OfficeDocumentError.tooLarge("工作表 \(path) 中有一行超过 \(maxRow >> 20) MB")
                }
                return
            }
            try pending.withUnsafeBufferPointer { try parser.parse(UnsafeBufferPointer(rebasing: $0[0..<cut]), body) }
            pending.removeFirst(cut)
        }
        if !pending.isEmpty {
            try pending.withUnsafeBufferPointer { try parser.parse($0, body) }
        }
        try parser.finish(body)
    }
}

// MARK: - Number formats

enum NumberFormat {
    /// Built-in format ids that show a calendar date (incl. the zh-CN ids 27–31, 36, 50–54, 57, 58).
    /// Pure time formats (18–21, 32–35, 45–47, 55, 56) are left as numbers: a time of day has no date.
    static func isBuiltInDate(_ id: Int) -> Bool {
        switch id {
        case 14...17, 22, 27...31, 36, 50...54, 57, 58: return true
        default: return false
        }
    }

    /// Whether a custom format code displays a date: it contains y or d, or m that is not minutes
    /// (no h or s in the code). Quoted text, escaped characters and [..] sections are ignored.
    static func isDateFormat(_ code: String) -> Bool {
        // Only the first section (positive numbers) matters.
        var cleaned: [Character] = []
        var inQuote = false
        var inBracket = false
        var escape = false
        for ch in code {
            if escape { escape = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\"": inQuote = true
            case "\\", "_", "*": escape = true
            case "[": inBracket = true
            case ";": break
            default: cleaned.append(contentsOf: ch.lowercased())
            }
            if ch == ";" { break }
        }
        let s = Set(cleaned)
        if s.contains("y") || s.contains("d") { return true }
        if s.contains("m") && !s.contains("h") && !s.contains("s") && !s.contains("0") && !s.contains("#") { return true }
        // Chinese-locale codes such as 上午/下午 h"时"mm"分" are times, not dates.
        return false
    }
}

// MARK: - Sheet XML

struct SheetParser {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let part: String

    private var inSheetData = false
    private var lastRow = 0
    private var rowNumber = 0
    private var inRow = false
    private var cells: [CellValue] = []
    private var col = 0  // 1-based column of the current/last cell
    private var cellStyle = 0
    private var cellType: CellType = .number
    private var inCell = false
    private var capture: Capture = .none
    private var inIS = false
    private var rPhDepth = 0
    private var vBuf: [UInt8] = []
    private var isBuf: [UInt8] = []
    private var hasV = false

    enum CellType { case number, shared, str, inline, bool, error, isoDate }
    enum Capture { case none, v, t }

    init(sharedStrings: [String], dateStyles: [Bool], date1904: Bool, part: String) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.part = part
        cells.reserveCapacity(64)
        vBuf.reserveCapacity(64)
    }

    /// Length of the prefix of `p` that ends right after the last complete `</row>` end tag.
    static func lastRowEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        var j = p.count - 1
        while j >= max(5, start) {
            if p[j] == UInt8(ascii: ">"), p[j - 1] == UInt8(ascii: "w"), p[j - 2] == UInt8(ascii: "o"),
                p[j - 3] == UInt8(ascii: "r")
            {
                var k = j - 4
                if p[k] == UInt8(ascii: ":") {  // prefixed: </x:row>
                    k -= 1
                    while k > 0 && p[k] != UInt8(ascii: "/") && p[k] != UInt8(ascii: "<") && p[k] != UInt8(ascii: ">") { k -= 1 }
                }
                if k >= 1 && p[k] == UInt8(ascii: "/") && p[k - 1] == UInt8(ascii: "<") { return j + 1 }
            }
            j -= 1
        }
        return 0
    }

    mutating func parse(_ p: UnsafeBufferPointer<UInt8>, _ body: (Int, [CellValue]) throws -> Void) throws {
        var tok = XMLTokenizer(p)
        while let ev = tok.next() {
            switch ev {
            case .start(let tag):
                let len = tag.nameEnd - tag.nameStart
                let c0 = len > 0 ? p[tag.nameStart] : 0
                if !inSheetData {
                    // Only <sheetData> holds cells; skip <cols>, <extLst> and the like.
                    if len == 9 && tok.name(tag, is: Names.sheetData) && !tag.selfClosing { inSheetData = true }
                    continue
                }
                if len == 1 && c0 == UInt8(ascii: "c") {
                    startCell(tok, tag)
                    if tag.selfClosing { try endCell() }
                } else if len == 1 && c0 == UInt8(ascii: "v") {
                    if inCell && !tag.selfClosing {
                        capture = .v
                        hasV = true
                    }
                } else if len == 1 && c0 == UInt8(ascii: "t") {
                    if inIS && rPhDepth == 0 && !tag.selfClosing { capture = .t }
                } else if len == 2 && c0 == UInt8(ascii: "i") && p[tag.nameStart + 1] == UInt8(ascii: "s") {
                    if inCell && !tag.selfClosing { inIS = true }
                } else if len == 3 && tok.name(tag, is: Names.row) {
                    try startRow(tok, tag)
                    if tag.selfClosing { try endRow(body) }
                } else if len == 3 && tok.name(tag, is: Names.rPh) {
                    if !tag.selfClosing { rPhDepth += 1 }
                }
            case .end(let tag):
                guard inSheetData else { continue }
                let len = tag.nameEnd - tag.nameStart
                let c0 = len > 0 ? p[tag.nameStart] : 0
                if len == 9 && tok.name(tag, is: Names.sheetData) {
                    if inRow { try endRow(body) }
                    inSheetData = false
                } else if len == 1 && (c0 == UInt8(ascii: "v") || c0 == UInt8(ascii: "t")) {
                    capture = .none
                } else if len == 1 && c0 == UInt8(ascii: "c") {
                    try endCell()
                } else if len == 2 && c0 == UInt8(ascii: "i") && p[tag.nameStart + 1] == UInt8(ascii: "s") {
                    inIS = false
                } else if len == 3 && tok.name(tag, is: Names.row) {
                    try endRow(body)
                } else if len == 3 && tok.name(tag, is: Names.rPh) {
                    rPhDepth = max(0, rPhDepth - 1)
                }
            case .text(let s, let e):
                switch capture {
                case .none: break
                case .v: XMLText.appendDecoded(p, s, e, into: &vBuf)
                case .t: XMLText.appendDecoded(p, s, e, into: &isBuf)
                }
            case .cdata(let s, let e):
                switch capture {
                case .none: break
                case .v: vBuf.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<e]))
                case .t: isBuf.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<e]))
                }
            }
        }
    }

    mutating func finish(_ body: (Int, [CellValue]) throws -> Void) throws {
        if inRow { try endRow(body) }
    }

    private mutating func startRow(_ tok: XMLTokenizer, _ tag: XMLTokenizer.Tag) throws {
        if let r = tok.attributeInt(tag, Names.r), r >= 1 {
            guard r <= 1_048_576 else {
                throw OfficeDocumentError.malformedPart(part: part, detail: "行号 \(r) 超出 Excel 的范围")
            }
            rowNumber = r
        } else {
            rowNumber = lastRow + 1
        }
        inRow = true
        cells.removeAll(keepingCapacity: true)
        col = 0
    }

    private mutating func endRow(_ body: (Int, [CellValue]) throws -> Void) throws {
        guard rowNumber <= 1_048_576 else {  // rows without a number count on from the last one
            throw OfficeDocumentError.malformedPart(part: part, detail: "行号 \(rowNumber) 超出 Excel 的范围")
        }
        inRow = false
        lastRow = rowNumber
        while let last = cells.last, last == .empty { cells.removeLast() }
        if !cells.isEmpty { try body(rowNumber, cells) }
    }

    private mutating func startCell(_ tok: XMLTokenizer, _ tag: XMLTokenizer.Tag) {
        if !inRow {  // a cell outside <row>: be lenient and open an implicit row
            inRow = true
            rowNumber = lastRow + 1
            cells.removeAll(keepingCapacity: true)
            col = 0
        }
        inCell = true
        hasV = false
        inIS = false
        capture = .none
        vBuf.removeAll(keepingCapacity: true)
        isBuf.removeAll(keepingCapacity: true)
        cellStyle = 0
        cellType = .number
        var column = col + 1
        var j = tag.attrStart
        let p = tok.p
        // Hand-rolled attribute loop for the three attributes of <c>.
        while j < tag.attrEnd {
            while j < tag.attrEnd && XMLTokenizer.isSpace(p[j]) { j += 1 }
            guard j < tag.attrEnd else { break }
            let nameStart = j
            while j < tag.attrEnd && p[j] != UInt8(ascii: "=") { j += 1 }
            var nameEnd = j
            while nameEnd > nameStart && XMLTokenizer.isSpace(p[nameEnd - 1]) { nameEnd -= 1 }
            j += 1
            while j < tag.attrEnd && XMLTokenizer.isSpace(p[j]) { j += 1 }
            guard j < tag.attrEnd else { break }
            let q = p[j]
            let vStart = j + 1
            var vEnd = vStart
            while vEnd < tag.attrEnd && p[vEnd] != q { vEnd += 1 }
            j = vEnd + 1
            guard nameEnd - nameStart == 1 else { continue }
            switch p[nameStart] {
            case UInt8(ascii: "r"):
                var k = vStart
                var letters = 0
                while k < vEnd {
                    var ch = p[k]
                    if ch >= UInt8(ascii: "a") && ch <= UInt8(ascii: "z") { ch -= 32 }
                    guard ch >= UInt8(ascii: "A") && ch <= UInt8(ascii: "Z") else { break }
                    letters = letters * 26 + Int(ch - UInt8(ascii: "A") + 1)
                    k += 1
                    if letters > 16384 { break }  // past column XFD: not a column (and no overflow on long runs)
                }
                if letters > 0 && letters <= 16384 { column = letters }
            case UInt8(ascii: "s"):
                cellStyle = XMLText.parseInt(p, vStart, vEnd) ?? 0
            case UInt8(ascii: "t"):
                let len = vEnd - vStart
                let c0 = len > 0 ? p[vStart] : 0
                if len == 1 && c0 == UInt8(ascii: "s") {
                    cellType = .shared
                } else if len == 1 && c0 == UInt8(ascii: "b") {
                    cellType = .bool
                } else if len == 1 && c0 == UInt8(ascii: "e") {
                    cellType = .error
                } else if len == 1 && c0 == UInt8(ascii: "d") {
                    cellType = .isoDate
                } else if len == 3 && c0 == UInt8(ascii: "s") {
                    cellType = .str
                } else if len == 9 && c0 == UInt8(ascii: "i") {
                    cellType = .inline
                } else {
                    cellType = .number
                }
            default:
                break
            }
        }
        col = column
    }

    private mutating func endCell() throws {
        guard inCell else { return }
        inCell = false
        inIS = false
        capture = .none
        let value = try cellValue()
        guard value != .empty else { return }
        let index = col - 1
        if index < cells.count {
            cells[index] = value
        } else {
            while cells.count < index { cells.append(.empty) }
            cells.append(value)
        }
    }

    private func cellValue() throws -> CellValue {
        switch cellType {
        case .shared:
            guard hasV, !vBuf.isEmpty else { return .empty }
            guard let i = XMLText.parseInt(vBuf), i >= 0, i < sharedStrings.count else {
                throw OfficeDocumentError.malformedPart(
                    part: part, detail: "单元格引用了不存在的共享字符串 \(String(decoding: vBuf, as: UTF8.self))")
            }
            let s = sharedStrings[i]
            return s.isEmpty ? .empty : .text(s)
        case .inline:
            let s = XMLText.ooxmlString(isBuf.isEmpty ? vBuf : isBuf)
            return s.isEmpty ? .empty : .text(s)
        case .str:
            let s = XMLText.ooxmlString(vBuf)
            return s.isEmpty ? .empty : .text(s)
        case .bool:
            guard hasV, !vBuf.isEmpty else { return .empty }
            let s = String(decoding: vBuf, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            return .bool(s == "1" || s == "true")
        case .error:
            let s = String(decoding: vBuf, as: UTF8.self)
            return s.isEmpty ? .empty : .text(s)
        case .isoDate:
            let s = String(decoding: vBuf, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if let d = Self.isoDate(s) { return d }
            return s.isEmpty ? .empty : .text(s)
        case .number:
            guard hasV, !vBuf.isEmpty else { return .empty }
            guard let d = XMLText.parseDouble(vBuf) else {
                let s = String(decoding: vBuf, as: UTF8.self)
                return s.trimmingCharacters(in: .whitespaces).isEmpty ? .empty : .text(s)
            }
            if cellStyle >= 0 && cellStyle < dateStyles.count && dateStyles[cellStyle] {
                return ExcelDate.date(fromSerial: d, date1904: date1904)
            }
            return .number(d)
        }
    }

    static func isoDate(_ s: String) -> CellValue? {
        let parts = s.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return .date(year: y, month: m, day: d)
    }
}

// MARK: - Core properties

enum CoreProperties {
    /// The `dcterms:modified` time of a core-properties part (W3CDTF: `2026-11-24T04:05:06Z`, fractions and
    /// offsets allowed), or nil.
    static func modified(in xml: Data) -> Date? {
        guard xml.count <= 1 << 20, let text = String(data: xml, encoding: .utf8),
              let open = text.range(of: "<dcterms:modified"), let gt = text[open.upperBound...].firstIndex(of: ">"),
              let close = text[gt...].range(of: "</dcterms:modified>") else { return nil }
        return w3cDate(String(text[text.index(after: gt)..<close.lowerBound]).trimmingCharacters(in: .whitespaces))
    }

    static func w3cDate(_ s: String) -> Date? {
        let u = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var v = 0
            for b in u[from..<from + count] {
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard u.count >= 19, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
              let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2),
              let sec = number(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var i = 19
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, u[i] >= 48 && u[i] <= 57 { i += 1 }
        }
        var offset = 0
        if i < u.count {
            if u[i] == UInt8(ascii: "Z") {
                i += 1
            } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), let oh = number(i + 1, 2), let om = number(i + 4, 2) {
                offset = (oh * 60 + om) * 60 * (u[i] == UInt8(ascii: "-") ? -1 : 1)
                i += 6
            } else {
                return nil
            }
        }
        guard i == u.count else { return nil }
        let days = ExcelDate.daysFromCivil(y, mo, d)
        return Date(timeIntervalSince1970: Double(days * 86400 + h * 3600 + mi * 60 + sec - offset))
    }
}
