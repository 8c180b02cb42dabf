import SQLKit
import Vapor

/// `kaohe audit verify`: walks the hash chain of the audit log.
/// Exit 0 with the count when intact; exit 1 naming the first broken entry otherwise.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }
    var help: String { "操作日志：verify 校验哈希链" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            context.console.error("用法：kaohe audit verify")
            throw ExitCode(2)
        }
        let result = try await AuditChain.verify(on: context.application.db as! any SQLDatabase)
        switch result {
        case .intact(let count):
            context.console.print("操作日志完整：共 \(count) 条，哈希链校验通过。")
        case .broken(let seq, let problem):
            context.console.error("操作日志被篡改：第一处问题在第 \(seq) 条 — \(problem)")
            throw ExitCode(1)
        }
    }
}
