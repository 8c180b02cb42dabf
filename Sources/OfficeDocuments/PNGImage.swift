import CZlib
import Foundation

/// A colour as 8-bit red, green and blue, written `"2e7d32"` (with or without `#`) as in CSS and OOXML.
public struct RGBColor: Sendable, Hashable {
    public var red: UInt8, green: UInt8, blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `nil` unless `hex` is six hexadecimal digits.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
        self.init(red: UInt8(v >> 16 & 0xFF), green: UInt8(v >> 8 & 0xFF), blue: UInt8(v & 0xFF))
    }

    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    public static let black = RGBColor(red: 0, green: 0, blue: 0)

    /// Six lower-case hexadecimal digits, without `#`.
    public var hex: String { String(format: "%02x%02x%02x", red, green, blue) }
}

/// A small raster picture made of filled rectangles, written as a PNG (8-bit RGB, zlib-compressed by the system's
/// zlib). Enough for the bars of a chart inside a .docx, which Word and WPS both show; text stays in the document.
public struct PNGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major RGB triples.
    private var pixels: [UInt8]

    /// The largest picture made: 4 million pixels (12 MB of RGB).
    public static let maxPixels = 4_000_000

    /// A picture of `width` × `height` pixels filled with `background`. Sizes are clamped to 1…2000 on each side.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        self.width = min(max(width, 1), 2000)
        self.height = min(max(height, 1), 2000)
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        fill(x: 0, y: 0, width: self.width, height: self.height, color: background)
    }

    /// Fills a rectangle; the parts outside the picture are ignored.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: RGBColor) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + max(0, w)), y1 = min(height, y + max(0, h))
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            var i = (row * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = color.red
                pixels[i + 1] = color.green
                pixels[i + 2] = color.blue
                i += 3
            }
        }
    }

    /// The colour at one pixel (for tests).
    public func color(x: Int, y: Int) -> RGBColor {
        let i = (y * width + x) * 3
        return RGBColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
    }

    /// The PNG file: signature, IHDR, one IDAT (filter 0 on every row) and IEND.
    public func data() -> Data {
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * 3 + 1))
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(row * width * 3)..<((row + 1) * width * 3)])
        }
        var bound = compressBound(uLong(raw.count))
        var packed = [UInt8](repeating: 0, count: Int(bound))
        let status = compress2(&packed, &bound, raw, uLong(raw.count), 9)
        precondition(status == Z_OK, "zlib compress2 failed (\(status))")  // only on memory exhaustion
        packed.removeSubrange(Int(bound)...)

        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        header.append(contentsOf: Self.bigEndian(UInt32(width)))
        header.append(contentsOf: Self.bigEndian(UInt32(height)))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // 8 bits, RGB, deflate, filter 0, no interlace
        Self.chunk(&out, "IHDR", header)
        Self.chunk(&out, "IDAT", packed)
        Self.chunk(&out, "IEND", [])
        return out
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ out: inout Data, _ type: String, _ body: [UInt8]) {
        let typed = Array(type.utf8) + body
        out.append(contentsOf: bigEndian(UInt32(body.count)))
        out.append(contentsOf: typed)
        let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        out.append(contentsOf: bigEndian(UInt32(crc)))
    }
}
