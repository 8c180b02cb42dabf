import Foundation
import Vapor

/// `kaohe import roster FILE [--dry-run] [--preview OUT.xlsx]`: imports a roster (.xlsx/.csv) as the system actor,
/// all or nothing — the same validation, plan and commit as the import page. `--dry-run` prints what the import
/// would do (every change, every warning) and writes nothing; `--preview` also writes that preview as .xlsx.
/// Exit 0 with the counts; exit 1 listing every problem (nothing written); exit 2 for wrong usage.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "roster")
        var kind: String
        @Argument(name: "file", help: ".xlsx 或 .csv 文件")
        var file: String
        @Flag(name: "dry-run", help: "只预览将做的修改，不写入")
        var dryRun: Bool
        @Option(name: "preview", help: "把预览写成 .xlsx 文件")
        var preview: String?
    }
    var help: String { "导入花名册：kaohe import roster 文件.xlsx（或 .csv）[--dry-run] [--preview 预览.xlsx]" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.kind == "roster" else {
            context.console.error("用法：kaohe import roster 文件.xlsx [--dry-run] [--preview 预览.xlsx]")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("无法读取文件：\(signature.file)")
            throw ExitCode(1)
        }
        let app = context.application
        let started = ContinuousClock.now
        do {
            let parsed = try RosterFile.read(data, filename: signature.file)
            let plan: RosterPlan
            if signature.dryRun {
                plan = try await RosterCommit.preview(parsed, scope: .all, on: app.db, clock: app.clock)
            } else {
                plan = try await RosterCommit.commit(parsed, scope: .all, actor: .system, on: app.db, clock: app.clock,
                                                     seal: app.auditSeal).plan
            }
            let elapsed = ContinuousClock.now - started
            let seconds = String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            if signature.dryRun {
                for item in plan.items {
                    context.console.print("\(item.action)\(item.kind.rawValue)\t\(item.code)\t\(item.name)\t\(item.unit)\t第 \(item.rows.map(String.init).joined(separator: "、")) 行")
                    for change in item.changes { context.console.print("\t\(change)") }
                }
            }
            for w in plan.warnings { context.console.print("提醒：\(w.description)") }
            if let out = signature.preview {
                let workbook = try RosterController.previewWorkbook(filename: signature.file, summary: plan.summary, items: plan.items,
                                                                     warnings: plan.warnings)
                try workbook.write(to: URL(fileURLWithPath: out), options: .atomic)
                context.console.print("预览已写入：\(out)")
            }
            context.console.print(signature.dryRun ? "预览（未写入，\(seconds) 秒）：\(plan.summary.text)。" : "导入成功（\(seconds) 秒）：\(plan.summary.text)。")
            context.console.print("新增 \(plan.summary.created)\t更新 \(plan.summary.updated)\t未变 \(plan.summary.unchanged)")
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
