import CZlib
import Foundation

/// Writes a ZIP archive front to back while its parts are being made, for downloads that start before the whole file
/// exists: each entry is deflated as it is written, its CRC-32 and sizes follow it in a data descriptor (general flag
/// bit 3), and the central directory comes last. Memory holds one chunk and the directory, never the archive.
/// No ZIP64: an entry or the archive over 4 GB is refused (a roster of a province is some tens of megabytes).
public final class ZIPStreamWriter {
    public typealias Output = (Data) async throws -> Void

    private struct Entry { var name: [UInt8]; var offset: UInt32; var crc: UInt32 = 0; var compressed: UInt32 = 0; var size: UInt32 = 0 }
    private let output: Output
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    private var stream = z_stream()
    private var open = false
    private var crc: uLong = 0
    private var compressed: UInt64 = 0
    private var size: UInt64 = 0
    private static let dosTime: UInt16 = 0, dosDate: UInt16 = (2024 - 1980) << 9 | 1 << 5 | 1  // 2024-01-01, stable output

    public init(output: @escaping Output) { self.output = output }

    deinit { if open { deflateEnd(&stream) } }

    /// Starts an entry (the previous one must be ended).
    public func beginEntry(_ path: String) async throws {
        precondition(!open, "ZIPStreamWriter: entry not ended")
        let name = Array(path.utf8)
        guard offset < UInt64(UInt32.max) else { throw OfficeDocumentError.writeFailed("ZIP 文件超过 4 GB") }
        var h = LittleEndianBytes()
        h.u32(0x0403_4B50); h.u16(20); h.u16(0x0808); h.u16(8); h.u16(Self.dosTime); h.u16(Self.dosDate)
        h.u32(0); h.u32(0); h.u32(0); h.u16(UInt16(name.count)); h.u16(0); h.bytes(name)
        entries.append(Entry(name: name, offset: UInt32(offset)))
        try await emit(h.data)
        stream = z_stream()
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw OfficeDocumentError.writeFailed("deflateInit2 失败（\(status)）") }
        open = true; crc = crc32(0, nil, 0); compressed = 0; size = 0
    }

    /// Appends bytes to the current entry.
    public func write(_ data: Data) async throws {
        precondition(open, "ZIPStreamWriter: no entry begun")
        guard !data.isEmpty else { return }
        size += UInt64(data.count)
        data.withUnsafeBytes { crc = crc32(crc, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        try await deflate(data, flush: Z_NO_FLUSH)
    }

    /// Ends the current entry: the rest of its deflated bytes and its data descriptor.
    public func endEntry() async throws {
        precondition(open, "ZIPStreamWriter: no entry begun")
        try await deflate(Data(), flush: Z_FINISH)
        deflateEnd(&stream)
        open = false
        guard size < UInt64(UInt32.max), compressed < UInt64(UInt32.max) else { throw OfficeDocumentError.writeFailed("ZIP 条目超过 4 GB") }
        entries[entries.count - 1].crc = UInt32(crc)
        entries[entries.count - 1].compressed = UInt32(compressed)
        entries[entries.count - 1].size = UInt32(size)
        var d = LittleEndianBytes()
        d.u32(0x0807_4B50); d.u32(UInt32(crc)); d.u32(UInt32(compressed)); d.u32(UInt32(size))
        try await emit(d.data)
    }

    /// A whole entry at once.
    public func entry(_ path: String, _ data: Data) async throws {
        try await beginEntry(path)
        try await write(data)
        try await endEntry()
    }

    /// Writes the central directory; the archive is complete.
    public func finish() async throws {
        precondition(!open, "ZIPStreamWriter: entry not ended")
        let start = offset
        var c = LittleEndianBytes()
        for e in entries {
            c.u32(0x0201_4B50); c.u16(20); c.u16(20); c.u16(0x0808); c.u16(8); c.u16(Self.dosTime); c.u16(Self.dosDate)
            c.u32(e.crc); c.u32(e.compressed); c.u32(e.size); c.u16(UInt16(e.name.count)); c.u16(0); c.u16(0); c.u16(0); c.u16(0)
            c.u32(0); c.u32(e.offset); c.bytes(e.name)
        }
        let directorySize = UInt64(c.data.count)
        guard start + directorySize < UInt64(UInt32.max), entries.count < 65_535 else { throw OfficeDocumentError.writeFailed("ZIP 文件超过 4 GB") }
        c.u32(0x0605_4B50); c.u16(0); c.u16(0); c.u16(UInt16(entries.count)); c.u16(UInt16(entries.count))
        c.u32(UInt32(directorySize)); c.u32(UInt32(start)); c.u16(0)
        try await emit(c.data)
    }

    private func deflate(_ input: Data, flush: Int32) async throws {
        var input = input
        var pending: [Data] = []
        try input.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            stream.next_in = raw.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(raw.count)
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            repeat {
                let produced: Int = try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = CZlib.deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw OfficeDocumentError.writeFailed("deflate 失败（\(status)）")
                    }
                    return out.count - Int(stream.avail_out)
                }
                if produced > 0 { pending.append(Data(buffer[0..<produced])) }
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
            stream.next_in = nil
        }
        for chunk in pending {
            compressed += UInt64(chunk.count)
            try await emit(chunk)
        }
    }

    private func emit(_ data: Data) async throws {
        offset += UInt64(data.count)
        try await output(data)
    }
}

/// Little-endian fields of ZIP headers.
private struct LittleEndianBytes {
    var data = Data()
    mutating func u16(_ v: UInt16) { data.append(UInt8(v & 0xFF)); data.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { u16(UInt16(v & 0xFFFF)); u16(UInt16(v >> 16)) }
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
}
