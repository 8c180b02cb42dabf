import Foundation
import Testing

@testable import OfficeDocuments

/// QR Code encoder: Reed–Solomon and BCH arithmetic against published values, version selection at the
/// byte-mode capacity boundaries, function-pattern layout, PNG/SVG output, and end-to-end decoding of the
/// PNGs with zbarimg when it is installed (`apt-get install zbar-tools`).
@Suite struct QRCodeTests {
    // MARK: Reed–Solomon, format and version information

    @Test func reedSolomonMatchesPublishedExamples() {
        // Thonky QR tutorial: "HELLO WORLD" at 1-M.
        let hello: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(QRCode.reedSolomonRemainder(hello, degree: 10) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
        // Thonky QR tutorial: 5-Q, group 1 block 1.
        let block: [UInt8] = [67, 85, 70, 134, 87, 38, 85, 194, 119, 50, 6, 18, 6, 103, 38]
        #expect(
            QRCode.reedSolomonRemainder(block, degree: 18)
                == [213, 199, 11, 45, 115, 247, 241, 223, 229, 248, 154, 117, 154, 111, 86, 161, 111, 39])
    }

    /// Every codeword polynomial data·x^n + EC must vanish at α^0 … α^(n−1) (zero syndromes).
    @Test func reedSolomonCodewordsHaveZeroSyndromes() {
        var rng = SplitMix64(seed: 42)
        for degree in [7, 10, 13, 17, 22, 26, 28, 30] {
            let data = (0..<(20 + degree)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let codeword = data + QRCode.reedSolomonRemainder(data, degree: degree)
            var alpha: UInt8 = 1
            for _ in 0..<degree {
                var acc: UInt8 = 0  // Horner's rule
                for c in codeword { acc = QRCode.gfMultiply(acc, alpha) ^ c }
                #expect(acc == 0, "degree \(degree)")
                alpha = QRCode.gfMultiply(alpha, 2)
            }
        }
    }

    @Test func formatInformationBits() {
        // ISO/IEC 18004 Annex C / Thonky format-string table.
        #expect(QRCode.formatBits(.low, mask: 4) == 0b110011000101111)
        #expect(QRCode.formatBits(.medium, mask: 0) == 0b101010000010010)
        #expect(QRCode.formatBits(.medium, mask: 5) == 0b100000011001110)
        #expect(QRCode.formatBits(.quartile, mask: 0) == 0b011010101011111)
        #expect(QRCode.formatBits(.high, mask: 0) == 0b001011010001001)
        #expect(QRCode.formatBits(.high, mask: 7) == 0b000100000111011)
    }

    @Test func versionInformationBits() {
        #expect(QRCode.versionBits(7) == 0b000111110010010100)
        #expect(QRCode.versionBits(8) == 0b001000010110111100)
        #expect(QRCode.versionBits(40) == 0b101000110001101001)
    }

    // MARK: Version selection and block structure

    static let byteCapacityM = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]

    @Test func versionSelectionAtCapacityBoundaries() throws {
        for (i, capacity) in Self.byteCapacityM.enumerated() {
            let version = i + 1
            let exact = try QRCode.encode([UInt8](repeating: 0x41, count: capacity))
            #expect(exact.version == version, "\(capacity) bytes")
            #expect(exact.size == 17 + 4 * version)
            if version < 10 {
                let over = try QRCode.encode([UInt8](repeating: 0x41, count: capacity + 1))
                #expect(over.version == version + 1, "\(capacity + 1) bytes")
            }
        }
        #expect(try QRCode.encode([]).version == 1)
        #expect(throws: QRCode.TooLong.self) { try QRCode.encode([UInt8](repeating: 0, count: 214)) }
        #expect(try QRCode.encode([UInt8](repeating: 0, count: 214), maxVersion: 40).version == 11)
        #expect(throws: QRCode.TooLong.self) { try QRCode.encode([UInt8](repeating: 0, count: 15), maxVersion: 1) }
        do {
            _ = try QRCode.encode([UInt8](repeating: 0, count: 300))
            Issue.record("300 bytes should not fit version 10")
        } catch let error as QRCode.TooLong {
            #expect(error.byteCount == 300)
            #expect(error.capacity == 213)
            #expect(error.description.contains("内容过长"))
            #expect(error.description.contains("300 字节"))
        }
    }

    @Test func byteCapacityTable() {
        // ISO/IEC 18004 table 7, byte mode.
        let expected: [(QRCode.ErrorCorrection, [Int])] = [
            (.low, [17, 32, 53, 78, 106, 134, 154, 192, 230, 271]),
            (.medium, Self.byteCapacityM),
            (.quartile, [11, 20, 32, 46, 60, 74, 86, 108, 130, 151]),
            (.high, [7, 14, 24, 34, 44, 58, 64, 84, 98, 119]),
        ]
        for (level, caps) in expected {
            #expect((1...10).map { QRCode.byteCapacity(version: $0, correction: level) } == caps, "\(level)")
        }
        #expect(QRCode.byteCapacity(version: 40, correction: .low) == 2953)
        #expect(QRCode.byteCapacity(version: 40, correction: .medium) == 2331)
        #expect(QRCode.byteCapacity(version: 40, correction: .quartile) == 1663)
        #expect(QRCode.byteCapacity(version: 40, correction: .high) == 1273)
        #expect(QRCode.byteCapacity(version: 20, correction: .medium) == 666)
        #expect(QRCode.totalCodewords(version: 1) == 26)
        #expect(QRCode.totalCodewords(version: 7) == 196)
        #expect(QRCode.totalCodewords(version: 40) == 3706)
    }

    /// Group 1/group 2 block sizes (data codewords) and EC codewords per block, ISO/IEC 18004 table 9.
    @Test func blockStructure() {
        let cases: [(Int, QRCode.ErrorCorrection, [Int], Int)] = [
            (1, .medium, [16], 10),
            (5, .quartile, [15, 15, 16, 16], 18),
            (6, .medium, [27, 27, 27, 27], 16),
            (7, .high, [13, 13, 13, 13, 14], 26),
            (9, .low, [116, 116], 30),
            (10, .medium, [43, 43, 43, 43, 44], 26),
            (13, .quartile, [20, 20, 20, 20, 20, 20, 20, 20, 21, 21, 21, 21], 24),
            (40, .high, [Int](repeating: 15, count: 20) + [Int](repeating: 16, count: 61), 30),
        ]
        for (version, level, sizes, ec) in cases {
            let data = [UInt8](repeating: 0, count: QRCode.dataCodewordCount(version: version, correction: level))
            let blocks = QRCode.blocks(data, version: version, correction: level)
            #expect(blocks.map(\.data.count) == sizes, "\(version)-\(level)")
            #expect(blocks.allSatisfy { $0.ec.count == ec }, "\(version)-\(level)")
        }
    }

    @Test func interleavingOrder() {
        // 5-Q: blocks of 15, 15, 16, 16 data codewords; number them so the order is visible.
        let data = (0..<62).map { UInt8($0) }
        let blocks = QRCode.blocks(data, version: 5, correction: .quartile)
        let out = QRCode.interleave(blocks)
        #expect(out.count == 134)
        #expect(Array(out.prefix(8)) == [0, 15, 30, 46, 1, 16, 31, 47])
        // Column 14 ends the short blocks; the last data column only has the long blocks.
        #expect(Array(out[56..<62]) == [14, 29, 44, 60, 45, 61])
        #expect(Array(out[62..<66]) == [blocks[0].ec[0], blocks[1].ec[0], blocks[2].ec[0], blocks[3].ec[0]])
        #expect(out.last == blocks[3].ec[17])
    }

    @Test func dataCodewordsLayout() {
        // "AB" at 1-M: 0100 00000010 01000001 01000010 0000, then pad bytes.
        let cw = QRCode.dataCodewords(Array("AB".utf8), version: 1, correction: .medium)
        #expect(cw == [0x40, 0x24, 0x14, 0x20, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        // Version 10 uses a 16-bit count.
        let v10 = QRCode.dataCodewords([0xFF], version: 10, correction: .medium)
        #expect(Array(v10.prefix(4)) == [0x40, 0x00, 0x1F, 0xF0])
        #expect(v10.count == 216)
    }

    // MARK: Structure of the symbol

    @Test(arguments: [1, 2, 7, 10, 40])
    func finderTimingAndDarkModule(version: Int) throws {
        let payload = [UInt8](repeating: 0x5A, count: QRCode.byteCapacity(version: version, correction: .medium))
        let qr = try QRCode.encode(payload, maxVersion: 40)
        #expect(qr.version == version)
        let n = qr.size
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for dy in -1...7 {
                for dx in -1...7 {
                    let x = ox + dx
                    let y = oy + dy
                    guard x >= 0, y >= 0, x < n, y < n else { continue }
                    let d = max(abs(dx - 3), abs(dy - 3))
                    #expect(qr.isDark(x: x, y: y) == (d != 2 && d != 4), "finder at (\(ox),\(oy)) module (\(x),\(y))")
                }
            }
        }
        for i in 8..<(n - 8) {
            #expect(qr.isDark(x: i, y: 6) == (i % 2 == 0), "horizontal timing \(i)")
            #expect(qr.isDark(x: 6, y: i) == (i % 2 == 0), "vertical timing \(i)")
        }
        #expect(qr.isDark(x: 8, y: 4 * version + 9))
        #expect(!qr.isDark(x: -1, y: 0) && !qr.isDark(x: n, y: n - 1))
    }

    @Test func alignmentPatterns() throws {
        #expect(QRCode.alignmentPositions(version: 1) == [])
        #expect(QRCode.alignmentPositions(version: 2) == [6, 18])
        #expect(QRCode.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRCode.alignmentPositions(version: 10) == [6, 28, 50])
        #expect(QRCode.alignmentPositions(version: 14) == [6, 26, 46, 66])
        #expect(QRCode.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentPositions(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(QRCode.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])

        let qr = try QRCode.encode([UInt8](repeating: 0x33, count: 110))
        #expect(qr.version == 7)
        let centres = [(22, 6), (6, 22), (22, 22), (38, 22), (22, 38), (38, 38)]
        for (cx, cy) in centres {
            for dy in -2...2 {
                for dx in -2...2 {
                    #expect(
                        qr.isDark(x: cx + dx, y: cy + dy) == (max(abs(dx), abs(dy)) != 1),
                        "alignment (\(cx),\(cy)) offset (\(dx),\(dy))")
                }
            }
        }
    }

    /// Reads both copies of the format information back from the symbol.
    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func formatInformationInSymbol(level: QRCode.ErrorCorrection) throws {
        let qr = try QRCode.encode("城关镇党委 民主测评 \(level)", correction: level)
        let n = qr.size
        func bit(_ x: Int, _ y: Int) -> Int { qr.isDark(x: x, y: y) ? 1 : 0 }
        var first = 0
        var second = 0
        let firstPositions = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        let secondPositions = (0..<8).map { (n - 1 - $0, 8) } + (8..<15).map { (8, n - 15 + $0) }
        for (i, p) in firstPositions.enumerated() { first |= bit(p.0, p.1) << i }
        for (i, p) in secondPositions.enumerated() { second |= bit(p.0, p.1) << i }
        #expect(first == second)
        #expect(first == QRCode.formatBits(level, mask: qr.mask))
        let unmasked = first ^ 0x5412
        #expect(unmasked >> 13 == QRCode.formatLevelBits(level))
        #expect((unmasked >> 10) & 7 == qr.mask)
    }

    @Test func versionInformationInSymbol() throws {
        let qr = try QRCode.encode([UInt8](repeating: 0x21, count: 150))
        #expect(qr.version == 8)
        let n = qr.size
        var bottomLeft = 0
        var topRight = 0
        for i in 0..<18 {
            if qr.isDark(x: i / 3, y: n - 11 + i % 3) { bottomLeft |= 1 << i }
            if qr.isDark(x: n - 11 + i % 3, y: i / 3) { topRight |= 1 << i }
        }
        #expect(bottomLeft == 0b001000010110111100)
        #expect(topRight == bottomLeft)
    }

    /// The chosen mask must score no worse than any other mask on the same codewords.
    @Test func chosenMaskHasLowestPenalty() throws {
        for text in ["http://192.168.1.10:8080/v/ABCD-EFGH-JK", "城关镇党委 民主测评", String(repeating: "0", count: 100)] {
            let qr = try QRCode.encode(text)
            let cw = QRCode.interleave(
                QRCode.blocks(
                    QRCode.dataCodewords(Array(text.utf8), version: qr.version, correction: .medium),
                    version: qr.version, correction: .medium))
            var base = QRCode.Matrix(version: qr.version)
            base.placeCodewords(cw)
            let scores = (0..<8).map { m in
                let mm = base.masked(m, correction: .medium)
                return QRCode.penalty(size: mm.size, modules: mm.modules)
            }
            let chosen = base.masked(qr.mask, correction: .medium)
            #expect(scores[qr.mask] == scores.min())
            #expect((0..<qr.size).allSatisfy { y in (0..<qr.size).allSatisfy { x in chosen[x, y] == qr.isDark(x: x, y: y) } })
        }
    }

    @Test func penaltyRules() {
        let n = 21
        // All light: rule 1 gives 42 lines × (3 + 16), rule 2 gives 20 × 20 × 3, rule 4 gives 9 × 10 (0 % dark).
        #expect(QRCode.penalty(size: n, modules: [Bool](repeating: false, count: n * n)) == 42 * 19 + 1200 + 90)
        // Checkerboard: no runs, no blocks, no finder patterns, 221/441 dark.
        let checker = (0..<(n * n)).map { ($0 / n + $0 % n) % 2 == 0 }
        #expect(QRCode.penalty(size: n, modules: checker) == 0)
        // One finder-like row 1011101 0000 in a checkerboard adds exactly the rule-3 penalty (and its runs).
        var withFinder = checker
        let row = [true, false, true, true, true, false, true, false, false, false, false]
        for (i, v) in row.enumerated() { withFinder[5 * n + 3 + i] = v }
        // Row 5 now also has a light run of 5 (x 10…14): 3; dark count 220 of 441 keeps rule 4 at 0.
        #expect(QRCode.penalty(size: n, modules: withFinder) == 40 + 3)
        withFinder[5 * n + 3 + 4] = false  // 1011001 0000: no longer finder-like
        #expect(QRCode.penalty(size: n, modules: withFinder) == 3)
    }

    // MARK: PNG and SVG output

    @Test func checksums() {
        #expect(QRCode.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(QRCode.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        let big = [UInt8](repeating: 0xFF, count: 100_000)
        var a = 1
        var b = 0
        for x in big {
            a = (a + Int(x)) % 65521
            b = (b + a) % 65521
        }
        #expect(QRCode.adler32(big) == UInt32(b << 16 | a))
    }

    /// Parses the PNG, checks every CRC and the zlib trailer, inflates the stored blocks and compares pixels.
    @Test(arguments: [(1, 1), (40, 4)])
    func pngStructure(version: Int, scale: Int) throws {
        let payload = [UInt8](repeating: 0x42, count: QRCode.byteCapacity(version: version, correction: .low))
        let qr = try QRCode.encode(payload, correction: .low, maxVersion: 40)
        #expect(qr.version == version)
        let png = qr.png(scale: scale)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func u32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        var chunks: [(String, [UInt8])] = []
        var p = 8
        while p < png.count {
            let len = u32(p)
            let type = String(decoding: png[(p + 4)..<(p + 8)], as: UTF8.self)
            let body = Array(png[(p + 8)..<(p + 8 + len)])
            #expect(u32(p + 8 + len) == Int(QRCode.crc32(png[(p + 4)..<(p + 8 + len)])), "CRC of \(type)")
            chunks.append((type, body))
            p += 12 + len
        }
        #expect(p == png.count)
        #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"])
        let width = (qr.size + 8) * scale
        let ihdr = chunks[0].1
        #expect(ihdr == [0, 0, UInt8(width >> 8), UInt8(width & 0xFF), 0, 0, UInt8(width >> 8), UInt8(width & 0xFF), 8, 0, 0, 0, 0])

        let z = chunks[1].1
        #expect(z[0] == 0x78 && (Int(z[0]) << 8 | Int(z[1])) % 31 == 0)
        var raw: [UInt8] = []
        var q = 2
        var final = false
        var blockCount = 0
        while !final {
            final = z[q] & 1 == 1
            #expect(z[q] >> 1 == 0, "stored block")
            let len = Int(z[q + 1]) | Int(z[q + 2]) << 8
            let nlen = Int(z[q + 3]) | Int(z[q + 4]) << 8
            #expect(len ^ nlen == 0xFFFF)
            raw += z[(q + 5)..<(q + 5 + len)]
            q += 5 + len
            blockCount += 1
        }
        #expect(q + 4 == z.count)
        let adler = UInt32(z[q]) << 24 | UInt32(z[q + 1]) << 16 | UInt32(z[q + 2]) << 8 | UInt32(z[q + 3])
        #expect(adler == QRCode.adler32(raw))
        #expect(raw.count == width * (width + 1))
        if version == 40 { #expect(blockCount > 1) }
        var mismatches = 0
        for py in 0..<width {
            #expect(raw[py * (width + 1)] == 0)
            for px in 0..<width {
                let dark = qr.isDark(x: px / scale - 4, y: py / scale - 4)
                if raw[py * (width + 1) + 1 + px] != (dark ? 0 : 255) { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func svgOutput() throws {
        let qr = try QRCode.encode("http://192.168.1.10:8080/v/ABCD-EFGH-JK")
        #expect(qr.version == 3)
        let svg = qr.svg(moduleSize: 0.5, unit: "mm", title: "测评 <A & \"B\">")
        #expect(svg.hasPrefix("<svg "))
        #expect(!svg.contains("<?xml"))
        #expect(svg.contains("viewBox=\"0 0 37 37\""))
        #expect(svg.contains("width=\"18.5mm\" height=\"18.5mm\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<title>测评 &lt;A &amp; &quot;B&quot;&gt;</title>"))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(qr.svg(moduleSize: 4, unit: "px").contains("width=\"148px\""))
        #expect(!qr.svg().contains("<title>"))

        // Rasterise the path ("Mx yhNv1h-Nz" runs) and compare with the modules.
        let start = try #require(svg.range(of: " d=\""))
        let d = svg[start.upperBound...].prefix { $0 != "\"" }
        var grid = [Bool](repeating: false, count: 37 * 37)
        for cmd in d.split(separator: "M") {
            let parts = cmd.split(whereSeparator: { " hvz".contains($0) })
            let x = try #require(Int(parts[0]))
            let y = try #require(Int(parts[1]))
            let run = try #require(Int(parts[2]))
            #expect(parts[3] == "1" && parts[4] == "-\(run)")
            for i in 0..<run {
                #expect(!grid[y * 37 + x + i], "overlap")
                grid[y * 37 + x + i] = true
            }
        }
        for y in 0..<37 {
            for x in 0..<37 { #expect(grid[y * 37 + x] == qr.isDark(x: x - 4, y: y - 4), "(\(x),\(y))") }
        }
    }

    // MARK: Decoding with zbarimg

    static let zbarimg = "/usr/bin/zbarimg"
    static let hasZbar = FileManager.default.isExecutableFile(atPath: zbarimg)

    /// Payloads that fill each version 1–10 at level M exactly, plus named cases and other levels.
    static func decodeCases() -> [(name: String, bytes: [UInt8], level: QRCode.ErrorCorrection, version: Int)] {
        let chinese = "城关镇党委 民主测评"
        let binaryLooking = (0x21...0x7E).map { Character(UnicodeScalar(UInt8($0))) }
        func ascii(_ n: Int, offset: Int) -> String {
            String((0..<n).map { binaryLooking[($0 * 7 + offset) % binaryLooking.count] })
        }
        /// `prefix` repeated while it fits, then ASCII to exactly `n` bytes (keeps UTF-8 valid).
        func fill(_ prefix: String, _ n: Int, offset: Int) -> [UInt8] {
            var out: [UInt8] = []
            while !prefix.isEmpty && out.count + prefix.utf8.count <= n { out += prefix.utf8 }
            return out + Array(ascii(n - out.count, offset: offset).utf8)
        }
        var cases: [(String, [UInt8], QRCode.ErrorCorrection, Int)] = [
            ("url", Array("http://192.168.1.10:8080/v/ABCD-EFGH-JK".utf8), .medium, 3),
            ("chinese", Array(chinese.utf8), .medium, 3),
            ("binary-looking", Array("\\x00\\xFF %00 0x7f {\"k\":[1,2]} <a&b> ~`|^ \t$@#".utf8), .medium, 4),
            ("single byte", [0x30], .medium, 1),
        ]
        for (i, cap) in byteCapacityM.enumerated() {
            let prefix = ["", chinese, "http://192.168.1.10:8080/v/ABCD-EFGH-JK?", "\u{7E}\u{21}"][i % 4]
            cases.append(("M exact v\(i + 1)", fill(prefix, cap, offset: i), .medium, i + 1))
        }
        for (level, caps) in [
            (QRCode.ErrorCorrection.low, [17, 106, 271]), (.quartile, [11, 60, 151]), (.high, [7, 44, 119]),
        ] {
            for (cap, version) in zip(caps, [1, 5, 10]) {
                cases.append(("\(level) v\(version)", fill(chinese, cap, offset: version), level, version))
            }
        }
        return cases
    }

    /// Runs `zbarimg --raw -q` on a PNG and returns its stdout without the trailing newline.
    static func zbarDecode(_ png: [UInt8], in dir: URL, name: String, extraArguments: [String] = []) throws -> [UInt8] {
        let file = dir.appendingPathComponent("\(name).png")
        try Data(png).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbarimg)
        process.arguments = ["--raw", "-q"] + extraArguments + [file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var bytes = [UInt8](data)
        if extraArguments.isEmpty, bytes.last == 0x0A { bytes.removeLast() }
        return bytes
    }

    @Test(.enabled(if: hasZbar)) func zbarimgDecodesEveryPayload() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var versionsAtM = Set<Int>()
        for (index, c) in Self.decodeCases().enumerated() {
            let qr = try QRCode.encode(c.bytes, correction: c.level)
            #expect(qr.version == c.version, "\(c.name)")
            if c.level == .medium { versionsAtM.insert(qr.version) }
            let decoded = try Self.zbarDecode(qr.png(scale: 3), in: dir, name: "case\(index)")
            #expect(decoded == c.bytes, "\(c.name): got \(String(decoding: decoded, as: UTF8.self))")
        }
        #expect(versionsAtM == Set(1...10))
    }

    /// Larger versions (tables up to 40) decode too.
    @Test(.enabled(if: hasZbar)) func zbarimgDecodesLargeVersions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(Int, QRCode.ErrorCorrection)] = [(14, .medium), (21, .high), (27, .quartile), (40, .low)]
        for (version, level) in cases {
            let n = QRCode.byteCapacity(version: version, correction: level)
            let bytes = Array(String((0..<n).map { i in Character(UnicodeScalar(UInt8(0x21 + (i * 13 + version) % 94))) }).utf8)
            let qr = try QRCode.encode(bytes, correction: level, maxVersion: 40)
            #expect(qr.version == version)
            let decoded = try Self.zbarDecode(qr.png(scale: 3), in: dir, name: "v\(version)")
            #expect(decoded == bytes, "\(version)-\(level)")
        }
    }

    /// All 256 byte values; `-Sbinary` makes zbarimg print the bytes as they are (no charset guessing, no newline).
    @Test(.enabled(if: hasZbar)) func zbarimgDecodesAllByteValues() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = (0..<256).map { UInt8($0) }.reversed() + (0..<256).map { UInt8($0) }
        let qr = try QRCode.encode(Array(bytes), correction: .quartile, maxVersion: 40)
        #expect(qr.version == 22)  // 21-Q holds 509 bytes, 22-Q 565
        let decoded = try Self.zbarDecode(qr.png(), in: dir, name: "bytes", extraArguments: ["-Sbinary"])
        #expect(decoded == Array(bytes))
    }

    /// Deterministic PRNG for repeatable test data.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
