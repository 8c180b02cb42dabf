import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import OfficeDocuments

/// Encodes text with iconv, to build GB18030 fixtures independently of the reader.
func iconvEncode(_ text: String, to encoding: String) throws -> Data {
    let cd = iconv_open(encoding, "UTF-8")
    try #require(cd != iconv_t(bitPattern: -1))
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return r == -1 ? -1 : outBuf.count - outLeft
        }
    }
    try #require(produced >= 0)
    return Data(output[0..<produced])
}

@Suite struct CSVReaderTests {
    static let expected = [["干部编号", "姓名", "单位"], ["00123", "张三", "组织部"], ["00124", "李四", "宣传部"]]
    static let text = "干部编号,姓名,单位\r\n00123,张三,组织部\r\n00124,李四,宣传部\r\n"

    @Test func utf8WithoutBOM() throws {
        #expect(try CSVReader.read(Data(Self.text.utf8)) == Self.expected)
    }

    @Test func utf8WithBOM() throws {
        #expect(try CSVReader.read(Data([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8))) == Self.expected)
    }

    @Test func utf16WithBOM() throws {
        let le = Data([0xFF, 0xFE] + Self.text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let be = Data([0xFE, 0xFF] + Self.text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(try CSVReader.read(le) == Self.expected)
        #expect(try CSVReader.read(be) == Self.expected)
    }

    @Test func gbkHardCodedBytes() throws {
        // "张三" in GBK is D5 C5 C8 FD.
        let data = Data([0xD5, 0xC5, 0xC8, 0xFD, UInt8(ascii: ","), UInt8(ascii: "1"), 0x0D, 0x0A])
        #expect(try CSVReader.read(data) == [["张三", "1"]])
    }

    @Test func gb18030EncodedWithIconv() throws {
        let text = "干部编号,姓名,单位,备注\r\n00123,张三,\"中共某某县委组织部，干部一科\",\"含\"\"引号\"\"\r\n和换行\"\r\n00124,䶮 鎔 喆,宣传部,€\r\n"
        let data = try iconvEncode(text, to: "GB18030")
        #expect(String(validating: [UInt8](data), as: UTF8.self) == nil)  // really not UTF-8
        let rows = try CSVReader.read(data)
        #expect(rows == [
            ["干部编号", "姓名", "单位", "备注"],
            ["00123", "张三", "中共某某县委组织部，干部一科", "含\"引号\"\n和换行"],
            ["00124", "䶮 鎔 喆", "宣传部", "€"],
        ])
    }

    @Test func codePage936Euro() throws {
        // 0x80 is € in Windows code page 936 but not valid GB18030.
        #expect(try CSVReader.read(Data([0xD5, 0xC5, 0xC8, 0xFD, UInt8(ascii: ","), 0x80])) == [["张三", "€"]])
    }

    @Test func invalidBytesAreReported() {
        // 0x81 0x20 is an incomplete GB18030 sequence and invalid UTF-8.
        #expect(throws: OfficeDocumentError.self) { try CSVReader.read(Data([0x61, 0x81, 0x20, 0x62])) }
    }

    @Test func quotingAndNewlines() throws {
        let text = "a,\"b,c\",\"d\"\"e\"\"\",\"多\n行\r\n文本\"\nx,,\"\",y\n"
        #expect(try CSVReader.read(Data(text.utf8)) == [["a", "b,c", "d\"e\"", "多\n行\n文本"], ["x", "", "", "y"]])
    }

    @Test func lineEndingsAndBlankLines() throws {
        #expect(CSVReader.parse("a,b\rc,d") == [["a", "b"], ["c", "d"]])
        #expect(CSVReader.parse("a,b\n\nc,d\n\n\n") == [["a", "b"], [""], ["c", "d"]])
        #expect(CSVReader.parse("a,b") == [["a", "b"]])
        #expect(CSVReader.parse("a,") == [["a", ""]])
        #expect(CSVReader.parse("") == [])
        #expect(CSVReader.parse("\"\"") == [[""]] || CSVReader.parse("\"\"") == [])
    }

    @Test func tabSeparatedDetectedFromFirstLine() throws {
        let text = "姓名\t单位\t备注\n张三\t组织部,干部科\t\"x\ty\"\n"
        #expect(CSVReader.parse(text) == [["姓名", "单位", "备注"], ["张三", "组织部,干部科", "x\ty"]])
        // More commas than tabs in the first line: comma-separated.
        #expect(CSVReader.parse("a,b,c\td\n") == [["a", "b", "c\td"]])
    }

    @Test func excelSepHint() {
        #expect(CSVReader.parse("sep=;\r\na;b\r\n1;2\r\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func lenientStrayQuotes() {
        #expect(CSVReader.parse("a\"b,\"c\"d\n") == [["a\"b", "cd"]])
    }

    @Test func fieldsAreNotTrimmed() {
        #expect(CSVReader.parse(" 张三 , 00123 \n") == [[" 张三 ", " 00123 "]])
    }
}
