import Foundation
import ZIPFoundation

/// Minimal access to the ZIP container of .xlsx/.docx files. Public so that callers and tests can
/// build or inspect packages part by part.
public enum OfficePackage {
    /// Builds a ZIP archive (deflate-compressed) from parts, in the given order.
    /// `[Content_Types].xml` should come first for the widest compatibility.
    public static func zip(_ parts: [(path: String, data: Data)]) throws -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            let fixedDate = Date(timeIntervalSince1970: 1_704_067_200)  // stable output for equal input
            for part in parts {
                let data = part.data
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: fixedDate, compressionMethod: .deflate, bufferSize: 256 * 1024
                ) { position, size in
                    let start = data.startIndex + Int(position)
                    return data.subdata(in: start..<min(start + size, data.endIndex))
                }
            }
            guard let out = archive.data else { throw OfficeDocumentError.writeFailed("ZIP 数据为空") }
            return out
        } catch let e as OfficeDocumentError {
            throw e
        } catch {
            throw OfficeDocumentError.writeFailed("\(error)")
        }
    }

    /// All file parts of a ZIP archive, keyed by path. `format` names the expected file type in errors.
    public static func unzip(_ data: Data, format: String = ".zip") throws -> [String: Data] {
        let reader = try PackageReader(data, format: format)
        var out: [String: Data] = [:]
        for path in reader.paths { out[path] = try reader.part(path) }
        return out
    }
}

/// What reading one package may cost. A hostile file (a zip bomb, a million parts, a row without end) is
/// refused with `OfficeDocumentError.tooLarge` instead of exhausting memory or time: every byte inflated is
/// counted as it comes, whatever the archive's headers claim.
public struct OfficeLimits: Sendable, Equatable {
    /// Parts (files) in the archive.
    public var maxEntries = 10_000
    /// One part read whole (workbook, shared strings, styles).
    public var maxPartBytes = 128 << 20
    /// Everything inflated from one package, streamed sheets included.
    public var maxTotalBytes = 1 << 30
    /// Inflated size : compressed size of one part, once the part has passed 1 MB.
    public var maxRatio = 1_000
    /// One sheet row while streaming (bytes from one `</row>` to the next).
    public var maxRowBytes = 16 << 20

    public init() {}
    public static let standard = OfficeLimits()
}

/// Read access to the parts of an OOXML package.
final class PackageReader {
    let archive: Archive
    let format: String
    let limits: OfficeLimits
    private var entries: [String: Entry] = [:]  // key: lowercased path without leading "/"
    private(set) var paths: [String] = []
    /// Bytes inflated so far from this package (all parts).
    private var inflated = 0

    init(_ data: Data, format: String, limits: OfficeLimits = .standard) throws {
        self.limits = limits
        if data.count >= 8, data.prefix(8).elementsEqual([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw OfficeDocumentError.legacyOrEncryptedFile(format: format)
        }
        guard data.count >= 22, data.prefix(2).elementsEqual([0x50, 0x4B]),
            let archive = try? Archive(data: data, accessMode: .read)
        else {
            throw OfficeDocumentError.notAZipFile(format: format)
        }
        self.archive = archive
        self.format = format
        var count = 0
        for entry in archive where entry.type == .file {
            count += 1
            guard count <= limits.maxEntries else {
                throw OfficeDocumentError.tooLarge("压缩包中的部件超过 \(limits.maxEntries) 个")
            }
            let path = Self.normalize(entry.path)
            entries[path.lowercased()] = entry
            paths.append(path)
        }
        if paths.isEmpty { throw OfficeDocumentError.notAZipFile(format: format) }
    }

    static func normalize(_ path: String) -> String {
        var p = path.replacingOccurrences(of: "\\", with: "/")
        while p.hasPrefix("/") { p.removeFirst() }
        return p
    }

    func has(_ path: String) -> Bool { entries[Self.normalize(path).lowercased()] != nil }

    func part(_ path: String) throws -> Data {
        var out = Data()
        try stream(path, chunkSize: 256 * 1024, maxBytes: limits.maxPartBytes) { out.append($0) }
        return out
    }

    /// Streams a part in chunks, counting what is inflated against the limits.
    func stream(_ path: String, chunkSize: Int = 1 << 20, maxBytes: Int? = nil, _ body: (Data) throws -> Void) throws {
        guard let entry = entries[Self.normalize(path).lowercased()] else {
            throw OfficeDocumentError.missingPart(path)
        }
        let compressed = max(1, Int(clamping: entry.compressedSize))
        var partBytes = 0
        var bodyError: Error?
        do {
            _ = try archive.extract(entry, bufferSize: chunkSize, skipCRC32: true) { chunk in
                do {
                    partBytes += chunk.count
                    inflated += chunk.count
                    if let maxBytes, partBytes > maxBytes {
                        throw OfficeDocumentError.tooLarge("部件 \(path) 解压后超过 \(maxBytes >> 20) MB")
                    }
                    if inflated > limits.maxTotalBytes {
                        throw OfficeDocumentError.tooLarge("解压后的内容超过 \(limits.maxTotalBytes >> 20) MB")
                    }
                    if partBytes > 1 << 20, partBytes / compressed > limits.maxRatio {
                        throw OfficeDocumentError.tooLarge("部件 \(path) 的压缩比异常（超过 \(limits.maxRatio) 倍），疑似压缩炸弹")
                    }
                    try body(chunk)
                } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw OfficeDocumentError.malformedPart(part: path, detail: "解压失败（\(error)）")
        }
    }
}
