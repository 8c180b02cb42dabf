import Foundation
import Vapor

/// `kaohe import roster FILE`: imports a roster (.xlsx/.csv) as the system actor, all or nothing —
/// the same validation and commit as the import page. Exit 0 with the counts; exit 1 listing every problem
/// (nothing written); exit 2 for wrong usage.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "roster")
        var kind: String
        @Argument(name: "file", help: ".xlsx 或 .csv 文件")
        var file: String
    }
    var help: String { "导入花名册：kaohe import roster 文件.xlsx（或 .csv）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.kind == "roster" else {
            context.console.error("用法：kaohe import roster 文件.xlsx")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("无法读取文件：\(signature.file)")
            throw ExitCode(1)
        }
        let started = ContinuousClock.now
        do {
            let summary = try await RosterCommit.importRoster(
                data, filename: signature.file, scope: .all, actor: .system, on: context.application.db,
                clock: context.application.clock, seal: context.application.auditSeal)
            let elapsed = ContinuousClock.now - started
            let seconds = String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            context.console.print("导入成功（\(seconds) 秒）：\(summary.text)。")
            context.console.print("新增 \(summary.created)\t更新 \(summary.updated)\t未变 \(summary.unchanged)")
        } catch let rejected as RosterRejected {
            context.console.error("导入失败，数据库未做任何修改。共 \(rejected.problems.count) 处问题：")
            for p in rejected.problems { context.console.error(p.description) }
            if rejected.problems.count >= RosterValidator.maxProblems {
                context.console.error("（问题过多，只列出前 \(RosterValidator.maxProblems) 处）")
            }
            throw ExitCode(1)
        } catch let unreadable as RosterFile.Unreadable {
            context.console.error("导入失败，数据库未做任何修改：\(unreadable.description)")
            throw ExitCode(1)
        }
    }
}
