import Foundation
import Testing

@testable import OfficeDocuments

@Suite struct DOCXDocumentTests {
    static func sample() -> DOCXDocument {
        var doc = DOCXDocument()
        doc.title = "考核登记表"
        doc.heading("2024年度公务员考核登记表", level: 0)
        doc.heading("一、基本情况", level: 1)
        doc.heading("（一）个人信息", level: 2)
        doc.heading("1. 细则", level: 5)
        doc.paragraph("本人一年来认真学习习近平新时代中国特色社会主义思想 & <贯彻> 落实各项部署。")
        doc.paragraph(
            [DOCXRun("加粗", bold: true), DOCXRun("斜体", italic: true), DOCXRun("下划线", underline: true),
             DOCXRun("黑体三号", fontSizePt: 16, font: "黑体")],
            alignment: .center, firstLineIndentChars: 2)
        doc.table(
            [
                ["姓名", "张三", "性别", "男"],
                [DOCXCell("出生年月"), DOCXCell("1975.06"), DOCXCell("政治面貌"), DOCXCell("中共党员")],
                [DOCXCell("个人总结", verticalMerge: .restart), DOCXCell("第一段\n第二段", gridSpan: 3)],
                [DOCXCell("", verticalMerge: .continue), DOCXCell(paragraphs: ["甲", DOCXParagraph("乙", alignment: .right)], gridSpan: 3)],
                [DOCXCell("短行")],
            ], columnWidthsCm: [3, 5, 3, 5], headerRows: 1)
        doc.table([["a", "b"]], columnWidthsCm: nil, headerRows: 0)
        doc.pageBreak()
        doc.paragraph("第二页\t制表符\n换行", alignment: .left)
        doc.table([["结尾表格"]], columnWidthsCm: [30], headerRows: 0)
        return doc
    }

    @Test func wellFormedPackage() throws {
        let data = try Self.sample().data()
        try assertWellFormedParts(data)
        let parts = try OfficePackage.unzip(data)
        for path in [
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "word/document.xml",
            "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml", "word/footer1.xml",
        ] {
            #expect(parts[path] != nil, "missing \(path)")
        }
        #expect(try partText(data, "docProps/core.xml").contains("<dc:title>考核登记表</dc:title>"))
    }

    @Test func pageSetupIsA4WithMargins() throws {
        let xml = try partText(Self.sample().data(), "word/document.xml")
        #expect(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(xml.contains("w:top=\"1417\" w:right=\"1134\" w:bottom=\"1417\" w:left=\"1134\""))
        #expect(DOCXDocument().textWidthTwips == 11906 - 2 * 1134)
        var landscape = DOCXDocument(pageSize: .a4Landscape, margins: .init(topCm: 3.7, bottomCm: 3.5, leftCm: 2.8, rightCm: 2.6))
        landscape.paragraph("x")
        let lx = try partText(landscape.data(), "word/document.xml")
        #expect(lx.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"))
        #expect(lx.contains("w:top=\"2098\""))
    }

    @Test func contentAndFormatting() throws {
        let xml = try partText(Self.sample().data(), "word/document.xml")
        #expect(xml.contains("<w:pStyle w:val=\"Title\"/>"))
        #expect(xml.contains("<w:pStyle w:val=\"Heading1\"/>"))
        #expect(xml.contains("<w:pStyle w:val=\"Heading2\"/>"))
        #expect(xml.contains("<w:pStyle w:val=\"Heading3\"/>"))  // level 5 clamps to 3
        #expect(xml.contains("2024年度公务员考核登记表"))
        #expect(xml.contains("思想 &amp; &lt;贯彻&gt; 落实"))
        #expect(xml.contains("<w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/><w:jc w:val=\"center\"/>"))
        #expect(xml.contains("<w:b/><w:bCs/></w:rPr><w:t>加粗</w:t>"))
        #expect(xml.contains("<w:i/><w:iCs/></w:rPr><w:t>斜体</w:t>"))
        #expect(xml.contains("<w:u w:val=\"single\"/></w:rPr><w:t>下划线</w:t>"))
        #expect(xml.contains("w:eastAsia=\"黑体\""))
        #expect(xml.contains("<w:sz w:val=\"32\"/>"))
        #expect(xml.contains("<w:br w:type=\"page\"/>"))
        #expect(xml.contains("<w:t>第二页</w:t><w:tab/><w:t>制表符</w:t><w:br/><w:t>换行</w:t>"))
        #expect(xml.contains("<w:jc w:val=\"both\"/>"))  // justified default
    }

    @Test func tablesFitThePageAndSpanColumns() throws {
        let xml = try partText(Self.sample().data(), "word/document.xml")
        #expect(xml.components(separatedBy: "<w:tbl>").count - 1 == 3)
        #expect(xml.contains("<w:tblBorders><w:top w:val=\"single\""))
        #expect(xml.contains("<w:insideV w:val=\"single\""))
        #expect(xml.contains("<w:gridSpan w:val=\"3\"/>"))
        #expect(xml.contains("<w:vMerge w:val=\"restart\"/>"))
        #expect(xml.contains("<w:vMerge/>"))
        #expect(xml.contains("<w:trPr><w:tblHeader/></w:trPr>"))
        // 3+5+3+5 = 16 cm fits into 17 cm: kept.
        #expect(xml.contains("<w:gridCol w:w=\"1701\"/><w:gridCol w:w=\"2835\"/><w:gridCol w:w=\"1701\"/><w:gridCol w:w=\"2835\"/>"))
        // The short row is padded with a cell spanning the rest.
        #expect(xml.contains("<w:tcW w:w=\"7371\" w:type=\"dxa\"/><w:gridSpan w:val=\"3\"/>"))
        // Equal split when no widths are given, and a 30 cm column shrinks to the text width.
        #expect(xml.contains("<w:gridCol w:w=\"4819\"/><w:gridCol w:w=\"4819\"/>"))
        #expect(xml.contains("<w:tblW w:w=\"9638\" w:type=\"dxa\"/>"))
        // Every table width stays within the text width.
        for part in xml.components(separatedBy: "<w:tblW w:w=\"").dropFirst() {
            let width = Int(part.prefix { $0.isNumber }) ?? .max
            #expect(width <= 9638)
        }
        // Adjacent tables are separated, and the body ends with a paragraph.
        #expect(!xml.contains("</w:tbl><w:tbl>"))
        #expect(xml.contains("</w:tbl><w:p/><w:sectPr>"))
        // Header row is bold and centered.
        #expect(xml.contains("<w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t>姓名</w:t>"))
    }

    @Test func stylesUseChineseFonts() throws {
        let styles = try partText(Self.sample().data(), "word/styles.xml")
        #expect(styles.contains("w:eastAsia=\"仿宋\""))
        #expect(styles.contains("w:eastAsia=\"黑体\""))
        #expect(styles.contains("w:eastAsia=\"宋体\""))
        #expect(styles.contains("<w:sz w:val=\"24\"/>"))
        #expect(styles.contains("w:styleId=\"TableGrid\""))
    }

    @Test func emptyTableIsRejected() {
        var doc = DOCXDocument()
        doc.table([], columnWidthsCm: nil)
        #expect(throws: OfficeDocumentError.self) { try doc.data() }
    }

    /// Issue 12: every document says at its head what its data is (the campaign, the date, 草稿).
    @Test func headerLineOnEveryPage() throws {
        var doc = DOCXDocument()
        doc.headerText = "2026年度考核 · 数据日期 2026-12-02 · 草稿 <未审定> & 待定"
        doc.paragraph("正文")
        let data = try doc.data()
        try assertWellFormedParts(data)
        let header = try partText(data, "word/header1.xml")
        #expect(header.contains("草稿 &lt;未审定&gt; &amp; 待定") && header.contains("<w:jc w:val=\"right\"/>"))
        #expect(try partText(data, "word/document.xml").contains("<w:headerReference w:type=\"default\" r:id=\"rId5\"/>"))
        #expect(try partText(data, "word/_rels/document.xml.rels").contains("Target=\"header1.xml\""))
        #expect(try partText(data, "[Content_Types].xml").contains("/word/header1.xml"))
        var plain = DOCXDocument()
        plain.paragraph("正文")
        #expect(try OfficePackage.unzip(try plain.data())["word/header1.xml"] == nil)
    }

    @Test func emptyDocumentIsValid() throws {
        var doc = DOCXDocument()
        doc.showPageNumbers = false
        let data = try doc.data()
        try assertWellFormedParts(data)
        #expect(try OfficePackage.unzip(data)["word/footer1.xml"] == nil)
        #expect(try partText(data, "word/document.xml").contains("<w:body><w:p/><w:sectPr>"))
    }

    @Test func cellTextHelpers() {
        let cell = DOCXCell("一\n二", gridSpan: 0)
        #expect(cell.paragraphs.count == 2)
        #expect(cell.gridSpan == 1)
        #expect(cell.text == "一\n二")
    }

    @Test("DOCXText reads a document's paragraphs back in order, entities decoded; a file that is not a .docx is refused")
    func plainText() throws {
        var doc = DOCXDocument()
        doc.heading("述职述廉述学报告", level: 0)
        doc.paragraph("一年来认真学习 & <贯彻> 落实各项部署。")
        doc.paragraph("二、履职尽责情况")
        let text = try DOCXText.plainText(try doc.data())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines == ["述职述廉述学报告", "一年来认真学习 & <贯彻> 落实各项部署。", "二、履职尽责情况"])
        #expect(throws: OfficeDocumentError.self) { try DOCXText.plainText(Data("not a zip".utf8)) }
        var wb = XLSXWorkbook()
        wb.addSheet(name: "a", rows: [["x"]])
        #expect(throws: OfficeDocumentError.missingPart("word/document.xml")) { try DOCXText.plainText(try wb.data()) }
    }

    @Test("DOCXText takes a text box once: Word's mc:Fallback copy is not counted again")
    func textBoxOnce() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice>
            <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            </w:body></w:document>
            """
        let data = try OfficePackage.zip([("[Content_Types].xml", Data("<Types/>".utf8)), ("word/document.xml", Data(xml.utf8))])
        let text = try DOCXText.plainText(data)
        #expect(text.components(separatedBy: "文本框").count - 1 == 1)
        #expect(text.contains("正文"))
    }
}
