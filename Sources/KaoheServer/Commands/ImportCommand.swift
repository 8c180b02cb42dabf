import Vapor

/// `kaohe import roster FILE`: imports a roster (.xlsx/.csv) as the system actor, all or nothing.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "roster")
        var kind: String
        @Argument(name: "file", help: ".xlsx 或 .csv 文件")
        var file: String
    }
    var help: String { "导入花名册：kaohe import roster 文件.xlsx" }
    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.error("花名册导入尚未接入")
        throw ExitCode(2)
    }
}
