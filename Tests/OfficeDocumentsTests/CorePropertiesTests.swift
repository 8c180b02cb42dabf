import Foundation
import Testing

@testable import OfficeDocuments

/// When a workbook was saved: the roster preview compares it with the times records were edited.
@Suite struct CorePropertiesTests {
    @Test("The save time written into docProps/core.xml is read back to the second")
    func roundTrip() throws {
        var wb = XLSXWorkbook()
        wb.modified = Date(timeIntervalSince1970: 1_764_000_123)
        wb.addSheet(name: "干部", rows: [["干部编号"]])
        #expect(try XLSXPackage(wb.data()).modified == Date(timeIntervalSince1970: 1_764_000_123))
    }

    @Test("W3CDTF as Excel, WPS and LibreOffice write it: Z, offsets, fractions; anything else is nil")
    func w3cDates() {
        #expect(CoreProperties.w3cDate("1970-01-02T00:00:00Z") == Date(timeIntervalSince1970: 86_400))
        #expect(CoreProperties.w3cDate("2026-11-24T12:00:00+08:00") == CoreProperties.w3cDate("2026-11-24T04:00:00Z"))
        #expect(CoreProperties.w3cDate("2026-11-24T04:00:00.123456789Z") == CoreProperties.w3cDate("2026-11-24T04:00:00Z"))
        #expect(CoreProperties.w3cDate("2026-11-24T04:00:00") == CoreProperties.w3cDate("2026-11-24T04:00:00Z"))
        for bad in ["", "2026-11-24", "2026-13-01T00:00:00Z", "2026-11-24T04:00:00Zjunk", "x026-11-24T04:00:00Z"] {
            #expect(CoreProperties.w3cDate(bad) == nil, "\(bad)")
        }
        let xml = Data(#"<cp:coreProperties><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-24T04:00:00Z</dcterms:modified></cp:coreProperties>"#.utf8)
        #expect(CoreProperties.modified(in: xml) == CoreProperties.w3cDate("2026-11-24T04:00:00Z"))
        #expect(CoreProperties.modified(in: Data("<cp:coreProperties/>".utf8)) == nil)
    }
}

/// Drop-down lists (data validation) in written sheets: the roster template offers 男/女, 是/否, 主职/兼职.
@Suite struct ListValidationTests {
    @Test("A list is written as a data validation on its column and rows; the workbook still reads; bad lists are left out")
    func lists() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "干部", rows: [["姓名", "性别"], ["张三", "男"]], lists: [
            .init(column: 1, options: ["男", "女"], rows: 2...100),
            .init(column: 0, options: ["a,b"], rows: 2...100),  // a comma would split the option: not written
        ])
        let data = try wb.data()
        let sheet = String(decoding: try OfficePackage.unzip(data)["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
        #expect(sheet.contains(#"<dataValidations count="1"><dataValidation type="list" allowBlank="1" showErrorMessage="1""#))
        #expect(sheet.contains(#"sqref="B2:B100"><formula1>&quot;男,女&quot;</formula1></dataValidation></dataValidations><pageMargins"#))
        #expect(try XLSXReader.read(data)[0].rows[1] == ["张三", "男"])
    }
}
