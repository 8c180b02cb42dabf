import Foundation

/// A QR Code symbol (ISO/IEC 18004, Model 2) holding bytes in byte mode.
///
/// Supports versions 1–40 and all four error-correction levels; `encode` picks the smallest version
/// that fits and the mask with the lowest penalty score. Output as inline SVG or as a greyscale PNG,
/// both with the 4-module quiet zone the standard requires. Foundation only, no compression library.
public struct QRCode: Sendable {
    /// Error-correction level: roughly 7 %, 15 %, 25 % and 30 % of the codewords can be restored.
    public enum ErrorCorrection: Sendable, CaseIterable {
        case low, medium, quartile, high
    }

    /// Thrown when the payload does not fit the largest allowed version at the chosen level.
    public struct TooLong: Error, CustomStringConvertible {
        /// Length of the rejected payload in bytes.
        public let byteCount: Int
        /// Largest payload (bytes) that fits the allowed versions at the chosen level.
        public let capacity: Int

        public var description: String {
            "内容过长，无法编码为二维码（\(byteCount) 字节，最多 \(capacity) 字节）"
        }
    }

    /// Symbol version, 1–40.
    public let version: Int
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    /// Error-correction level used.
    public let correction: ErrorCorrection
    /// Mask pattern chosen (0–7).
    let mask: Int
    /// Row-major, `true` = dark.
    private let modules: [Bool]

    private init(version: Int, correction: ErrorCorrection, mask: Int, modules: [Bool]) {
        self.version = version
        self.size = 17 + 4 * version
        self.correction = correction
        self.mask = mask
        self.modules = modules
    }

    /// Encodes `bytes` in byte mode in the smallest version (1…`maxVersion`, at most 40) that fits.
    public static func encode(
        _ bytes: [UInt8], correction: ErrorCorrection = .medium, maxVersion: Int = 10
    ) throws -> QRCode {
        let maxV = min(max(maxVersion, 1), 40)
        guard let version = (1...maxV).first(where: { byteCapacity(version: $0, correction: correction) >= bytes.count })
        else {
            throw TooLong(byteCount: bytes.count, capacity: byteCapacity(version: maxV, correction: correction))
        }
        let data = dataCodewords(bytes, version: version, correction: correction)
        let codewords = interleave(blocks(data, version: version, correction: correction))

        var base = Matrix(version: version)
        base.placeCodewords(codewords)
        var best: Matrix?
        var bestMask = 0
        var bestPenalty = Int.max
        for mask in 0..<8 {
            let candidate = base.masked(mask, correction: correction)
            let p = penalty(size: candidate.size, modules: candidate.modules)
            if p < bestPenalty {
                best = candidate
                bestMask = mask
                bestPenalty = p
            }
        }
        return QRCode(version: version, correction: correction, mask: bestMask, modules: best!.modules)
    }

    /// Encodes the UTF-8 bytes of `text` in byte mode.
    public static func encode(
        _ text: String, correction: ErrorCorrection = .medium, maxVersion: Int = 10
    ) throws -> QRCode {
        try encode(Array(text.utf8), correction: correction, maxVersion: maxVersion)
    }

    /// `true` for a dark module; coordinates outside the symbol (the quiet zone) are light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Inline SVG (no XML prolog), one <path> of all dark modules, viewBox including a 4-module quiet zone,
    /// shape-rendering="crispEdges", width/height attributes from `moduleSize` (e.g. in mm or px: pass a unit string).
    public func svg(moduleSize: Double = 1, unit: String = "mm", title: String? = nil) -> String {
        let side = size + 2 * quietZone
        let extent = Self.number(moduleSize * Double(side)) + Self.escaped(unit)
        var path = ""
        path.reserveCapacity(size * size * 3)
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""
        out += " width=\"\(extent)\" height=\"\(extent)\" shape-rendering=\"crispEdges\" role=\"img\">"
        if let title { out += "<title>\(Self.escaped(title))</title>" }
        out += "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
        out += "<path fill=\"#000\" d=\"\(path)\"/></svg>"
        return out
    }

    /// A PNG (8-bit greyscale, `scale` pixels per module, 4-module white quiet zone), zlib stream of stored
    /// (uncompressed) deflate blocks, with correct CRC-32 and Adler-32 — no compression library needed.
    public func png(scale: Int = 4) -> [UInt8] {
        let scale = max(scale, 1)
        let width = (size + 2 * quietZone) * scale
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * width)
        for my in -quietZone..<(size + quietZone) {
            var line: [UInt8] = [0]  // filter type 0 (None)
            line.reserveCapacity(width + 1)
            for mx in -quietZone..<(size + quietZone) {
                let v: UInt8 = isDark(x: mx, y: my) ? 0 : 255
                line.append(contentsOf: repeatElement(v, count: scale))
            }
            for _ in 0..<scale { raw.append(contentsOf: line) }
        }

        var ihdr: [UInt8] = []
        Self.appendBigEndian(UInt32(width), to: &ihdr)
        Self.appendBigEndian(UInt32(width), to: &ihdr)
        ihdr += [8, 0, 0, 0, 0]  // bit depth 8, greyscale, deflate, adaptive filtering, no interlace

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        Self.appendChunk("IHDR", ihdr, to: &png)
        Self.appendChunk("IDAT", Self.zlibStored(raw), to: &png)
        Self.appendChunk("IEND", [], to: &png)
        return png
    }

    private var quietZone: Int { 4 }
}

// MARK: - Tables and codeword construction

extension QRCode {
    /// Index of a level in the per-level tables below.
    static func levelIndex(_ c: ErrorCorrection) -> Int {
        switch c {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two format-information bits of a level (L = 01, M = 00, Q = 11, H = 10).
    static func formatLevelBits(_ c: ErrorCorrection) -> Int {
        switch c {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }

    /// EC codewords per block, indexed [level][version] (index 0 unused). ISO/IEC 18004 table 9.
    static let ecCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30,
         30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28,
         28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30,
         30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30,
         30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Number of RS blocks (group 1 + group 2), indexed [level][version] (index 0 unused).
    static let blockCounts: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18,
         19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31,
         33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40,
         43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48,
         51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules available for codewords and remainder bits (everything but function patterns and format/version info).
    static func rawDataModules(version v: Int) -> Int {
        var n = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            n -= (25 * align - 10) * align - 55
            if v >= 7 { n -= 36 }
        }
        return n
    }

    /// Total codewords (data + EC) of a version.
    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    /// Data codewords of a version at a level.
    static func dataCodewordCount(version: Int, correction: ErrorCorrection) -> Int {
        let l = levelIndex(correction)
        return totalCodewords(version: version) - ecCodewordsPerBlock[l][version] * blockCounts[l][version]
    }

    /// Bits of the byte-mode character count indicator.
    static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Largest byte-mode payload of a version at a level.
    static func byteCapacity(version: Int, correction: ErrorCorrection) -> Int {
        let bits = dataCodewordCount(version: version, correction: correction) * 8 - 4 - countBits(version: version)
        return min(bits / 8, (1 << countBits(version: version)) - 1)
    }

    /// Mode indicator, count, payload, terminator, bit padding and pad codewords 0xEC/0x11.
    static func dataCodewords(_ bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, correction: correction)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version: version))
        for b in bytes { bits.append(Int(b), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var out = bits.bytes
        var pad: UInt8 = 0xEC
        while out.count < capacity {
            out.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return out
    }

    /// Splits data codewords into blocks (short blocks of group 1 first) and appends each block's EC codewords.
    static func blocks(_ data: [UInt8], version: Int, correction: ErrorCorrection) -> [(data: [UInt8], ec: [UInt8])] {
        let l = levelIndex(correction)
        let count = blockCounts[l][version]
        let ecLen = ecCodewordsPerBlock[l][version]
        let total = totalCodewords(version: version)
        let longBlocks = total % count
        let shortData = total / count - ecLen
        var result: [(data: [UInt8], ec: [UInt8])] = []
        var start = 0
        for i in 0..<count {
            let len = shortData + (i >= count - longBlocks ? 1 : 0)
            let chunk = Array(data[start..<start + len])
            start += len
            result.append((chunk, reedSolomonRemainder(chunk, degree: ecLen)))
        }
        return result
    }

    /// Data codewords column by column across blocks, then EC codewords the same way.
    static func interleave(_ blocks: [(data: [UInt8], ec: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        let maxData = blocks.map(\.data.count).max() ?? 0
        for i in 0..<maxData {
            for b in blocks where i < b.data.count { out.append(b.data[i]) }
        }
        let maxEC = blocks.map(\.ec.count).max() ?? 0
        for i in 0..<maxEC {
            for b in blocks where i < b.ec.count { out.append(b.ec[i]) }
        }
        return out
    }
}

// MARK: - Reed–Solomon over GF(256), polynomial 0x11D

extension QRCode {
    /// exp[i] = α^i for i in 0..<510 (doubled so products need no modulo).
    private static let gfExp: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 512)
        var x = 1
        for i in 0..<255 {
            t[i] = UInt8(x)
            t[i + 255] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        return t
    }()

    /// log[x] for x in 1...255 (log[0] unused).
    private static let gfLog: [Int] = {
        var t = [Int](repeating: 0, count: 256)
        for i in 0..<255 { t[Int(gfExp[i])] = i }
        return t
    }()

    static func gfMultiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return gfExp[gfLog[Int(a)] + gfLog[Int(b)]]
    }

    /// Generator polynomial ∏(x − α^i), i < degree; coefficients from highest degree, leading 1 omitted.
    static func generator(degree: Int) -> [UInt8] {
        var g = [UInt8](repeating: 0, count: degree)
        g[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                g[j] = gfMultiply(g[j], root)
                if j + 1 < degree { g[j] ^= g[j + 1] }
            }
            root = gfMultiply(root, 2)
        }
        return g
    }

    /// EC codewords: remainder of data(x)·x^degree divided by the generator polynomial.
    static func reedSolomonRemainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let g = generator(degree: degree)
        var r = [UInt8](repeating: 0, count: degree)
        for b in data {
            let factor = b ^ r[0]
            r.removeFirst()
            r.append(0)
            for i in 0..<degree { r[i] ^= gfMultiply(g[i], factor) }
        }
        return r
    }

    /// 15-bit format information: level and mask, BCH(15,5) with generator 0x537, XOR 0x5412.
    static func formatBits(_ correction: ErrorCorrection, mask: Int) -> Int {
        let data = formatLevelBits(correction) << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        return (data << 10 | rem) ^ 0x5412
    }

    /// 18-bit version information (versions ≥ 7), BCH(18,6) with generator 0x1F25.
    static func versionBits(_ version: Int) -> Int {
        var rem = version
        for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
        return version << 12 | rem
    }

    /// Centre coordinates of the alignment patterns (both axes), ascending; empty for version 1.
    static func alignmentPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        let last = 17 + 4 * version - 7
        return [6] + (0..<(count - 1)).map { last - $0 * step }.reversed()
    }
}

// MARK: - Module matrix, masking and penalty

extension QRCode {
    /// Working matrix: modules plus which of them belong to function patterns.
    struct Matrix {
        let version: Int
        let size: Int
        var modules: [Bool]
        var isFunction: [Bool]

        /// A matrix with all function patterns drawn and format/version areas reserved.
        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            modules = [Bool](repeating: false, count: size * size)
            isFunction = modules
            for i in 0..<size {
                setFunction(6, i, i % 2 == 0)
                setFunction(i, 6, i % 2 == 0)
            }
            drawFinder(3, 3)
            drawFinder(size - 4, 3)
            drawFinder(3, size - 4)
            let align = QRCode.alignmentPositions(version: version)
            for (i, ay) in align.enumerated() {
                for (j, ax) in align.enumerated() {
                    let last = align.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { setFunction(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(0)  // reserves the area; real bits are drawn after masking
            if version >= 7 {
                let bits = QRCode.versionBits(version)
                for i in 0..<18 {
                    let dark = (bits >> i) & 1 != 0
                    let a = size - 11 + i % 3
                    let b = i / 3
                    setFunction(a, b, dark)
                    setFunction(b, a, dark)
                }
            }
        }

        subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

        mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y * size + x] = dark
            isFunction[y * size + x] = true
        }

        /// Finder pattern centred at (cx, cy) with its light separator, clipped to the symbol.
        mutating func drawFinder(_ cx: Int, _ cy: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx
                    let y = cy + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let d = max(abs(dx), abs(dy))
                    setFunction(x, y, d != 2 && d != 4)
                }
            }
        }

        /// Both copies of the 15 format bits, plus the dark module at (8, size − 8).
        mutating func drawFormat(_ bits: Int) {
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
            for i in 0...5 { setFunction(8, i, bit(i)) }
            setFunction(8, 7, bit(6))
            setFunction(8, 8, bit(7))
            setFunction(7, 8, bit(8))
            for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
            for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
            setFunction(8, size - 8, true)
        }

        /// Places codeword bits in the two-column zigzag from the bottom right, skipping function modules
        /// and the vertical timing column; leftover (remainder) modules stay light.
        mutating func placeCodewords(_ codewords: [UInt8]) {
            var i = 0
            let totalBits = codewords.count * 8
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for vert in 0..<size {
                    let y = upward ? size - 1 - vert : vert
                    for j in 0..<2 {
                        let x = right - j
                        guard !isFunction[y * size + x], i < totalBits else { continue }
                        modules[y * size + x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 != 0
                        i += 1
                    }
                }
                right -= 2
            }
        }

        /// A copy with mask `mask` applied to every non-function module and the matching format bits drawn.
        func masked(_ mask: Int, correction: ErrorCorrection) -> Matrix {
            var m = self
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] {
                    if QRCode.maskBit(mask, x: x, y: y) { m.modules[y * size + x].toggle() }
                }
            }
            m.drawFormat(QRCode.formatBits(correction, mask: mask))
            return m
        }
    }

    /// The eight mask conditions; `true` means the module is inverted. x = column, y = row.
    static func maskBit(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// Penalty score of a finished symbol (ISO/IEC 18004 §7.8.3): runs of ≥ 5 (3 + excess), 2×2 blocks (3 each),
    /// 1:1:3:1:1 finder-like patterns with 4 light modules on one side (40 each), dark ratio (10 per 5 % off 50 %).
    static func penalty(size n: Int, modules: [Bool]) -> Int {
        func at(_ x: Int, _ y: Int) -> Bool { modules[y * n + x] }
        var score = 0
        // Rule 1 and 3, along rows (horizontal == true) and columns.
        let finderA: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
        let finderB: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
        for horizontal in [true, false] {
            for line in 0..<n {
                func get(_ i: Int) -> Bool { horizontal ? at(i, line) : at(line, i) }
                var run = 1
                for i in 1...n {
                    if i < n && get(i) == get(i - 1) {
                        run += 1
                    } else {
                        if run >= 5 { score += 3 + (run - 5) }
                        run = 1
                    }
                }
                if n >= 11 {
                    for start in 0...(n - 11) {
                        var a = true
                        var b = true
                        for k in 0..<11 {
                            let v = get(start + k)
                            if v != finderA[k] { a = false }
                            if v != finderB[k] { b = false }
                            if !a && !b { break }
                        }
                        if a { score += 40 }
                        if b { score += 40 }
                    }
                }
            }
        }
        // Rule 2.
        for y in 0..<(n - 1) {
            for x in 0..<(n - 1) {
                let c = at(x, y)
                if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) { score += 3 }
            }
        }
        // Rule 4.
        let dark = modules.reduce(0) { $1 ? $0 + 1 : $0 }
        let total = n * n
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += k * 10
        return score
    }
}

// MARK: - Bits, PNG and SVG helpers

extension QRCode {
    /// Big-endian bit accumulator for the data codewords.
    struct BitBuffer {
        private(set) var bytes: [UInt8] = []
        private(set) var count = 0

        mutating func append(_ value: Int, count n: Int) {
            for i in stride(from: n - 1, through: 0, by: -1) {
                if count % 8 == 0 { bytes.append(0) }
                if (value >> i) & 1 != 0 { bytes[bytes.count - 1] |= UInt8(0x80 >> (count % 8)) }
                count += 1
            }
        }
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309 / PNG).
    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// Adler-32 (zlib trailer).
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)  // largest run without UInt32 overflow
            for j in i..<end {
                a += UInt32(bytes[j])
                b += a
            }
            a %= 65521
            b %= 65521
            i = end
        }
        return b << 16 | a
    }

    /// zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00), at most 65535 bytes each.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        out.reserveCapacity(data.count + data.count / 65535 * 5 + 16)
        var i = 0
        repeat {
            let len = min(65535, data.count - i)
            let final = i + len == data.count
            out.append(final ? 1 : 0)
            out += [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8((~len >> 8) & 0xFF)]
            out.append(contentsOf: data[i..<i + len])
            i += len
        } while i < data.count
        appendBigEndian(adler32(data), to: &out)
        return out
    }

    private static func appendBigEndian(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &out)
        let typed = Array(type.utf8) + data
        out += typed
        appendBigEndian(crc32(typed), to: &out)
    }

    /// Escapes &, <, >, " for SVG text and attribute values.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Short decimal for SVG attributes: integers without ".0", otherwise up to 3 decimals.
    private static func number(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        if r == r.rounded(), abs(r) < 1e15 { return String(Int(r)) }
        return String(r)
    }
}
