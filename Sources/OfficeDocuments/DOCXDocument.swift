import Foundation

/// Paragraph alignment in a Word document.
public enum DOCXAlignment: String, Sendable, Equatable {
    case left, center, right, justified

    var ooxml: String {
        switch self {
        case .left: return "left"
        case .center: return "center"
        case .right: return "right"
        case .justified: return "both"
        }
    }
}

/// A run of text with one formatting.
public struct DOCXRun: Sendable, Equatable, ExpressibleByStringLiteral {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    /// Font size in points. 12 pt is 小四, 14 pt 四号, 16 pt 三号, 22 pt 二号.
    public var fontSizePt: Double
    /// East-Asian font name such as `"仿宋"`, `"宋体"`, `"黑体"`, `"楷体"`; `nil` uses the style's font.
    public var font: String?
    /// Text colour; `nil` is the style's (black).
    public var color: RGBColor?
    /// A picture shown inline instead of the text (which becomes its description).
    public var image: DOCXImage?

    public init(
        _ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, fontSizePt: Double = 12,
        font: String? = nil, color: RGBColor? = nil
    ) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.fontSizePt = fontSizePt
        self.font = font
        self.color = color
    }

    /// An inline picture; `description` is its alternative text.
    public init(image: DOCXImage, description: String) {
        self.init(description)
        self.image = image
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// A PNG picture placed inline at a size in centimetres (its pixels are stretched to it).
public struct DOCXImage: Sendable, Equatable {
    public var png: Data
    public var widthCm: Double
    public var heightCm: Double

    public init(png: Data, widthCm: Double, heightCm: Double) {
        self.png = png
        self.widthCm = widthCm
        self.heightCm = heightCm
    }

    /// 360,000 EMU to the centimetre.
    var extent: (cx: Int, cy: Int) {
        func emu(_ cm: Double) -> Int { Int((min(max(cm.isFinite ? cm : 1, 0.05), 50) * 360_000).rounded()) }
        return (emu(widthCm), emu(heightCm))
    }
}

/// One paragraph (used inside table cells).
public struct DOCXParagraph: Sendable, Equatable, ExpressibleByStringLiteral {
    public var runs: [DOCXRun]
    public var alignment: DOCXAlignment?
    public var firstLineIndentChars: Int

    public init(_ runs: [DOCXRun], alignment: DOCXAlignment? = nil, firstLineIndentChars: Int = 0) {
        self.runs = runs
        self.alignment = alignment
        self.firstLineIndentChars = firstLineIndentChars
    }

    public init(_ text: String, alignment: DOCXAlignment? = nil, firstLineIndentChars: Int = 0) {
        self.init([DOCXRun(text)], alignment: alignment, firstLineIndentChars: firstLineIndentChars)
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// How a cell takes part in a vertical merge (`w:vMerge`).
public enum DOCXVerticalMerge: Sendable, Equatable {
    case none
    /// The first (top) cell of a vertically merged block; it carries the content.
    case restart
    /// A cell merged into the one above; its content is ignored.
    case `continue`
}

/// A table cell: one or more paragraphs, optionally spanning several grid columns.
public struct DOCXCell: Sendable, Equatable, ExpressibleByStringLiteral {
    public var paragraphs: [DOCXParagraph]
    /// Number of grid columns this cell covers (`w:gridSpan`).
    public var gridSpan: Int
    /// Makes every run in the cell bold (header rows are bold anyway).
    public var bold: Bool
    /// Alignment for paragraphs that do not set their own (`nil`: centered in header rows, left otherwise).
    public var alignment: DOCXAlignment?
    public var verticalMerge: DOCXVerticalMerge
    /// Font size for plain-text cells, in points.
    public var fontSizePt: Double

    /// A cell with text; line breaks (`\n`) start new paragraphs.
    public init(
        _ text: String, gridSpan: Int = 1, bold: Bool = false, alignment: DOCXAlignment? = nil,
        verticalMerge: DOCXVerticalMerge = .none, fontSizePt: Double = 12
    ) {
        self.paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            DOCXParagraph([DOCXRun(String($0), fontSizePt: fontSizePt)])
        }
        self.gridSpan = max(1, gridSpan)
        self.bold = bold
        self.alignment = alignment
        self.verticalMerge = verticalMerge
        self.fontSizePt = fontSizePt
    }

    public init(
        paragraphs: [DOCXParagraph], gridSpan: Int = 1, bold: Bool = false, alignment: DOCXAlignment? = nil,
        verticalMerge: DOCXVerticalMerge = .none
    ) {
        self.paragraphs = paragraphs
        self.gridSpan = max(1, gridSpan)
        self.bold = bold
        self.alignment = alignment
        self.verticalMerge = verticalMerge
        self.fontSizePt = 12
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The cell text, paragraphs joined with `\n`.
    public var text: String { paragraphs.map { $0.runs.map(\.text).joined() }.joined(separator: "\n") }
}

/// A Word (.docx) document built block by block, laid out for printing on A4.
///
/// Styles: body text 仿宋 小四 (12 pt); title (level 0) 宋体 bold 二号 centered; level 1 黑体 三号;
/// level 2 楷体 三号; level 3+ 仿宋 bold 四号. Latin text uses Times New Roman.
public struct DOCXDocument: Sendable {
    public struct PageSize: Sendable, Equatable {
        public var widthTwips: Int
        public var heightTwips: Int
        public var landscape: Bool

        public init(widthTwips: Int, heightTwips: Int, landscape: Bool = false) {
            self.widthTwips = widthTwips
            self.heightTwips = heightTwips
            self.landscape = landscape
        }

        public static let a4 = PageSize(widthTwips: 11906, heightTwips: 16838)
        public static let a4Landscape = PageSize(widthTwips: 16838, heightTwips: 11906, landscape: true)
    }

    public struct Margins: Sendable, Equatable {
        public var topCm: Double
        public var bottomCm: Double
        public var leftCm: Double
        public var rightCm: Double

        public init(topCm: Double = 2.5, bottomCm: Double = 2.5, leftCm: Double = 2.0, rightCm: Double = 2.0) {
            self.topCm = topCm
            self.bottomCm = bottomCm
            self.leftCm = leftCm
            self.rightCm = rightCm
        }

        /// 2.5 cm top and bottom, 2.0 cm left and right.
        public static let standard = Margins()
    }

    enum Block: Sendable {
        case heading(String, Int)
        case paragraph(DOCXParagraph)
        case table([[DOCXCell]], [Double]?, Int)
        case pageBreak
    }

    public var pageSize: PageSize
    public var margins: Margins
    /// Centered page numbers (“— 1 —”) in the footer.
    public var showPageNumbers: Bool = true
    /// A line at the top of every page (e.g. the campaign, the data's date and 草稿), small and right-aligned.
    public var headerText: String?
    /// Title stored in docProps/core.xml.
    public var title: String?
    public var creator: String = "考核系统"
    private(set) var blocks: [Block] = []

    public init(pageSize: PageSize = .a4, margins: Margins = .standard) {
        self.pageSize = pageSize
        self.margins = margins
    }

    /// Level 0: centered document title; 1–3: headings (deeper levels use level 3's style).
    public mutating func heading(_ text: String, level: Int) {
        blocks.append(.heading(text, max(0, level)))
    }

    public mutating func paragraph(_ runs: [DOCXRun], alignment: DOCXAlignment = .justified, firstLineIndentChars: Int = 0) {
        blocks.append(.paragraph(DOCXParagraph(runs, alignment: alignment, firstLineIndentChars: firstLineIndentChars)))
    }

    /// A justified body paragraph; `\n` becomes a line break.
    public mutating func paragraph(_ text: String, alignment: DOCXAlignment = .justified, firstLineIndentChars: Int = 0) {
        paragraph([DOCXRun(text)], alignment: alignment, firstLineIndentChars: firstLineIndentChars)
    }

    /// A bordered table. Widths are in cm and are scaled down to the text width when they do not
    /// fit; `nil` divides the text width equally. The first `headerRows` rows are bold, centered
    /// and repeated at the top of every page. Rows with fewer grid columns are padded.
    public mutating func table(_ rows: [[DOCXCell]], columnWidthsCm: [Double]? = nil, headerRows: Int = 1) {
        blocks.append(.table(rows, columnWidthsCm, max(0, headerRows)))
    }

    public mutating func pageBreak() {
        blocks.append(.pageBreak)
    }

    /// Text width between the margins, in twips.
    public var textWidthTwips: Int {
        pageSize.widthTwips - Self.twips(cm: margins.leftCm) - Self.twips(cm: margins.rightCm)
    }

    static func twips(cm: Double) -> Int { Int((cm * 1440 / 2.54).rounded()) }

    // MARK: - Output

    public func data() throws -> Data {
        var parts: [(path: String, data: Data)] = []
        let media = Media()
        let document = try documentXML(media)
        parts.append(("[Content_Types].xml", Data(contentTypes(pictures: !media.files.isEmpty).utf8)))
        parts.append(("_rels/.rels", Data(OOXML.rootRels().replacingOccurrences(of: "%MAIN%", with: "word/document.xml").utf8)))
        parts.append(("docProps/app.xml", Data(OOXML.appProps().utf8)))
        parts.append(("docProps/core.xml", Data(OOXML.coreProps(title: title, creator: creator).utf8)))
        parts.append(("word/document.xml", document))
        parts.append(("word/_rels/document.xml.rels", Data(documentRels(media).utf8)))
        for (n, png) in media.files.enumerated() { parts.append(("word/media/image\(n + 1).png", png)) }
        parts.append(("word/styles.xml", Data(Self.stylesXML.utf8)))
        parts.append(("word/settings.xml", Data(Self.settingsXML.utf8)))
        parts.append(("word/fontTable.xml", Data(Self.fontTableXML.utf8)))
        if showPageNumbers { parts.append(("word/footer1.xml", Data(Self.footerXML.utf8))) }
        if let headerText { parts.append(("word/header1.xml", Self.headerXML(headerText))) }
        return try OfficePackage.zip(parts)
    }

    private func contentTypes(pictures: Bool) -> String {
        var s = OOXML.xmlHeader
        s += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        if pictures { s += "<Default Extension=\"png\" ContentType=\"image/png\"/>" }
        s += "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        s += "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
        s += "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
        s += "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
        if showPageNumbers {
            s += "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
        }
        if headerText != nil {
            s += "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
        }
        s += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        s += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        s += "</Types>"
        return s
    }

    private func documentRels(_ media: Media) -> String {
        var s = OOXML.xmlHeader + "<Relationships xmlns=\"\(OOXML.relNS)\">"
        s += "<Relationship Id=\"rId1\" Type=\"\(OOXML.officeDocRel)/styles\" Target=\"styles.xml\"/>"
        s += "<Relationship Id=\"rId2\" Type=\"\(OOXML.officeDocRel)/settings\" Target=\"settings.xml\"/>"
        s += "<Relationship Id=\"rId3\" Type=\"\(OOXML.officeDocRel)/fontTable\" Target=\"fontTable.xml\"/>"
        if showPageNumbers { s += "<Relationship Id=\"rId4\" Type=\"\(OOXML.officeDocRel)/footer\" Target=\"footer1.xml\"/>" }
        if headerText != nil { s += "<Relationship Id=\"rId5\" Type=\"\(OOXML.officeDocRel)/header\" Target=\"header1.xml\"/>" }
        for n in media.files.indices {
            s += "<Relationship Id=\"\(Media.relationship(n))\" Type=\"\(OOXML.officeDocRel)/image\" Target=\"media/image\(n + 1).png\"/>"
        }
        s += "</Relationships>"
        return s
    }

    static let wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// The pictures of a document: each distinct PNG stored once as word/media/imageN.png, and a running number
    /// for the drawings that show them (Word wants every `wp:docPr` id distinct).
    final class Media {
        private(set) var files: [Data] = []
        private var index: [Data: Int] = [:]
        private(set) var drawings = 0

        static func relationship(_ n: Int) -> String { "rIdImg\(n + 1)" }

        /// The relationship id of `png` and a new drawing id.
        func place(_ png: Data) -> (relationship: String, drawing: Int) {
            let n: Int
            if let known = index[png] { n = known } else { n = files.count; files.append(png); index[png] = n }
            drawings += 1
            return (Self.relationship(n), drawings)
        }
    }

    func documentXML(_ media: Media = Media()) throws -> Data {
        var b = XMLBuffer(capacity: 16384)
        b.raw(OOXML.xmlHeader)
        b.raw("<w:document xmlns:w=\"\(Self.wordNS)\" xmlns:r=\"\(OOXML.officeDocRel)\" xmlns:wp=\"\(Self.drawingNS)\" xmlns:a=\"\(Self.mainDrawingNS)\" xmlns:pic=\"\(Self.pictureNS)\"><w:body>")
        var previousWasTable = false
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                let style = level == 0 ? "Title" : "Heading\(min(level, 3))"
                b.raw("<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/></w:pPr>")
                Self.runs(&b, [DOCXRun(text)], inheritSize: true, forceBold: false, media: media)
                b.raw("</w:p>")
                previousWasTable = false
            case .paragraph(let p):
                Self.paragraph(&b, p, defaultAlignment: .justified, forceBold: false, media: media)
                previousWasTable = false
            case .table(let rows, let widths, let headerRows):
                // Word merges two adjacent tables; keep them apart with an empty paragraph.
                if previousWasTable { b.raw("<w:p/>") }
                try table(&b, rows, widths, headerRows, media: media)
                previousWasTable = true
            case .pageBreak:
                b.raw("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>")
                previousWasTable = false
            }
        }
        // The body must not end with a table (Word would add a paragraph and may complain).
        if previousWasTable || blocks.isEmpty { b.raw("<w:p/>") }
        b.raw("<w:sectPr>")
        if headerText != nil { b.raw("<w:headerReference w:type=\"default\" r:id=\"rId5\"/>") }
        if showPageNumbers { b.raw("<w:footerReference w:type=\"default\" r:id=\"rId4\"/>") }
        b.raw("<w:pgSz w:w=\"\(pageSize.widthTwips)\" w:h=\"\(pageSize.heightTwips)\"")
        if pageSize.landscape { b.raw(" w:orient=\"landscape\"") }
        b.raw("/>")
        b.raw(
            "<w:pgMar w:top=\"\(Self.twips(cm: margins.topCm))\" w:right=\"\(Self.twips(cm: margins.rightCm))\" w:bottom=\"\(Self.twips(cm: margins.bottomCm))\" w:left=\"\(Self.twips(cm: margins.leftCm))\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
        )
        b.raw("<w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/></w:sectPr>")
        b.raw("</w:body></w:document>")
        return b.data
    }

    static let drawingNS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    static let mainDrawingNS = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let pictureNS = "http://schemas.openxmlformats.org/drawingml/2006/picture"

    static func paragraph(_ b: inout XMLBuffer, _ p: DOCXParagraph, defaultAlignment: DOCXAlignment, forceBold: Bool, media: Media) {
        b.raw("<w:p><w:pPr>")
        if p.firstLineIndentChars > 0 {
            let size = p.runs.first?.fontSizePt ?? 12
            let twips = Int((Double(p.firstLineIndentChars) * size * 20).rounded())
            b.raw("<w:ind w:firstLineChars=\"\(p.firstLineIndentChars * 100)\" w:firstLine=\"\(twips)\"/>")
        }
        b.raw("<w:jc w:val=\"\((p.alignment ?? defaultAlignment).ooxml)\"/></w:pPr>")
        runs(&b, p.runs, inheritSize: false, forceBold: forceBold, media: media)
        b.raw("</w:p>")
    }

    static func runs(_ b: inout XMLBuffer, _ runs: [DOCXRun], inheritSize: Bool, forceBold: Bool, media: Media) {
        for run in runs {
            if let image = run.image {
                drawing(&b, image, description: run.text, media: media)
                continue
            }
            b.raw("<w:r>")
            var props = ""
            if let font = run.font {
                let f = font.xmlEscaped
                props += "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"\(f)\" w:hint=\"eastAsia\"/>"
            }
            if run.bold || forceBold { props += "<w:b/><w:bCs/>" }
            if run.italic { props += "<w:i/><w:iCs/>" }
            if let color = run.color { props += "<w:color w:val=\"\(color.hex.uppercased())\"/>" }
            // Schema order: rFonts, b, bCs, i, iCs, color, sz, szCs, u.
            if !inheritSize {
                let halfPoints = max(2, Int((run.fontSizePt * 2).rounded()))
                if halfPoints != 24 { props += "<w:sz w:val=\"\(halfPoints)\"/><w:szCs w:val=\"\(halfPoints)\"/>" }
            }
            if run.underline { props += "<w:u w:val=\"single\"/>" }
            if !props.isEmpty { b.raw("<w:rPr>\(props)</w:rPr>") }
            // Line breaks and tabs become <w:br/> and <w:tab/>.
            var segment = ""
            func flush(_ b: inout XMLBuffer) {
                guard !segment.isEmpty else { return }
                b.raw(segment.needsSpacePreserve || segment.hasPrefix(" ") || segment.hasSuffix(" ") ? "<w:t xml:space=\"preserve\">" : "<w:t>")
                b.escaped(segment)
                b.raw("</w:t>")
                segment = ""
            }
            var previousCR = false
            for ch in run.text.unicodeScalars {
                switch ch {
                case "\r":
                    flush(&b)
                    b.raw("<w:br/>")
                    previousCR = true
                    continue
                case "\n":
                    if !previousCR {
                        flush(&b)
                        b.raw("<w:br/>")
                    }
                case "\t":
                    flush(&b)
                    b.raw("<w:tab/>")
                default:
                    segment.unicodeScalars.append(ch)
                }
                previousCR = false
            }
            flush(&b)
            b.raw("</w:r>")
        }
    }

    /// An inline picture (DrawingML `wp:inline` with a `pic:pic`), as Word itself writes one.
    static func drawing(_ b: inout XMLBuffer, _ image: DOCXImage, description: String, media: Media) {
        let (rel, id) = media.place(image.png)
        let (cx, cy) = image.extent
        b.raw("<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/>")
        b.raw("<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"\(id)\" name=\"图片 \(id)\" descr=\"")
        b.escaped(description)
        b.raw("\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>")
        b.raw("<a:graphic><a:graphicData uri=\"\(pictureNS)\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"\(id)\" name=\"image\(id).png\"/><pic:cNvPicPr/></pic:nvPicPr>")
        b.raw("<pic:blipFill><a:blip r:embed=\"\(rel)\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>")
        b.raw("<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>")
        b.raw("</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")
    }

    func table(_ b: inout XMLBuffer, _ rows: [[DOCXCell]], _ widthsCm: [Double]?, _ headerRows: Int, media: Media) throws {
        let gridCount = max(rows.map { $0.reduce(0) { $0 + $1.gridSpan } }.max() ?? 0, widthsCm?.count ?? 0)
        guard gridCount > 0 else {
            throw OfficeDocumentError.invalidInput("表格没有任何列")
        }
        let available = textWidthTwips
        var widths: [Int]
        if let widthsCm, !widthsCm.isEmpty {
            var cm = widthsCm.map { $0.isFinite && $0 > 0 ? $0 : 1 }
            let knownAverage = cm.reduce(0, +) / Double(cm.count)
            while cm.count < gridCount { cm.append(knownAverage) }
            var tw = cm.map { Double(Self.twips(cm: $0)) }
            let total = tw.reduce(0, +)
            if total > Double(available) { tw = tw.map { $0 * Double(available) / total } }
            widths = tw.map { max(1, Int($0.rounded(.down))) }
        } else {
            widths = Array(repeating: available / gridCount, count: gridCount)
        }
        let tableWidth = widths.reduce(0, +)
        b.raw("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>")
        b.raw("<w:tblW w:w=\"\(tableWidth)\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>")
        b.raw("<w:tblBorders>")
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            b.raw("<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
        }
        b.raw("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>")
        b.raw("<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>")
        b.raw("<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr>")
        b.raw("<w:tblGrid>")
        for w in widths { b.raw("<w:gridCol w:w=\"\(w)\"/>") }
        b.raw("</w:tblGrid>")
        for (r, row) in rows.enumerated() {
            let isHeader = r < headerRows
            b.raw("<w:tr>")
            if isHeader { b.raw("<w:trPr><w:tblHeader/></w:trPr>") }
            var gridIndex = 0
            var cells = row
            let used = row.reduce(0) { $0 + $1.gridSpan }
            if used < gridCount { cells.append(DOCXCell("", gridSpan: gridCount - used)) }
            for cell in cells {
                let span = min(cell.gridSpan, max(1, gridCount - gridIndex))
                let w = widths[min(gridIndex, gridCount - 1)..<min(gridIndex + span, gridCount)].reduce(0, +)
                gridIndex += span
                b.raw("<w:tc><w:tcPr><w:tcW w:w=\"\(w)\" w:type=\"dxa\"/>")
                if span > 1 { b.raw("<w:gridSpan w:val=\"\(span)\"/>") }
                switch cell.verticalMerge {
                case .none: break
                case .restart: b.raw("<w:vMerge w:val=\"restart\"/>")
                case .continue: b.raw("<w:vMerge/>")
                }
                b.raw("<w:vAlign w:val=\"center\"/></w:tcPr>")
                let paragraphs = cell.verticalMerge == .continue || cell.paragraphs.isEmpty ? [DOCXParagraph([])] : cell.paragraphs
                for p in paragraphs {
                    Self.paragraph(
                        &b, p, defaultAlignment: cell.alignment ?? (isHeader ? .center : .left),
                        forceBold: cell.bold || isHeader, media: media)
                }
                b.raw("</w:tc>")
            }
            b.raw("</w:tr>")
        }
        b.raw("</w:tbl>")
    }

    // MARK: - Static parts

    static func fontsXML(_ eastAsia: String) -> String {
        "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"\(eastAsia)\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>"
    }

    static let stylesXML: String = {
        func heading(_ id: String, _ name: String, _ font: String, _ halfPoints: Int, outline: Int?, center: Bool, bold: Bool)
            -> String
        {
            var s = "<w:style w:type=\"paragraph\" w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
            s += "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"240\"/>"
            if center { s += "<w:jc w:val=\"center\"/>" } else { s += "<w:jc w:val=\"left\"/>" }
            if let outline { s += "<w:outlineLvl w:val=\"\(outline)\"/>" }
            s += "</w:pPr><w:rPr>\(fontsXML(font))"
            if bold { s += "<w:b/><w:bCs/>" }
            s += "<w:sz w:val=\"\(halfPoints)\"/><w:szCs w:val=\"\(halfPoints)\"/></w:rPr></w:style>"
            return s
        }
        var s = OOXML.xmlHeader
        s += "<w:styles xmlns:w=\"\(wordNS)\">"
        s += "<w:docDefaults><w:rPrDefault><w:rPr>\(fontsXML("仿宋"))<w:kern w:val=\"2\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
        s += "<w:pPrDefault><w:pPr><w:spacing w:line=\"360\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        s += "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr><w:rPr>\(fontsXML("仿宋"))<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>"
        s += heading("Title", "Title", "宋体", 44, outline: nil, center: true, bold: true)
        s += heading("Heading1", "heading 1", "黑体", 32, outline: 0, center: false, bold: false)
        s += heading("Heading2", "heading 2", "楷体", 32, outline: 1, center: false, bold: false)
        s += heading("Heading3", "heading 3", "仿宋", 28, outline: 2, center: false, bold: true)
        s += "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>"
        s += "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
        s += "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/></w:tblBorders></w:tblPr></w:style>"
        s += "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4153\"/><w:tab w:val=\"right\" w:pos=\"8306\"/></w:tabs><w:snapToGrid w:val=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>"
        s += "</w:styles>"
        return s
    }()

    static let settingsXML: String =
        OOXML.xmlHeader
        + "<w:settings xmlns:w=\"\(wordNS)\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/><w:drawingGridVerticalSpacing w:val=\"156\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>"

    static let fontTableXML: String = {
        var s = OOXML.xmlHeader + "<w:fonts xmlns:w=\"\(wordNS)\">"
        let fonts: [(String, String, String)] = [
            ("Times New Roman", "00", "roman"), ("宋体", "86", "auto"), ("仿宋", "86", "modern"),
            ("黑体", "86", "modern"), ("楷体", "86", "modern"),
        ]
        for (name, charset, family) in fonts {
            s += "<w:font w:name=\"\(name)\"><w:charset w:val=\"\(charset)\"/><w:family w:val=\"\(family)\"/><w:pitch w:val=\"variable\"/></w:font>"
        }
        s += "</w:fonts>"
        return s
    }()

    static func headerXML(_ text: String) -> Data {
        var b = XMLBuffer(capacity: 512)
        b.raw(OOXML.xmlHeader)
        b.raw("<w:hdr xmlns:w=\"\(wordNS)\" xmlns:r=\"\(OOXML.officeDocRel)\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"right\"/></w:pPr>")
        b.raw("<w:r><w:rPr><w:sz w:val=\"18\"/></w:rPr><w:t xml:space=\"preserve\">")
        b.escaped(text, ooxmlEscapes: true)
        b.raw("</w:t></w:r></w:p></w:hdr>")
        return b.data
    }

    static let footerXML: String =
        OOXML.xmlHeader
        + "<w:ftr xmlns:w=\"\(wordNS)\" xmlns:r=\"\(OOXML.officeDocRel)\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
        + "<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r>"
        + "</w:p></w:ftr>"
}
