import CZlib
import Foundation
import Testing

@testable import OfficeDocuments

/// Issue 12: charts inside .docx are PNG pictures made by our own code — checked here by reading the file back as a PNG
/// reader does (chunk CRCs, the zlib stream, the filter bytes), and placed in a .docx as Word writes a picture.
@Suite struct PNGImageTests {
    struct Chunk { var type: String; var body: [UInt8] }

    /// The chunks of a PNG; each CRC checked.
    static func chunks(_ data: Data) throws -> [Chunk] {
        let bytes = [UInt8](data)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var out: [Chunk] = [], i = 8
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while i < bytes.count {
            let length = u32(i)
            let typed = Array(bytes[(i + 4)..<(i + 8 + length)])
            let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            #expect(UInt32(u32(i + 8 + length)) == UInt32(crc), "CRC of \(String(decoding: typed.prefix(4), as: UTF8.self))")
            out.append(Chunk(type: String(decoding: typed.prefix(4), as: UTF8.self), body: Array(typed.dropFirst(4))))
            i += 12 + length
        }
        return out
    }

    /// The RGB rows of a PNG this writer made (filter 0 on every row).
    static func rows(_ data: Data) throws -> (width: Int, height: Int, rows: [[UInt8]]) {
        let chunks = try chunks(data)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        let h = chunks[0].body
        let width = Int(h[0]) << 24 | Int(h[1]) << 16 | Int(h[2]) << 8 | Int(h[3])
        let height = Int(h[4]) << 24 | Int(h[5]) << 16 | Int(h[6]) << 8 | Int(h[7])
        #expect(Array(h[8...]) == [8, 2, 0, 0, 0])
        var size = uLong(height * (width * 3 + 1))
        var raw = [UInt8](repeating: 0, count: Int(size))
        let packed = chunks[1].body
        #expect(uncompress(&raw, &size, packed, uLong(packed.count)) == Z_OK)
        #expect(Int(size) == raw.count)
        let stride = width * 3 + 1
        return (width, height, (0..<height).map { r in
            #expect(raw[r * stride] == 0)
            return Array(raw[(r * stride + 1)..<((r + 1) * stride)])
        })
    }

    @Test("A filled rectangle reads back pixel for pixel; what falls outside the picture is cut")
    func rectanglesReadBack() throws {
        let green = try #require(RGBColor(hex: "#2e7d32"))
        #expect(green.hex == "2e7d32" && RGBColor(hex: "12345") == nil && RGBColor(hex: "zzzzzz") == nil)
        var image = PNGImage(width: 10, height: 4)
        image.fill(x: 2, y: 1, width: 3, height: 2, color: green)
        image.fill(x: 8, y: -5, width: 100, height: 6, color: .black)  // partly outside
        image.fill(x: 20, y: 0, width: 5, height: 5, color: .black)  // wholly outside
        let (w, h, rows) = try Self.rows(image.data())
        #expect(w == 10 && h == 4)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(rows[y][(x * 3)..<(x * 3 + 3)]) }
        #expect(pixel(2, 1) == [0x2e, 0x7d, 0x32] && pixel(4, 2) == [0x2e, 0x7d, 0x32])
        #expect(pixel(1, 1) == [255, 255, 255] && pixel(5, 1) == [255, 255, 255] && pixel(2, 3) == [255, 255, 255])
        #expect(pixel(8, 0) == [0, 0, 0] && pixel(9, 0) == [0, 0, 0] && pixel(7, 0) == [255, 255, 255] && pixel(8, 1) == [255, 255, 255])
        #expect(image.color(x: 3, y: 2) == green)
    }

    @Test("Hostile sizes are clamped, never a crash or a huge allocation")
    func clamped() throws {
        let tiny = PNGImage(width: -5, height: 0)
        #expect(tiny.width == 1 && tiny.height == 1)
        let huge = PNGImage(width: Int.max, height: 3)
        #expect(huge.width == 2000)
        #expect(try Self.rows(tiny.data()).rows.count == 1)
    }

    @Test("A .docx with pictures: each PNG stored once under word/media, related from the document, typed as image/png; every drawing has its own id")
    func docxPictures() throws {
        var bar = PNGImage(width: 40, height: 8)
        bar.fill(x: 0, y: 0, width: 25, height: 8, color: RGBColor(hex: "e53935")!)
        let png = bar.data()
        var other = PNGImage(width: 40, height: 8)
        other.fill(x: 0, y: 0, width: 5, height: 8, color: .black)
        var doc = DOCXDocument()
        doc.paragraph([DOCXRun("图例："), DOCXRun("■", color: RGBColor(hex: "e53935")), DOCXRun(image: DOCXImage(png: png, widthCm: 8, heightCm: 0.4), description: "甲 <60%>")])
        doc.table([[DOCXCell("乙"), DOCXCell(paragraphs: [DOCXParagraph([DOCXRun(image: DOCXImage(png: png, widthCm: 8, heightCm: 0.4), description: "乙")])])],
                   [DOCXCell("丙"), DOCXCell(paragraphs: [DOCXParagraph([DOCXRun(image: DOCXImage(png: other.data(), widthCm: 8, heightCm: 0.4), description: "丙")])])]],
                  headerRows: 0)
        let data = try doc.data()
        try assertWellFormedParts(data)
        let parts = try OfficePackage.unzip(data)
        #expect(parts["word/media/image1.png"] == png && parts["word/media/image2.png"] == other.data() && parts["word/media/image3.png"] == nil)
        let types = String(decoding: parts["[Content_Types].xml"]!, as: UTF8.self)
        #expect(types.contains("Extension=\"png\" ContentType=\"image/png\""))
        let rels = String(decoding: parts["word/_rels/document.xml.rels"]!, as: UTF8.self)
        #expect(rels.contains("Id=\"rIdImg1\"") && rels.contains("Target=\"media/image1.png\"") && rels.contains("Target=\"media/image2.png\""))
        let xml = String(decoding: parts["word/document.xml"]!, as: UTF8.self)
        #expect(xml.components(separatedBy: "<w:drawing>").count - 1 == 3)
        #expect(xml.contains("r:embed=\"rIdImg1\"") && xml.contains("r:embed=\"rIdImg2\""))
        #expect(xml.contains("<wp:docPr id=\"1\"") && xml.contains("<wp:docPr id=\"2\"") && xml.contains("<wp:docPr id=\"3\""))
        #expect(xml.contains("descr=\"甲 &lt;60%&gt;\""), "the description is escaped")
        #expect(xml.contains("<wp:extent cx=\"2880000\" cy=\"144000\"/>"), "8 cm × 0.4 cm in EMU")
        #expect(xml.contains("<w:color w:val=\"E53935\"/>"))
        // A document without pictures keeps its parts as before.
        var plain = DOCXDocument()
        plain.paragraph("无图")
        let plainParts = try OfficePackage.unzip(plain.data())
        #expect(!plainParts.keys.contains { $0.hasPrefix("word/media") })
        #expect(!String(decoding: plainParts["[Content_Types].xml"]!, as: UTF8.self).contains("png"))
    }
}
