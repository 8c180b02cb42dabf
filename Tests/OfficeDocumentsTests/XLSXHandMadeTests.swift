import Foundation
import Testing

@testable import OfficeDocuments

/// The reader against XML written by hand in the styles of Excel, WPS, LibreOffice and other
/// generators: custom sheet order, absolute rel targets, prefixed namespaces, rich text, inline
/// strings, skipped cells and rows, date styles.
@Suite struct XLSXHandMadeTests {
    static func workbook(date1904: Bool = false) throws -> Data {
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>
            """
        let rootRels = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        // Sheet order differs from file names: 花名册 is the first sheet but lives in sheet2.xml.
        let workbook = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(sheetMainNS)" xmlns:r="\(relNS)">
              <workbookPr \(date1904 ? "date1904=\"1\"" : "defaultThemeVersion=\"164011\"")/>
              <sheets>
                <sheet name="花名册" sheetId="2" r:id="rId7"/>
                <sheet name="说明 &amp; 备注" sheetId="1" r:id="rId1" state="hidden"/>
              </sheets>
            </workbook>
            """
        let workbookRels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
              <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
              <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
              <Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
              <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            </Relationships>
            """
        let sharedStrings = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(sheetMainNS)" count="9" uniqueCount="9">
            <si><t>姓名</t></si>
            <si><r><rPr><b/><sz val="11"/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r></si>
            <si><t>A&amp;B &lt;x&gt; &quot;q&quot; &apos;a&apos; &#x4E2D;&#22269;</t></si>
            <si><t>00123</t></si>
            <si><t/></si>
            <si><r><t>李四</t></r><rPh sb="0" eb="1"><t>リ</t></rPh><phoneticPr fontId="1"/></si>
            <si><t>a_x000D_b_x005F_x0041_</t></si>
            <si><t><![CDATA[<raw> & text]]></t></si>
            <si><t xml:space="preserve">第一行
            第二行</t></si>
            </sst>
            """
        let styles = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="\(sheetMainNS)">
              <numFmts count="3">
                <numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
                <numFmt numFmtId="165" formatCode="h:mm"/>
                <numFmt numFmtId="166" formatCode="0.00_ "/>
              </numFmts>
              <cellStyleXfs count="2"><xf numFmtId="14" fontId="0"/><xf numFmtId="0" fontId="0"/></cellStyleXfs>
              <cellXfs count="7">
                <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
                <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="center"/></xf>
                <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
              </cellXfs>
            </styleSheet>
            """
        // The data sheet: cells skipped in the XML, rows skipped, cells and rows without r.
        let sheet2 = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(sheetMainNS)" xmlns:r="\(relNS)"><dimension ref="A1:L8"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="3" width="12"/></cols>
            <sheetData>
            <row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>
            <row r="2" spans="1:12"><c r="A2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>内联</t></is></c><c r="D2" s="1"><v>45292</v></c><c r="E2" s="2"><v>21916</v></c><c r="F2" s="3"><v>0.5</v></c><c r="G2" s="4"><v>3.14</v></c><c r="H2" t="b"><v>1</v></c><c r="I2" t="str"><f>A1&amp;"x"</f><v>公式结果</v></c><c r="J2" t="s"><v>3</v></c><c r="K2" t="e"><v>#N/A</v></c><c r="L2" s="1"/></row>
            <row r="5"><c r="B5"><v>-42</v></c><c r="C5" s="6" t="s"><v>3</v></c></row>
            <row r="6"><c r="A6" t="s"><v>4</v></c></row>
            <row><c t="s"><v>5</v></c><c><v>7</v></c><c><v>1.5E-3</v></c></row>
            <row r="8"><c r="A8" t="s"><v>6</v></c><c r="B8" t="inlineStr"><is><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t></r></is></c><c r="C8" s="5"><v>43831</v></c><c r="D8" t="s"><v>7</v></c><c r="E8" t="s"><v>8</v></c></row>
            <row r="9" spans="1:3"/>
            </sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>
            """
        // The notes sheet uses a namespace prefix throughout, like some SDK-generated files.
        let sheet1 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="\(sheetMainNS)"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>说明</x:t></x:is></x:c><x:c r="B1" s="1"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>
            """
        return try makePackage([
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRels), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/sharedStrings.xml", sharedStrings), ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet2.xml", sheet2),
        ])
    }

    @Test func sheetOrderComesFromWorkbookXML() throws {
        let data = try Self.workbook()
        #expect(try XLSXReader.sheetNames(data) == ["花名册", "说明 & 备注"])
    }

    @Test func readsCellsOfEveryKind() throws {
        let sheet = try #require(try XLSXReader.read(Self.workbook(), sheet: "花名册"))
        #expect(sheet.name == "花名册")
        let rows = sheet.rows
        #expect(rows.count == 8)  // row 9 is empty and trailing: trimmed
        #expect(rows[0] == [.text("姓名"), .empty, .text("A&B <x> \"q\" 'a' 中国")])
        #expect(
            rows[1] == [
                .text("张三 "), .empty, .text("内联"), .date(year: 2024, month: 1, day: 1),
                .date(year: 1960, month: 1, day: 1), .number(0.5), .number(3.14), .bool(true), .text("公式结果"),
                .text("00123"), .text("#N/A"),
            ])
        #expect(rows[2] == [])
        #expect(rows[3] == [])
        #expect(rows[4] == [.empty, .number(-42), .text("00123")])
        #expect(rows[5] == [])  // only an empty shared string
        #expect(rows[6] == [.text("李四"), .number(7), .number(0.0015)])
        #expect(
            rows[7] == [
                .text("a\rb_x0041_"), .text("富文本"), .date(year: 2020, month: 1, day: 1), .text("<raw> & text"),
                .text("第一行\n第二行"),
            ])
        #expect(rows[1][9].textValue == "00123")
    }

    @Test func hiddenPrefixedSheet() throws {
        let sheet = try #require(try XLSXReader.read(Self.workbook(), sheet: "说明 & 备注"))
        #expect(sheet.rows == [[.text("说明"), .date(year: 1899, month: 12, day: 31)]])
        // Lookup ignores case and surrounding spaces as a fallback.
        #expect(try XLSXReader.read(Self.workbook(), sheet: " 说明 & 备注 ")?.rows.count == 1)
        #expect(try XLSXReader.read(Self.workbook(), sheet: "干部") == nil)
    }

    @Test func readAllSheets() throws {
        let sheets = try XLSXReader.read(Self.workbook())
        #expect(sheets.map(\.name) == ["花名册", "说明 & 备注"])
        #expect(sheets[1].rows[0][0] == .text("说明"))
    }

    @Test func forEachRowDeliversNonEmptyRowsWithNumbers() throws {
        var numbers: [Int] = []
        var firstCells: [CellValue] = []
        try XLSXReader.forEachRow(Self.workbook(), sheetIndex: 0) { n, cells in
            numbers.append(n)
            firstCells.append(cells.first ?? .empty)
            #expect(!cells.isEmpty)
            #expect(cells.last != .empty)
        }
        #expect(numbers == [1, 2, 5, 7, 8])
        #expect(firstCells == [.text("姓名"), .text("张三 "), .empty, .text("李四"), .text("a\rb_x0041_")])
    }

    @Test func date1904Flag() throws {
        let sheet = try #require(try XLSXReader.read(Self.workbook(date1904: true), sheet: "花名册"))
        // 45292 in the 1904 system is four years and a day later.
        #expect(sheet.rows[1][3] == .date(year: 2028, month: 1, day: 2))
        #expect(try XLSXReader.read(Self.workbook(date1904: true), sheet: "说明 & 备注")?.rows[0][1]
            == .date(year: 1904, month: 1, day: 1))
    }

    @Test func minimalPackageWithoutRelsOrStyles() throws {
        // No root rels, no workbook rels, no styles, no shared strings: fall back to conventions.
        let data = try makePackage([
            ("xl/workbook.xml", "<workbook xmlns=\"\(sheetMainNS)\" xmlns:r=\"\(relNS)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(sheetMainNS)\"><sheetData><row r=\"3\"><c r=\"AB3\"><v>1</v></c></row></sheetData></worksheet>"),
        ])
        let sheet = try #require(try XLSXReader.read(data, sheet: "S"))
        #expect(sheet.rows.count == 3)
        #expect(sheet.rows[2].count == 28)
        #expect(sheet.rows[2][27] == .number(1))
    }

    @Test func onlySheetDataIsRead() throws {
        // Elements outside <sheetData> whose local names look like cells must not leak in.
        let data = try makePackage([
            ("xl/workbook.xml", "<workbook xmlns=\"\(sheetMainNS)\" xmlns:r=\"\(relNS)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/worksheets/sheet1.xml", """
                <worksheet xmlns="\(sheetMainNS)" xmlns:y="urn:other"><y:row r="1"><y:c r="A1" t="inlineStr"><y:is><y:t>x</y:t></y:is></y:c></y:row>\
                <sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>真</t></is></c></row></sheetData>\
                <extLst><y:row r="9"><y:c r="A9"><y:v>1</y:v></y:c></y:row></extLst></worksheet>
                """),
        ])
        #expect(try XLSXReader.read(data)[0].rows == [[], [.empty, .text("真")]])
    }

    @Test func errors() throws {
        #expect(throws: OfficeDocumentError.notAZipFile(format: ".xlsx")) {
            try XLSXReader.read(Data("姓名,性别\n张三,男\n".utf8))
        }
        #expect(throws: OfficeDocumentError.notAZipFile(format: ".xlsx")) { try XLSXReader.sheetNames(Data()) }
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
        #expect(throws: OfficeDocumentError.legacyOrEncryptedFile(format: ".xlsx")) { try XLSXReader.read(ole) }
        #expect(OfficeDocumentError.notAZipFile(format: ".xlsx").description.contains("不是有效的 .xlsx 文件"))
        #expect(throws: OfficeDocumentError.sheetNotFound("干部")) {
            try XLSXReader.forEachRow(Self.workbook(), sheet: "干部") { _, _ in }
        }
        #expect(OfficeDocumentError.sheetNotFound("干部").description == "找不到工作表「干部」")
        #expect(throws: OfficeDocumentError.sheetIndexOutOfRange(index: 2, count: 2)) {
            try XLSXReader.forEachRow(Self.workbook(), sheetIndex: 2) { _, _ in }
        }
        // A zip that is not a workbook.
        let notWorkbook = try makePackage([("hello.txt", "hi")])
        #expect(throws: OfficeDocumentError.self) { try XLSXReader.read(notWorkbook) }
        // A shared-string index out of range is reported, not silently dropped.
        let broken = try makePackage([
            ("xl/workbook.xml", "<workbook xmlns=\"\(sheetMainNS)\" xmlns:r=\"\(relNS)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(sheetMainNS)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>"),
        ])
        #expect(throws: OfficeDocumentError.self) { try XLSXReader.read(broken) }
    }

    @Test func errorsFromTheBodyPropagate() throws {
        struct Stop: Error, Equatable {}
        var seen = 0
        #expect(throws: Stop()) {
            try XLSXReader.forEachRow(Self.workbook(), sheetIndex: 0) { n, _ in
                seen += 1
                if n == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}

/// Damaged input must give an error or a result, never a trap.
@Suite struct XLSXRobustnessTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    @Test func mutatedPartsNeverTrap() throws {
        let original = try OfficePackage.unzip(XLSXHandMadeTests.workbook())
        let targets = ["xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
                       "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"]
        var rng = SplitMix(state: 20_241_124)
        let alphabet = Array("<>/=\"'&;#x:rcvtsi 0123456789ABZ\n".utf8)
        var outcomes = (ok: 0, failed: 0)
        for i in 0..<400 {
            var parts = original
            let target = targets[i % targets.count]
            var bytes = [UInt8](parts[target]!)
            switch rng.below(3) {
            case 0: bytes = Array(bytes.prefix(rng.below(bytes.count)))  // truncate
            case 1:
                for _ in 0..<(1 + rng.below(8)) { bytes[rng.below(bytes.count)] = alphabet[rng.below(alphabet.count)] }
            default:
                let at = rng.below(bytes.count)
                bytes.insert(contentsOf: (0..<rng.below(12)).map { _ in alphabet[rng.below(alphabet.count)] }, at: at)
            }
            parts[target] = Data(bytes)
            let data = try OfficePackage.zip(parts.sorted { $0.key < $1.key }.map { (path: $0.key, data: $0.value) })
            do {
                _ = try XLSXReader.read(data)
                outcomes.ok += 1
            } catch is OfficeDocumentError {
                outcomes.failed += 1
            }
        }
        #expect(outcomes.ok + outcomes.failed == 400)
    }

    @Test func absurdRowNumberIsAnError() throws {
        let data = try makePackage([
            ("xl/workbook.xml", "<workbook xmlns=\"\(sheetMainNS)\" xmlns:r=\"\(relNS)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(sheetMainNS)\"><sheetData><row r=\"999999999\"><c><v>1</v></c></row></sheetData></worksheet>"),
        ])
        #expect(throws: OfficeDocumentError.self) { try XLSXReader.read(data) }
    }
}
