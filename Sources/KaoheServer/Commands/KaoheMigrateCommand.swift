import Vapor

/// `kaohe migrate`: runs pending migrations once (`prepareDatabase` already ran them, under the same lock,
/// before the command: this reports the outcome and is a no-op when nothing is pending).
struct KaoheMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "执行数据库迁移（多实例共用 PostgreSQL 时可在启动前单独运行一次）" }
    func run(using context: CommandContext, signature: Signature) async throws {
        try await MigrationRunner.migrate(context.application)
        context.console.print("数据库迁移完成。")
    }
}
