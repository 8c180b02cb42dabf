import Crypto
import Foundation
import Vapor

/// The key that seals the audit chain: HMAC-SHA256 over each entry's hash and over the head. It lives in a file
/// outside the database (`KAOHE_DATA_DIR/audit.key`, or `KAOHE_AUDIT_KEY_FILE`), created at first start, readable
/// by the server's user only. Instances that share one PostgreSQL must share this file too.
struct AuditSeal: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) { self.key = key }

    func entry(_ hash: String) -> String { mac("entry:" + hash) }
    /// The stored form of a one-time ballot code (民主测评码): its keyed hash, so that lookup is one indexed query and a
    /// copy of the database reveals no usable code. The same server secret as the audit seal, another purpose.
    func ballotCode(_ normalized: String) -> String { mac("ballot-code:" + normalized) }
    func head(seq: Int64, hash: String) -> String { mac("head:\(seq):\(hash)") }
    /// Two key files hold the same key (however they are spaced).
    func isSameKey(as other: AuditSeal) -> Bool { mac("same-key") == other.mac("same-key") }

    private func mac(_ text: String) -> String {
        AuditChain.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    struct KeyProblem: Error, CustomStringConvertible { var description: String }

    /// Reads the key file, creating it (32 random bytes, hex, mode 0600) when it does not exist yet — but only for a
    /// chain that carries no seal (`mayCreate`): a sealed chain needs the key that sealed it, never a new one.
    static func loadOrCreate(at path: String, mayCreate: Bool) throws -> AuditSeal {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard mayCreate else {
                throw KeyProblem(description: "操作日志已用密钥签名，但找不到密钥文件 \(path)：请恢复该文件（或用 KAOHE_AUDIT_KEY_FILE 指明其位置），不能另建新密钥")
            }
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Written whole to a private temporary file, then linked into place: of two instances starting together
            // one links its key, the other finds the name taken and reads that key, never a half-written file.
            let temporary = path + ".new-\(UUID().uuidString)"
            let hex = AuditChain.hex([UInt8].random(count: 32)) + "\n"
            guard fm.createFile(atPath: temporary, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw KeyProblem(description: "无法写入操作日志密钥文件 \(path)")
            }
            defer { try? fm.removeItem(atPath: temporary) }
            if link(temporary, path) != 0 && errno != EEXIST {
                throw KeyProblem(description: "无法写入操作日志密钥文件 \(path)（错误 \(errno)）")
            }
        }
        return try load(at: path)
    }

    static func load(at path: String) throws -> AuditSeal {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KeyProblem(description: "读不到操作日志密钥文件 \(path)（KAOHE_AUDIT_KEY_FILE）")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex), let b = UInt8(hex[i..<j], radix: 16) {
            bytes.append(b)
            i = j
        }
        guard i == hex.endIndex, bytes.count >= 32 else {
            throw KeyProblem(description: "操作日志密钥文件 \(path) 内容有误（应为至少 64 位十六进制数）")
        }
        return AuditSeal(key: SymmetricKey(data: bytes))
    }
}

extension Application {
    private struct SealKey: StorageKey { typealias Value = AuditSeal }

    /// Set by `prepareDatabase` from the key file.
    var auditSeal: AuditSeal? {
        get { storage[SealKey.self] }
        set { storage[SealKey.self] = newValue }
    }
}
