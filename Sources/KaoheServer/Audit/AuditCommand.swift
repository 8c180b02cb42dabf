import SQLKit
import Vapor

/// `kaohe audit verify [--expect SEQ:HASH]`: walks the hash chain of the audit log, checks its seals (HMAC under the
/// key outside the database) and prints the head, which an organisation department records outside the system.
/// With `--expect`, the chain must still hold that entry with that hash (catches a chain rolled back or rebuilt).
/// Exit 0 when intact; exit 1 naming the first problem; exit 2 for wrong usage.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
        @Option(name: "expect", help: "SEQ:HASH — an earlier printed head that the chain must still contain")
        var expect: String?
    }
    var help: String { "操作日志：verify 校验哈希链和密钥签名，并打印链头（--expect 序号:哈希 核对以前记录的链头）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            context.console.error("用法：kaohe audit verify [--expect 序号:哈希]")
            throw ExitCode(2)
        }
        var anchor: (seq: Int64, hash: String)?
        if let raw = signature.expect {
            let parts = raw.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1, parts[1].count == 64,
                  parts[1].allSatisfy(\.isHexDigit) else {
                context.console.error("--expect 应形如 序号:64 位十六进制哈希（现为「\(raw)」）")
                throw ExitCode(2)
            }
            anchor = (seq, parts[1])
        }
        let app = context.application
        let sql = app.db as! any SQLDatabase
        switch try await AuditChain.verify(on: sql, seal: app.auditSeal) {
        case .intact(let count):
            context.console.print("操作日志完整：共 \(count) 条，哈希链和密钥签名校验通过。")
        case .broken(let seq, let problem):
            context.console.error("操作日志被篡改：第一处问题在第 \(seq) 条 — \(problem)")
            throw ExitCode(1)
        }
        if let head = try await AuditChain.head(on: sql) {
            context.console.print("链头（请记录在系统之外，以后用 --expect 核对）：\(head.anchor)")
        }
        if let anchor {
            guard try await AuditChain.contains(seq: anchor.seq, hash: anchor.hash, on: sql) else {
                context.console.error("操作日志与以前记录的链头不符：第 \(anchor.seq) 条不存在或哈希不同 — 日志被改写或回退")
                throw ExitCode(1)
            }
            context.console.print("以前记录的链头（第 \(anchor.seq) 条）仍在链中。")
        }
    }
}
