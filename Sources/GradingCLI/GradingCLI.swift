import Foundation
import AssessmentCore
import OfficeDocuments

/// `kaohe grade …` and `kaohe policy list|show NAME` (contract: docs/grading-contract.md).
/// Exit codes: 0 success (warnings allowed), 1 invalid input or policy (every problem on stderr as
/// `path: message`, nothing written), 2 usage error.
public enum GradingCLI {
    public static let usage = """
    用法：
      kaohe grade --policy <内置方案名 | 方案文件.json> --input <数据.json | -> [--format json|table|xlsx] [--output 文件]
      kaohe policy list
      kaohe policy show <内置方案名>
    """

    /// Runs a subcommand; `arguments[0]` is "grade" or "policy". `standardError` gets one line per call.
    /// `exitWhenDone`: a successful `grade` ends the process as soon as its output is written, without first freeing
    /// a province's dataset and results (about 50 ms of the benchmark); the binary's entry point sets it.
    public static func run(
        _ arguments: [String],
        exitWhenDone: Bool = false,
        readStandardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() },
        standardOutput: (Data) -> Void = { FileHandle.standardOutput.write($0) },
        standardError: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) -> Int32 {
        guard let command = arguments.first else {
            standardError(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "grade":
            return grade(rest, exitWhenDone: exitWhenDone, readStandardInput: readStandardInput, standardOutput: standardOutput,
                         standardError: standardError)
        case "policy":
            return policy(rest, standardOutput: standardOutput, standardError: standardError)
        case "-h", "--help", "help":
            standardOutput(Data((usage + "\n").utf8))
            return 0
        default:
            standardError("未知的子命令“\(command)”")
            standardError(usage)
            return 2
        }
    }

    // MARK: policy

    static func policy(_ args: [String], standardOutput: (Data) -> Void, standardError: (String) -> Void) -> Int32 {
        switch args.first {
        case "list" where args.count == 1:
            var text = ""
            for p in AssessmentCore.Presets.all { text += "\(p.name)\t\(p.title)\t\(p.source)\n" }
            standardOutput(Data(text.utf8))
            return 0
        case "show" where args.count == 2:
            guard let p = AssessmentCore.Presets.named(args[1]) else {
                standardError("\(args[1]): 没有这个内置方案（可选：\(AssessmentCore.Presets.all.map(\.name).joined(separator: "、"))）")
                return 1
            }
            standardOutput(p.encodedJSON())
            return 0
        default:
            standardError(usage)
            return 2
        }
    }

    // MARK: grade

    enum Format: String { case json, table, xlsx }

    static func grade(_ args: [String], exitWhenDone: Bool, readStandardInput: () -> Data, standardOutput: (Data) -> Void,
                      standardError: (String) -> Void) -> Int32 {
        var options: [String: String] = [:]
        var i = 0
        while i < args.count {
            let arg = args[i]
            var name = arg
            var value: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq])
                value = String(arg[arg.index(after: eq)...])
            }
            guard ["--policy", "--input", "--format", "--output"].contains(name) else {
                if arg == "-h" || arg == "--help" { standardOutput(Data((usage + "\n").utf8)); return 0 }
                standardError("未知的参数“\(arg)”")
                standardError(usage)
                return 2
            }
            if value == nil {
                guard i + 1 < args.count else {
                    standardError("参数 \(name) 缺少取值")
                    standardError(usage)
                    return 2
                }
                value = args[i + 1]
                i += 1
            }
            if options[name] != nil {
                standardError("参数 \(name) 重复")
                return 2
            }
            options[name] = value
            i += 1
        }
        guard let policyArg = options["--policy"], let inputArg = options["--input"] else {
            standardError("必须给出 --policy 和 --input")
            standardError(usage)
            return 2
        }
        guard let format = Format(rawValue: options["--format"] ?? "json") else {
            standardError("--format 只能是 json、table 或 xlsx")
            return 2
        }

        // Policy: a preset name, else a file.
        let policy: AssessmentCore.Policy
        if let preset = AssessmentCore.Presets.named(policyArg) {
            policy = preset
        } else {
            guard let data = FileManager.default.contents(atPath: policyArg) else {
                standardError("--policy: 找不到内置方案或文件“\(policyArg)”（内置方案：\(AssessmentCore.Presets.all.map(\.name).joined(separator: "、"))）")
                return 1
            }
            do {
                policy = try AssessmentCore.Policy.decode(data)
            } catch let failure as AssessmentCore.ValidationFailure {
                for p in failure.problems { standardError("policy.\(p.path): \(p.message)") }
                return 1
            } catch {
                standardError("--policy: \(error)")
                return 1
            }
        }

        // KAOHE_GRADE_TIMING=1: the phases' wall times on standard error (for Benchmarks/grade).
        let timing = ProcessInfo.processInfo.environment["KAOHE_GRADE_TIMING"] != nil
        var mark = ContinuousClock.now
        func lap(_ phase: String) {
            guard timing else { return }
            let now = ContinuousClock.now
            let d = (now - mark).components
            standardError("\(phase): \(Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15) ms")
            mark = now
        }

        // Dataset.
        let input: Data
        if inputArg == "-" {
            input = readStandardInput()
        } else {
            // Mapped, not copied: a province's file is read once, straight from the page cache.
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: inputArg), options: .alwaysMapped) else {
                standardError("--input: 无法读取文件“\(inputArg)”")
                return 1
            }
            input = data
        }
        let dataset: AssessmentCore.Dataset
        do {
            dataset = try AssessmentCore.Dataset.read(input, policy: policy, parallelFromBytes: 4 << 20)
        } catch let failure as AssessmentCore.ValidationFailure {
            for p in failure.problems { standardError("\(p.path): \(p.message)") }
            return 1
        } catch {
            standardError("--input: \(error)")
            return 1
        }

        lap("read")
        let result = AssessmentCore.GradingEngine.grade(policy: policy, dataset: dataset)
        lap("grade")
        // The output, as pieces written in order.
        let produce: (([UInt8]) -> Void) -> String?
        switch format {
        case .json:
            produce = { sink in result.writeJSON(dataset: dataset, policy: policy, sink: sink); return nil }
        case .table:
            produce = { sink in sink(Array(result.table(dataset: dataset).utf8)); return nil }
        case .xlsx:
            var workbook = OfficeDocuments.XLSXWorkbook()
            workbook.title = "考核等次建议（\(policy.name)）"
            for sheet in result.sheets(dataset: dataset) {
                let body: [[OfficeDocuments.CellValue]] = sheet.rows.map { row in
                    row.enumerated().map { column, text in
                        if sheet.numericColumns.contains(column), let number = Double(text) { return .number(number) }
                        return .text(text)
                    }
                }
                let rows = [sheet.header.map { OfficeDocuments.CellValue.text($0) }] + body
                workbook.addSheet(name: sheet.name, rows: rows)
            }
            let bytes: [UInt8]
            do {
                bytes = Array(try workbook.data())
            } catch {
                standardError("xlsx: \(error)")
                return 1
            }
            produce = { sink in sink(bytes); return nil }
        }
        if let path = options["--output"], path != "-" {
            if let problem = write(to: path, produce) {
                standardError("--output: 无法写入“\(path)”：\(problem)")
                return 1
            }
        } else {
            _ = produce { standardOutput(Data($0)) }
        }
        lap("write")
        // Exiting with the province still held: freeing it first costs tens of milliseconds (the optimiser would
        // otherwise free the result with the closure that wrote it).
        if exitWhenDone { withExtendedLifetime((result, dataset, produce)) { exit(0) } }
        return 0
    }

    /// Writes the produced pieces to a temporary file next to `path`, then renames it into place, so that a
    /// failed run never leaves a partial file. Returns a message on failure.
    static func write(to path: String, _ produce: (([UInt8]) -> Void) -> String?) -> String? {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else { return "无法创建文件" }
        var failure: String?
        let produced = produce { bytes in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: bytes) } catch { failure = error.localizedDescription }
        }
        failure = failure ?? produced
        do { try handle.close() } catch { failure = failure ?? error.localizedDescription }
        // rename(2) replaces the target atomically.
        if failure == nil && rename(temporary.path, target.path) != 0 { failure = "无法替换目标文件" }
        if failure != nil { try? FileManager.default.removeItem(at: temporary) }
        return failure
    }
}
