import Foundation
import GradingCLI
import OfficeDocuments
import Testing

/// `kaohe grade` / `kaohe policy` as a program: arguments, exit codes, standard streams and files
/// (contract: docs/grading-contract.md).
@Suite("kaohe grade / kaohe policy")
struct GradingCLITests {
    struct Run {
        var code: Int32
        var stdout: Data
        var stderr: [String]
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    func run(_ args: [String], stdin: Data = Data()) -> Run {
        var out = Data()
        var err: [String] = []
        let code = GradingCLI.run(args, readStandardInput: { stdin }, standardOutput: { out.append($0) }, standardError: { err.append($0) })
        return Run(code: code, stdout: out, stderr: err)
    }

    func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-cli-\(UUID().uuidString)-\(name)")
    }

    /// Four townships, one 优秀 place (30% of 4, rounded down), a principal of a 一般-bound team.
    let dataset = """
    {"year": 2022, "cutoff": "2022-12-31",
     "teams": [
      {"id": "T1", "name": "甲镇", "category": "乡镇街道", "score": 95, "votes": {"好": 50, "较好": 5, "一般": 1, "差": 0}},
      {"id": "T2", "name": "乙镇", "category": "乡镇街道", "score": 90, "votes": {"好": 40, "较好": 10, "一般": 2, "差": 0}},
      {"id": "T3", "name": "丙镇", "category": "乡镇街道", "score": 85, "votes": {"好": 30, "较好": 10, "一般": 5, "差": 0}},
      {"id": "T4", "name": "丁镇", "category": "乡镇街道", "score": 80, "votes": {"好": 35, "较好": 10, "一般": 5, "差": 0}}
     ],
     "cadres": [
      {"id": "C1", "name": "张一", "team": "T1", "principal": true, "score": 96, "votes": {"优秀": 50, "称职": 5, "基本称职": 0, "不称职": 0}, "regular": ["优秀"]},
      {"id": "C2", "name": "张二", "team": "T1", "score": 90, "votes": {"优秀": 20, "称职": 30, "基本称职": 5, "不称职": 0}, "proposal": "优秀"},
      {"id": "C3", "name": "张三", "team": "T2", "score": 88, "votes": {"优秀": 30, "称职": 20, "基本称职": 2, "不称职": 0}, "facts": {"leaveDays": 200}}
     ]}
    """

    @Test("grade: JSON with the contract's sections, exit 0")
    func gradeJSON() throws {
        let r = run(["grade", "--policy", "lushan-2022", "--input", "-"], stdin: Data(dataset.utf8))
        #expect(r.code == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        for key in ["policy", "teams", "cadres", "quotas", "triggers", "ties", "violations"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["policy"] as? String == "lushan-2022")
        let teams = try #require(json["teams"] as? [[String: Any]])
        #expect(teams.first { $0["id"] as? String == "T1" }?["grade"] as? String == "优秀")
        #expect(teams.filter { $0["grade"] as? String == "优秀" }.count == 1)  // R-Q1: floor(4 × 30%) = 1
        let cadres = try #require(json["cadres"] as? [[String: Any]])
        let c3 = try #require(cadres.first { $0["id"] as? String == "C3" })
        #expect(c3["status"] as? String == "ungraded")  // R-E5
        #expect(c3["grade"] is NSNull)
        let violations = try #require(json["violations"] as? [[String: Any]])
        #expect(violations.contains { $0["subject"] as? String == "C2" })  // the human 优秀 breaks the team's cap
    }

    @Test("grade: the same input gives byte-identical output")
    func deterministic() {
        let a = run(["grade", "--policy", "county-2019", "--input", "-"], stdin: Data(dataset.utf8))
        let b = run(["grade", "--policy", "county-2019", "--input", "-"], stdin: Data(dataset.utf8))
        #expect(a.code == 0)
        #expect(a.stdout == b.stdout)
    }

    @Test("grade: bad input exits 1, lists every problem as path: message, writes nothing")
    func badInput() throws {
        let bad = """
        {"year": 2022, "teams": [{"id": "T1", "category": "乡镇街道", "votes": {"好": -1}}],
         "cadres": [{"id": "C1", "team": "TX", "votes": {"优秀": 1.5}}, {"id": "C1", "team": "T1", "proposal": "很好"}]}
        """
        let input = temp("bad.json")
        try Data(bad.utf8).write(to: input)
        let output = temp("out.json")
        let r = run(["grade", "--policy", "lushan-2022", "--input", input.path, "--output", output.path])
        #expect(r.code == 1)
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        let text = r.stderr.joined(separator: "\n")
        #expect(text.contains("teams[0].votes.好:"))
        #expect(text.contains("cadres[0].team:"))
        #expect(text.contains("cadres[0].votes.优秀:"))
        #expect(text.contains("cadres[1].proposal:"))
        #expect(text.contains("cadres[1].id:"))  // duplicate id
    }

    @Test("grade: a broken policy file exits 1 naming the field")
    func badPolicy() throws {
        let shown = run(["policy", "show", "lushan-2022"])
        #expect(shown.code == 0)
        var policy = try #require(try JSONSerialization.jsonObject(with: shown.stdout) as? [String: Any])
        var quotas = try #require(policy["quotas"] as? [[String: Any]])
        quotas[0]["percent"] = 130
        policy["quotas"] = quotas
        let file = temp("policy.json")
        try JSONSerialization.data(withJSONObject: policy).write(to: file)
        let r = run(["grade", "--policy", file.path, "--input", "-"], stdin: Data(dataset.utf8))
        #expect(r.code == 1)
        #expect(r.stderr.joined().contains("quotas[0].percent"))
    }

    @Test("usage errors exit 2")
    func usage() {
        #expect(run([]).code == 2)
        #expect(run(["grade"]).code == 2)
        #expect(run(["grade", "--policy", "lushan-2022"]).code == 2)
        #expect(run(["grade", "--policy", "lushan-2022", "--input", "-", "--format", "pdf"]).code == 2)
        #expect(run(["policy", "frobnicate"]).code == 2)
        #expect(run(["grade", "--policy", "no-such-preset", "--input", "-"], stdin: Data(dataset.utf8)).code != 0)
    }

    @Test("policy list names every preset with its seed; show → file → grade gives the same result")
    func policyRoundTrip() throws {
        let list = run(["policy", "list"])
        #expect(list.code == 0)
        for name in ["lushan-2022", "county-2019", "puyang-2020", "regular-2019", "clean-governance", "target-responsibility"] {
            #expect(list.out.contains(name), "missing preset \(name)")
        }
        let shown = run(["policy", "show", "county-2019"])
        let file = temp("county.json")
        try shown.stdout.write(to: file)
        let viaFile = run(["grade", "--policy", file.path, "--input", "-"], stdin: Data(dataset.utf8))
        let viaName = run(["grade", "--policy", "county-2019", "--input", "-"], stdin: Data(dataset.utf8))
        #expect(viaFile.code == 0)
        #expect(viaFile.stdout == viaName.stdout)
    }

    @Test("--format table prints aligned Chinese text; --format xlsx writes the four sheets")
    func otherFormats() throws {
        let table = run(["grade", "--policy", "lushan-2022", "--input", "-", "--format", "table"], stdin: Data(dataset.utf8))
        #expect(table.code == 0)
        #expect(table.out.contains("甲镇"))
        #expect(table.out.contains("R-Q1"))
        let file = temp("result.xlsx")
        let xlsx = run(["grade", "--policy", "lushan-2022", "--input", "-", "--format", "xlsx", "--output", file.path],
                       stdin: Data(dataset.utf8))
        #expect(xlsx.code == 0, "\(xlsx.stderr)")
        let data = try Data(contentsOf: file)
        #expect(try XLSXReader.sheetNames(data) == ["班子", "干部", "指标使用", "预警"])
        let cadres = try #require(try XLSXReader.read(data, sheet: "干部"))
        #expect(cadres.rows.contains { $0.contains(.text("张一")) })
    }
}
