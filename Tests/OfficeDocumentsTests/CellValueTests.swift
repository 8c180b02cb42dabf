import Foundation
import Testing

@testable import OfficeDocuments

@Suite struct CellValueTests {
    @Test func textValueFormatting() {
        #expect(CellValue.number(12.0).textValue == "12")
        #expect(CellValue.number(-3).textValue == "-3")
        #expect(CellValue.number(12.5).textValue == "12.5")
        #expect(CellValue.number(0.1).textValue == "0.1")
        #expect(CellValue.number(0.1 + 0.2).textValue == "0.3")  // 15 significant digits, like Excel
        #expect(CellValue.number(1234567.891).textValue == "1234567.891")
        #expect(CellValue.number(1e-5).textValue == "1e-05")
        #expect(CellValue.number(123_456_789_012).textValue == "123456789012")
        #expect(CellValue.date(year: 2024, month: 3, day: 5).textValue == "2024-03-05")
        #expect(CellValue.text("  张三 \n").textValue == "张三")
        #expect(CellValue.empty.textValue == "")
        #expect(CellValue.bool(true).textValue == "TRUE")
    }

    @Test func literals() {
        let values: [CellValue] = ["姓名", 3, 2.5, true]
        #expect(values == [.text("姓名"), .number(3), .number(2.5), .bool(true)])
    }

    @Test func isEmptyAndNumberValue() {
        #expect(CellValue.empty.isEmpty)
        #expect(CellValue.text("  ").isEmpty)
        #expect(!CellValue.text("0").isEmpty)
        #expect(CellValue.text(" 85.5 ").numberValue == 85.5)
        #expect(CellValue.text("优秀").numberValue == nil)
    }

    @Test func excelSerialDates1900() {
        #expect(ExcelDate.date(fromSerial: 1, date1904: false) == .date(year: 1900, month: 1, day: 1))
        #expect(ExcelDate.date(fromSerial: 59, date1904: false) == .date(year: 1900, month: 2, day: 28))
        #expect(ExcelDate.date(fromSerial: 61, date1904: false) == .date(year: 1900, month: 3, day: 1))
        #expect(ExcelDate.date(fromSerial: 45292, date1904: false) == .date(year: 2024, month: 1, day: 1))
        #expect(ExcelDate.date(fromSerial: 45292.75, date1904: false) == .date(year: 2024, month: 1, day: 1))
        #expect(ExcelDate.date(fromSerial: 21916, date1904: false) == .date(year: 1960, month: 1, day: 1))
        #expect(ExcelDate.date(fromSerial: 0, date1904: true) == .date(year: 1904, month: 1, day: 1))
        #expect(ExcelDate.date(fromSerial: 43830, date1904: true) == .date(year: 2024, month: 1, day: 1))
    }

    @Test func serialRoundTrip() {
        for (y, m, d) in [(1900, 1, 1), (1900, 2, 28), (1900, 3, 1), (1949, 10, 1), (1999, 12, 31), (2000, 2, 29), (2035, 6, 30)] {
            let serial = ExcelDate.serial(year: y, month: m, day: d)
            #expect(ExcelDate.date(fromSerial: serial, date1904: false) == .date(year: y, month: m, day: d))
        }
        #expect(ExcelDate.serial(year: 2024, month: 1, day: 1) == 45292)
    }

    @Test func numberFormatDetection() {
        #expect(NumberFormat.isBuiltInDate(14))
        #expect(NumberFormat.isBuiltInDate(22))
        #expect(NumberFormat.isBuiltInDate(31))  // zh-CN yyyy"年"m"月"d"日"
        #expect(NumberFormat.isBuiltInDate(57))
        #expect(!NumberFormat.isBuiltInDate(0))
        #expect(!NumberFormat.isBuiltInDate(49))
        #expect(!NumberFormat.isBuiltInDate(20))  // h:mm
        #expect(NumberFormat.isDateFormat("yyyy-mm-dd"))
        #expect(NumberFormat.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(NumberFormat.isDateFormat("[$-804]yyyy/m/d;@"))
        #expect(NumberFormat.isDateFormat("mmm-yy"))
        #expect(NumberFormat.isDateFormat("yyyy/m/d h:mm"))
        #expect(!NumberFormat.isDateFormat("h:mm"))
        #expect(!NumberFormat.isDateFormat("[h]:mm:ss"))
        #expect(!NumberFormat.isDateFormat("mm:ss"))
        #expect(!NumberFormat.isDateFormat("General"))
        #expect(!NumberFormat.isDateFormat("0.00_);[Red](0.00)"))
        #expect(!NumberFormat.isDateFormat("#,##0\"元\""))
        #expect(!NumberFormat.isDateFormat("@"))
    }
}
