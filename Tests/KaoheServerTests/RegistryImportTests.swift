import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Roster validation (pure)")
    struct RosterValidationTests {
        @Test("Headers match by name in any order, with spaces, full-width brackets and required marks")
        func headerMapping() throws {
            // setup: columns reversed; decorated header names
            let columns = Array(RosterColumn.allCases.reversed())
            let header: [CellValue] = columns.map { c in
                switch c {
                case .code: " 干部编号* "
                case .name: "\u{3000}姓名"
                case .principal: "主要负责人（是／否）"
                case .mainDuty: "职责(主职/兼职)"
                default: .text(c.rawValue)
                }
            }
            let values: [RosterColumn: CellValue] = [.code: "A1", .name: "李四", .gender: "女", .unitCode: "U01", .title: "镇长",
                                                     .principal: "是", .mainDuty: "兼职", .startDate: "2022年3月5日"]
            // MUT
            let v = Roster.validate([columns.map { values[$0] ?? .empty }], header: header)
            // validate
            #expect(v.problems.isEmpty, "\(v.problems)")
            let row = try #require(v.cadres.first)
            #expect(row.code == "A1" && row.patch.name == .set("李四") && row.patch.gender == .set("女") && row.unitCode == "U01" && row.post.title == "镇长")
            #expect(row.post.principal && !row.post.mainDuty)
            #expect(row.post.startDate == "2022-03-05")
            #expect(row.row == 2)
        }

        @Test("Dates: date cells, 2022-03-05, 2022/3/5, 2022.3.5, 20220305, 2022年3月5日; impossible dates refused")
        func dates() {
            let good: [CellValue] = [.date(year: 2022, month: 3, day: 5), "2022-03-05", "2022/3/5", "2022.3.5", "20220305",
                                     20220305, "2022年3月5日", "２０２２-03-05", "2022-03-05 00:00:00", 44625]
            for cell in good {
                guard case .value(let s) = SheetCell.date(cell) else { Issue.record("\(cell) not accepted"); continue }
                #expect(s == "2022-03-05", "\(cell)")
            }
            for bad: CellValue in ["2022-02-30", "2022-13-01", "3/5/2022", "明年", "2022-3", 5, 44625.5, .bool(true)] {
                guard case .invalid = SheetCell.date(bad) else { Issue.record("\(bad) accepted"); continue }
            }
        }

        @Test("Every bad row is reported as 第 N 行「列名」：原因 with the spreadsheet row number")
        func everyProblemReported() {
            // setup: rows 2…7 of the sheet, each with one kind of problem; row 8 valid
            let rows = [
                Roster.cadre("A1", extra: [.title: .empty]),                      // row 2: missing required
                Roster.cadre("A2", extra: [.birthDate: "1980-13-01"]),            // row 3: bad date
                Roster.cadre("A2"),                                               // row 4: duplicate 干部编号
                Roster.cadre("A4", extra: [.principal: "也许"]),                   // row 5: bad 是/否
                Roster.cadre("A5", extra: [.gender: "未知"]),                      // row 6: bad gender
                Roster.cadre("A6", extra: [.leaveDays: 20]),                       // row 7: yearly data without 年度
                Roster.cadre("A7"),                                               // row 8: fine
            ]
            // MUT
            let v = Roster.validate(rows)
            // validate
            #expect(v.problems.map(\.description) == [
                "第 2 行「职务」：必填，不能为空",
                "第 3 行「出生日期」：「1980-13-01」不是有效日期",
                "第 4 行「干部编号」：干部编号「A2」与第 3 行重复（同一干部只能有一行主职，其他行的职责应为兼职）",
                "第 5 行「主要负责人」：「也许」应填「是」或「否」",
                "第 6 行「性别」：「未知」应填「男」或「女」",
                "第 7 行「年度」：填写了请假天数或挂职信息时必填",
            ])
            #expect(v.cadres.map(\.code) == ["A7"])
        }

        @Test("Each field every row needs (干部编号, 单位编码, 职务) is reported when empty; 姓名 and 性别 only for a new cadre")
        func requiredFields() {
            for column in [RosterColumn.code, .unitCode, .title] {
                let v = Roster.validate([Roster.cadre("B1", extra: [column: "  "])])
                #expect(v.problems.map(\.description) == ["第 2 行「\(column.rawValue)」：必填，不能为空"])
            }
        }

        @Test("A blank 姓名 or 性别 is allowed for an existing cadre (kept), not for a new one")
        func nameAndGenderForNewCadresOnly() {
            var v = Roster.validate([Roster.cadre("N1", extra: [.name: .empty]), Roster.cadre("N2", extra: [.gender: .empty])])
            #expect(v.problems.isEmpty)
            v.checkReferences(.init(existingUnitCodes: ["U01"], categories: [], allowedUnitCodes: nil, mayImportUnits: true,
                                    currentUnitCodesOfCadre: [:], existingCadreCodes: ["N2"]))
            #expect(v.problems.map(\.description) == ["第 2 行「姓名」：新干部必填，不能为空"])
        }

        @Test("A 职务 over 100 characters is a problem naming the row (a roster cell or a form may carry a megabyte)")
        func longTitle() {
            let v = Roster.validate([Roster.cadre("L1", title: String(repeating: "长", count: 101)), Roster.cadre("L2", title: String(repeating: "长", count: 100))])
            #expect(v.problems.map(\.description) == ["第 2 行「职务」：最长 100 个字符"])
        }

        @Test("A header without a required column is one problem, not one per row")
        func missingColumn() {
            let header = Roster.header.filter { $0.textValue != "职务" }
            let v = Roster.validate([Array(Roster.cadre("C1").dropLast(0))], header: header)
            #expect(v.problems.map(\.description) == ["第 1 行「职务」：缺少必需的列（表头应有「职务」）"])
        }
    }

    @Suite("Roster import")
    struct RosterImportTests {
        struct BadCase: Sendable, CustomStringConvertible {
            var name: String
            var rows: [[CellValue]]
            var units: [[CellValue]]?
            var expected: [String]
            var description: String { name }
        }

        static let badCases: [BadCase] = [
            BadCase(name: "unknown unit", rows: [Roster.cadre("D1"), Roster.cadre("D2", unit: "U99")],
                    expected: ["第 3 行「单位编码」：单位编码「U99」不存在（系统中和「单位」工作表中都没有）"]),
            BadCase(name: "unknown category", rows: [Roster.cadre("D1", unit: "N01")], units: [["N01", "新镇", "外星单位", ""]],
                    expected: ["「单位」工作表第 2 行「单位类别」：未知的单位类别「外星单位」（可选：乡镇街道、企业、县直单位、学校医院）"]),
            BadCase(name: "parent cycle", rows: [Roster.cadre("D1")], units: [["N01", "甲", "乡镇街道", "N02"], ["N02", "乙", "乡镇街道", "N01"]],
                    expected: ["「单位」工作表第 2 行「上级单位编码」：上级单位「N02」会形成循环（上级单位链回到了「N01」）",
                               "「单位」工作表第 3 行「上级单位编码」：上级单位「N01」会形成循环（上级单位链回到了「N02」）"]),
            BadCase(name: "bad date", rows: [Roster.cadre("D1", start: "2022-02-30")],
                    expected: ["第 2 行「任职日期」：「2022-02-30」不是有效日期"]),
            BadCase(name: "duplicate 干部编号", rows: [Roster.cadre("D1"), Roster.cadre("D1", "李四")],
                    expected: ["第 3 行「干部编号」：干部编号「D1」与第 2 行重复（同一干部只能有一行主职，其他行的职责应为兼职）"]),
            BadCase(name: "missing required field", rows: [Roster.cadre("D1", title: "")],
                    expected: ["第 2 行「职务」：必填，不能为空"]),
            BadCase(name: "unknown secondment host", rows: [Roster.cadre("D1", extra: [.year: 2025, .secondmentLevel: "省", .secondmentHost: "X9"])],
                    expected: ["第 2 行「挂职单位编码」：单位编码「X9」不存在（系统中和「单位」工作表中都没有）"]),
        ]

        @Test("Each kind of bad row is rejected with its exact message and the database is unchanged", arguments: badCases)
        func badRowRejected(_ bad: BadCase) async throws {
            try await withTestApp { app in
                // setup: one unit and one cadre already there
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("OLD1", "王五")]))
                let before = try await RegistryCounts.of(app)
                // MUT
                let problems = try await app.rejectedProblems(try Roster.xlsx(bad.rows + [Roster.cadre("OK1", "赵六")], units: bad.units))
                // validate
                #expect(problems == bad.expected)
                #expect(try await RegistryCounts.of(app) == before)
                #expect(try await app.cadreID("OK1") == nil)
                #expect(try await app.cadreID("D1") == nil)
            }
        }

        @Test("A file with many bad rows lists every problem and writes nothing")
        func allProblemsAtOnce() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let before = try await RegistryCounts.of(app)
                let rows = (1...30).map { Roster.cadre("E\($0)", unit: $0 % 3 == 0 ? "NOPE" : "U01") }
                let problems = try await app.rejectedProblems(try Roster.xlsx(rows))
                #expect(problems.count == 10)
                #expect(problems.first == "第 4 行「单位编码」：单位编码「NOPE」不存在（系统中和「单位」工作表中都没有）")
                #expect(try await RegistryCounts.of(app) == before)
            }
        }

        @Test("A row with several problems gets all of them, unit references included, in column order")
        func severalProblemsInOneRow() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let before = try await RegistryCounts.of(app)
                let rows = [Roster.cadre("X1"), Roster.cadre("X1", unit: "U99", title: "", principal: "也许", start: "2022/3/5")]
                let problems = try await app.rejectedProblems(try Roster.xlsx(rows))
                #expect(problems == [
                    "第 3 行「干部编号」：干部编号「X1」与第 2 行重复（同一干部只能有一行主职，其他行的职责应为兼职）",
                    "第 3 行「单位编码」：单位编码「U99」不存在（系统中和「单位」工作表中都没有）",
                    "第 3 行「职务」：必填，不能为空",
                    "第 3 行「主要负责人」：「也许」应填「是」或「否」",
                ])
                #expect(try await RegistryCounts.of(app) == before)
            }
        }

        @Test("A valid file commits in one transaction, with units, teams, posts, yearly facts and audit entries")
        func validFileCommits() async throws {
            try await withTestApp { app in
                // setup: units come from the 单位 sheet (one with a parent from the same sheet)
                let before = try await RegistryCounts.of(app)
                let units: [[CellValue]] = [["Z01", "城关镇", "乡镇街道", ""], ["Z02", "城关镇财政所", "县直单位", "Z01"]]
                let rows = [
                    Roster.cadre("F1", "甲", unit: "Z01", title: "党委书记", principal: "是"),
                    Roster.cadre("F2", "乙", unit: "Z02", extra: [.year: 2025, .leaveDays: 200, .secondmentLevel: "市级",
                                                                  .secondmentHost: "Z01", .secondmentMonths: 7]),
                ]
                // MUT
                let summary = try await app.importRoster(try Roster.xlsx(rows, units: units))
                // validate
                #expect(summary.created == 2 && summary.updated == 0 && summary.unitsCreated == 2)
                let after = try await RegistryCounts.of(app)
                #expect(after.cadres == before.cadres + 2 && after.posts == before.posts + 2 && after.units == before.units + 2)
                #expect(after.teams == before.teams + 2 && after.facts == before.facts + 1)
                #expect(after.audit == before.audit + 2 + 2 + 2 + 2 + 1)  // units, their teams, cadres, posts, fact
                let z02 = try #require(try await Unit.query(on: app.db).filter(\.$code == "Z02").first())
                let z01 = try #require(try await Unit.query(on: app.db).filter(\.$code == "Z01").first())
                #expect(z02.$parent.id == z01.id)
                let fact = try #require(try await CadreYearFact.query(on: app.db).first())
                #expect(fact.leaveDays == 200 && fact.secondmentLevel == "市" && fact.secondmentMonths == 7 && fact.$secondmentHost.id == z01.id)
                let f1 = try #require(try await Cadre.query(on: app.db).filter(\.$code == "F1").with(\.$posts).first())
                #expect(f1.posts.count == 1 && f1.posts[0].principal && f1.posts[0].startDate == "2022-03-05" && f1.posts[0].endDate == nil)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: after.audit))
            }
        }

        @Test("Re-import updates by 干部编号: no duplicates, unchanged rows write nothing, post history kept")
        func reimport() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                try await app.makeUnit("U02", "河口乡")
                let first = [Roster.cadre("G1", "甲", title: "副镇长"), Roster.cadre("G2", "乙"), Roster.cadre("G3", "丙")]
                _ = try await app.importRoster(try Roster.xlsx(first))
                let before = try await RegistryCounts.of(app)

                // MUT 1: the same file again
                let same = try await app.importRoster(try Roster.xlsx(first))
                #expect(same == RosterImportSummary(unchanged: 3))
                #expect(try await RegistryCounts.of(app) == before)

                // MUT 2: G1 moves to U02 as 乡长 from 2024-01-10; G2 changes name; G3 unchanged; G4 new
                let second = [
                    Roster.cadre("G1", "甲", unit: "U02", title: "乡长", principal: "是", start: "2024/1/10"),
                    Roster.cadre("G2", "乙改"), Roster.cadre("G3", "丙"), Roster.cadre("G4", "丁"),
                ]
                let summary = try await app.importRoster(try Roster.xlsx(second))
                // validate
                #expect(summary.created == 1 && summary.updated == 2 && summary.unchanged == 1)
                #expect(summary.postsEnded == 1 && summary.postsOpened == 2)
                let after = try await RegistryCounts.of(app)
                #expect(after.cadres == 4)
                #expect(after.posts == before.posts + 2)
                let g1 = try #require(try await app.cadreID("G1"))
                let posts = try await Post.query(on: app.db).filter(\.$cadre.$id == g1).sort(\.$startDate).all()
                #expect(posts.map(\.title) == ["副镇长", "乡长"])
                #expect(posts[0].endDate == "2024-01-10")
                #expect(posts[1].endDate == nil && posts[1].principal)
                #expect(try await Cadre.find(try await app.cadreID("G2"), on: app.db)?.name == "乙改")
                // audit: G1 post ended + post opened, G2 updated, G4 created + post = 5 entries
                #expect(after.audit == before.audit + 5)
            }
        }

        @Test("A 2,500-row roster takes the bulk path (chunked statements, large-import cache) and re-imports unchanged")
        func bulkImport() async throws {
            try await withTestApp { app in
                let units = (1...25).map { i -> [CellValue] in [.text(String(format: "B%02d", i)), .text("第\(i)镇"), "乡镇街道", ""] }
                var rows: [[CellValue]] = []
                for i in 0..<2_500 {
                    var extra: [RosterColumn: CellValue] = [:]
                    if i % 10 == 0 { extra = [.year: .number(2025), .leaveDays: .number(Double(i % 200))] }
                    let code = String(format: "M%05d", i)
                    let unit = String(format: "B%02d", i % 25 + 1)
                    rows.append(Roster.cadre(code, "干部\(i)", unit: unit, extra: extra))
                }
                let file = try Roster.xlsx(rows, units: units)
                // MUT
                let first = try await app.importRoster(file)
                // validate
                #expect(first.created == 2_500 && first.unitsCreated == 25 && first.postsOpened == 2_500)
                let after = try await RegistryCounts.of(app)
                #expect(after.cadres == 2_500 && after.posts == 2_500 && after.facts == 250)
                #expect(try await app.importRoster(file) == RosterImportSummary(unchanged: 2_500))
                #expect(try await RegistryCounts.of(app) == after)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: after.audit))
            }
        }

        @Test("CSV in GBK/GB18030 and in UTF-8 with BOM imports like .xlsx")
        func csvEncodings() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let header = Roster.basicColumns.map(\.templateHeader).joined(separator: ",")
                let line1 = "H1,欧阳修,男,1970/5/6,中共党员,研究生,正科,U01,城关镇,党委书记,是,主职,2021.9.1,,否,否,否,,,,,"
                let line2 = "H2,\"李,清照\",女,19800101,群众,大学本科,副科,U01,城关镇,副镇长,否,主职,2022年3月5日,,否,是,否,2025,3,,,"
                let text = [header, line1, line2].joined(separator: "\r\n") + "\r\n"
                let gbk = try #require(text.data(using: RosterTestEncoding.gb18030))
                #expect(String(data: gbk, encoding: .utf8) == nil)  // really not UTF-8
                // MUT
                let s1 = try await app.importRoster(gbk, filename: "roster.csv")
                // validate
                #expect(s1.created == 2)
                let h2 = try #require(try await Cadre.query(on: app.db).filter(\.$code == "H2").first())
                #expect(h2.name == "李,清照" && h2.villageTeam && h2.birthDate == "1980-01-01")
                // UTF-8 with BOM, re-import: unchanged
                let s2 = try await app.importRoster(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), filename: "roster.csv")
                #expect(s2.unchanged == 2 && s2.created == 0)
            }
        }

        @Test("Template round trip: the template's headers, rows filled by XLSXWorkbook, import; example rows skipped")
        func templateRoundTrip() async throws {
            try await withTestApp { app in
                // setup
                let template = try RosterController.templateWorkbook()
                #expect(try XLSXReader.sheetNames(template) == ["干部", "单位", "说明"])
                let before = try await RegistryCounts.of(app)
                #expect(try await app.importRoster(template) == RosterImportSummary())  // only example rows
                #expect(try await RegistryCounts.of(app) == before)
                let cadreSheet = try #require(try XLSXReader.read(template, sheet: "干部"))
                let unitSheet = try #require(try XLSXReader.read(template, sheet: "单位"))
                let header = cadreSheet.rows[0]
                func cell(_ name: String, _ value: CellValue) -> (Int, CellValue) {
                    (header.firstIndex { SheetText.headerKey($0.textValue) == name }!, value)
                }
                func row(_ cells: [(Int, CellValue)]) -> [CellValue] {
                    var r = [CellValue](repeating: .empty, count: header.count)
                    for (i, v) in cells { r[i] = v }
                    return r
                }
                var wb = XLSXWorkbook()
                wb.addSheet(name: "干部", rows: [header,
                    row([cell("干部编号", "T1"), cell("姓名", "周一"), cell("性别", "男"), cell("单位编码", "T01"), cell("职务", "局长"),
                         cell("主要负责人", "是"), cell("任职日期", .date(year: 2020, month: 1, day: 1))]),
                    row([cell("干部编号", "T2"), cell("姓名", "吴二"), cell("性别", "女"), cell("单位编码", "T01"), cell("职务", "副局长"),
                         cell("年度", 2025), cell("请假天数", 190)]),
                ])
                wb.addSheet(name: "单位", rows: [unitSheet.rows[0], ["T01", "县财政局", "县直单位", ""]])
                // MUT
                let summary = try await app.importRoster(try wb.data())
                // validate
                #expect(summary.created == 2 && summary.unitsCreated == 1)
                let t2 = try #require(try await app.cadreID("T2"))
                #expect(try await CadreYearFact.query(on: app.db).filter(\.$cadre.$id == t2).first()?.leaveDays == 190)
            }
        }

        @Test("A blank cell never erases a stored value; 「（清空）」 clears one (issue 8)")
        func blanksKeepValues() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("B1", "白一", extra: [.retiredOn: "2040-01-01", .underInvestigation: "是"])]))
                let before = try #require(try await Cadre.query(on: app.db).filter(\.$code == "B1").first()).fields
                // The same post, every personal column blank: nothing changes.
                let blank = Roster.row([.code: "B1", .unitCode: "U01", .title: "科员", .startDate: "2022-03-05"])
                #expect(try await app.importRoster(try Roster.xlsx([blank])) == RosterImportSummary(unchanged: 1))
                #expect(try await Cadre.query(on: app.db).filter(\.$code == "B1").first()?.fields == before)
                // One value given, one cleared: only those change.
                let edit = Roster.row([.code: "B1", .unitCode: "U01", .title: "科员", .startDate: "2022-03-05", .education: "研究生",
                                       .retiredOn: "（清空）", .underInvestigation: "(清空)"])
                #expect(try await app.importRoster(try Roster.xlsx([edit])).updated == 1)
                let after = try #require(try await Cadre.query(on: app.db).filter(\.$code == "B1").first()).fields
                var expected = before
                expected.education = "研究生"; expected.retiredOn = nil; expected.underInvestigation = false
                #expect(after == expected)
                // A name cannot be cleared.
                let problems = try await app.rejectedProblems(try Roster.xlsx([Roster.row([.code: "B1", .name: "（清空）", .unitCode: "U01", .title: "科员"])]))
                #expect(problems == ["第 2 行「姓名」：不能清空"])
            }
        }

        @Test("A year's facts keep their stored values where a re-import leaves cells blank; 挂职层级「（清空）」 removes the secondment")
        func yearFactsKeepValues() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let host = try await app.makeUnit("U02", "河口乡")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("Y1", extra: [
                    .year: 2025, .leaveDays: 12, .secondmentLevel: "省", .secondmentHost: "U02", .secondmentMonths: 8])]))
                // Only the leave days again: the secondment stays.
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("Y1", extra: [.year: 2025, .leaveDays: 20])]))
                var fact = try #require(try await CadreYearFact.query(on: app.db).first())
                #expect(fact.leaveDays == 20 && fact.secondmentLevel == "省" && fact.$secondmentHost.id == host && fact.secondmentMonths == 8)
                // Only the secondment level again (same host): leave days and months stay.
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("Y1", extra: [.year: 2025, .secondmentLevel: "省", .secondmentHost: "U02"])]))
                fact = try #require(try await CadreYearFact.query(on: app.db).first())
                #expect(fact.leaveDays == 20 && fact.secondmentMonths == 8)
                // Cleared on purpose.
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("Y1", extra: [.year: 2025, .secondmentLevel: "（清空）"])]))
                fact = try #require(try await CadreYearFact.query(on: app.db).first())
                #expect(fact.leaveDays == 20 && fact.secondmentLevel == nil && fact.$secondmentHost.id == nil && fact.secondmentMonths == nil)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: try await app.count("audit_entries")))
            }
        }

        @Test("One file holds a cadre's main post and 兼职 rows; the rows agree or leave personal cells blank (issue 8)")
        func mainAndConcurrentRows() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                try await app.makeUnit("U02", "河口乡")
                let rows = [
                    Roster.cadre("M1", "马一", unit: "U01", title: "党委书记", principal: "是"),
                    Roster.row([.code: "M1", .unitCode: "U02", .title: "联络员", .mainDuty: "兼职", .startDate: "2023-01-01"]),
                ]
                let summary = try await app.importRoster(try Roster.xlsx(rows))
                #expect(summary.created == 1 && summary.postsOpened == 2)
                let id = try #require(try await app.cadreID("M1"))
                let posts = try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$endDate == nil).all()
                #expect(posts.count == 2 && posts.filter(\.mainDuty).count == 1 && posts.contains { !$0.mainDuty && $0.title == "联络员" })
                #expect(try await Cadre.find(id, on: app.db)?.name == "马一")
                // Re-importing the same file changes nothing.
                #expect(try await app.importRoster(try Roster.xlsx(rows)) == RosterImportSummary(unchanged: 1))
                // A file with only a new 兼职 row: the main post and the personal data stay.
                let more = Roster.row([.code: "M1", .unitCode: "U02", .title: "督导员", .mainDuty: "兼职", .startDate: "2024-01-01"])
                let s2 = try await app.importRoster(try Roster.xlsx([more]))
                #expect(s2.updated == 1 && s2.postsOpened == 1 && s2.postsEnded == 0)
                #expect(try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$endDate == nil).count() == 3)
                #expect(try await Cadre.find(id, on: app.db)?.birthDate == "1980-01-02")
            }
        }

        @Test("Rows of one cadre that disagree, two main rows, or one 兼职 twice are row problems")
        func rowsOfOneCadreMustAgree() {
            let v = Roster.validate([
                Roster.cadre("C1", "陈一"),
                Roster.row([.code: "C1", .unitCode: "U01", .title: "联络员", .mainDuty: "兼职", .birthDate: "1981-01-01"]),
                Roster.row([.code: "C1", .unitCode: "U01", .title: "联络员", .mainDuty: "兼职"]),
                Roster.cadre("C1", "陈一"),
            ])
            #expect(v.problems.map(\.description) == [
                "第 3 行「出生日期」：与第 2 行不一致（同一干部的各行应相同，或留空）",
                "第 4 行「干部编号」：干部编号「C1」与第 3 行重复（同一兼职写了两次）",
                "第 5 行「干部编号」：干部编号「C1」与第 2 行重复（同一干部只能有一行主职，其他行的职责应为兼职）",
            ])
        }

        @Test("A 单位管理员 cannot import another unit's cadres, nor units")
        func unitAdminScope() async throws {
            try await withTestApp { app in
                let u1 = try await app.makeUnit("U01", "城关镇")
                try await app.makeUnit("U02", "河口乡")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("K1", unit: "U02")]))
                let before = try await RegistryCounts.of(app)
                // MUT
                let problems = try await app.rejectedProblems(
                    try Roster.xlsx([Roster.cadre("K2", unit: "U01"), Roster.cadre("K3", unit: "U02"), Roster.cadre("K1", unit: "U01")],
                                    units: [["U03", "新乡", "乡镇街道", ""]]),
                    scope: .units([u1]))
                // validate
                #expect(problems == [
                    "第 3 行「单位编码」：单位编码「U02」不能使用（只能导入本单位的干部）",
                    "第 4 行「干部编号」：干部编号「K1」不能使用（不在您的管理范围内）",
                    "「单位」工作表第 2 行「单位编码」：您的账号不能导入单位（单位只能由组织部或系统管理员维护），请删除「单位」工作表中的行",
                ])
                #expect(try await RegistryCounts.of(app) == before)
                // own unit only: accepted
                let ok = try await app.importRoster(try Roster.xlsx([Roster.cadre("K2", unit: "U01")]), scope: .units([u1]))
                #expect(ok.created == 1)
            }
        }

        @Test("Import page: broken file shows every error (422) and changes nothing; good file previews, then imports; CSRF required")
        func importPage() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                #expect(try await browser.get("/roster/import").status == .ok)
                let before = try await RegistryCounts.of(app)
                // MUT: broken
                let bad = try await browser.upload("/roster/import", filename: "坏.xlsx",
                                                   data: try Roster.xlsx([Roster.cadre("P1", start: "2022-02-30"), Roster.cadre("P2", unit: "U77")]))
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("第 2 行「任职日期」：「2022-02-30」不是有效日期"))
                #expect(bad.body.string.contains("第 3 行「单位编码」：单位编码「U77」不存在"))
                #expect(bad.body.string.contains("数据库未做任何修改"))
                #expect(try await RegistryCounts.of(app) == before)
                // without the CSRF token
                let forged = try await browser.upload("/roster/import", filename: "r.xlsx", data: try Roster.xlsx([Roster.cadre("P1")]), withCSRF: false)
                #expect(forged.status == .forbidden)
                #expect(try await RegistryCounts.of(app) == before)
                // good: a preview first, then the import
                let preview = try await browser.previewRoster(try Roster.xlsx([Roster.cadre("P1")]))
                #expect(preview.status == .ok && preview.body.string.contains("新增 1 人"))
                #expect(try await app.cadreID("P1") == nil)
                let good = try await browser.confirmRoster(preview)
                #expect(good.status == .ok)
                #expect(good.body.string.contains("导入成功：新增 1 人"))
                #expect(try await app.cadreID("P1") != nil)
                // not a spreadsheet
                let junk = try await browser.upload("/roster/import", filename: "x.xlsx", data: Data("PKnot really".utf8))
                #expect(junk.status == .unprocessableEntity)
            }
        }
    }
}

enum RosterTestEncoding {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
}

extension KaoheServerTests {
    @Suite("Audit snapshot encoding")
    struct AuditEncodingTests {
        @Test("AuditChain.encode writes exactly what JSONEncoder (sorted keys, unescaped slashes) writes")
        func sameAsJSONEncoder() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let samples: [[String: String]] = [
                [:],
                ["name": "张三", "code": "A/1", "Zeta": "\"quoted\" \\ back", "a10": "", "a9": "\n\r\t\u{8}\u{C}\u{1}\u{1F}"],
                ["cadreID": UUID().uuidString, "secondmentHostUnitID": "", "secondmentLevel": "省", "emoji": "👍🏽", "tab\tkey": "x"],
            ]
            for s in samples {
                #expect(AuditChain.encode(s) == String(decoding: try encoder.encode(s), as: UTF8.self))
            }
            #expect(AuditChain.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        }
    }
}
