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

/// Read access to the parts of an OOXML package.
final class PackageReader {
    let archive: Archive
    let format: String
    private var entries: [String: Entry] = [:]  // key: lowercased path without leading "/"
    private(set) var paths: [String] = []

    init(_ data: Data, format: String) throws {
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
        for entry in archive where entry.type == .file {
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
        guard let entry = entries[Self.normalize(path).lowercased()] else {
            throw OfficeDocumentError.missingPart(path)
        }
        var out = Data()
        out.reserveCapacity(Int(min(entry.uncompressedSize, 512 * 1024 * 1024)))
        do {
            _ = try archive.extract(entry, bufferSize: 256 * 1024, skipCRC32: true) { out.append($0) }
        } catch {
            throw OfficeDocumentError.malformedPart(part: path, detail: "解压失败（\(error)）")
        }
        return out
    }

    /// Streams a part in chunks.
    func stream(_ path: String, chunkSize: Int = 1 << 20, _ body: (Data) throws -> Void) throws {
        guard let entry = entries[Self.normalize(path).lowercased()] else {
            throw OfficeDocumentError.missingPart(path)
        }
        var bodyError: Error?
        do {
            _ = try archive.extract(entry, bufferSize: chunkSize, skipCRC32: true) { chunk in
                do { try body(chunk) } catch {
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
