import AssessmentCore
import Foundation
import OfficeDocuments
import SQLKit

/// What every document says at its head: the campaign, the data's date and the approval state — 草稿 until the
/// committee approved the results.
struct DocumentStamp: Sendable {
    var campaign: String
    var dataDay: Day
    /// "2026-12-20 县委常委会2026年第40次会议审定", or nil: a draft.
    var approved: String?
    var phase: String
    var isDraft: Bool { approved == nil }
    var line: String { "\(campaign) · 数据日期 \(dataDay) · " + (approved ?? "草稿（\(phase)阶段，未审定）") }

    /// The stamp of `campaign` today, read from its stored approval and phase (no grading).
    static func load(_ campaign: Campaign, today: Day, on sql: any SQLDatabase) async throws -> DocumentStamp {
        let id = try campaign.requireID()
        let approval = try await CampaignWorkflow.storedApproval(of: id, on: sql)
        return DocumentStamp(campaign: campaign.title, dataDay: today, approved: approval.map { "\($0.approved_on) \($0.meeting)审定" },
                             phase: try await CampaignWorkflow.phase(of: id, on: sql).label)
    }
}

/// The documents of a campaign (issue 12): 考核等次建议表 (seed 001 annex 8), ranking tables per category, the 考核报告
/// draft per unit (seed 003 §五(三)2), the 专题报告 template per trigger and the 干部年度考核登记表 (seed 001 §三(一)) —
/// built from the campaign's grading as it stands (the approved one once approved) by our OfficeDocuments.
enum CampaignDocuments {
    /// The grading and what people decided, as the grading board shows them.
    struct Board: Sendable {
        var grading: CampaignGrading
        var decisions: [GradeDecisions.Subject: [String: GradeDecisions.Decision]]
        /// Cadre code → the unit's proposed grade (登记表).
        var unitGrades: [String: String]
        var policy: Policy

        var teamIndex: [String: Int] { Dictionary(grading.dataset.teams.enumerated().map { ($1.id, $0) }) { a, _ in a } }
        var cadreIndex: [String: Int] { Dictionary(grading.dataset.cadres.enumerated().map { ($1.id, $0) }) { a, _ in a } }
        /// Rule ID and message of each violation of a subject (kept with its accepted reason).
        func violations(_ code: String) -> String {
            grading.result.violations.filter { $0.subject == code }.map { "\($0.rule) \($0.message)" }.joined(separator: "；")
        }
    }

    static func score(_ v: Double?) -> CellValue { v.map { .text(String(format: "%.2f", $0)) } ?? .empty }
    static func reasons(_ list: [Reason]) -> String { list.map { "\($0.rule) \($0.message)" }.joined(separator: "；") }

    // MARK: 考核等次建议表

    /// 考核等次建议表 of `units` (one unit's, or the county's summary): teams and cadres with the grade the engine
    /// proposed, the unit's opinion, the organisation department's decision and its reason, the grade that stands, the
    /// rules it rests on and every rule a decision broke; then the quotas.
    static func proposals(_ board: Board, units: [CampaignRoster.UnitPart], stamp: DocumentStamp, title: String) -> XLSXWorkbook {
        var book = XLSXWorkbook()
        book.title = title
        let result = board.grading.result, dataset = board.grading.dataset
        let teamIndex = board.teamIndex, cadreIndex = board.cadreIndex
        let head: [[CellValue]] = [[.text(title)], [.text(stamp.line)]]
        var teams: [[CellValue]] = head + [["序号", "单位", "类别", "领导班子", "量化得分", "测评得分", "类别内排名", "引擎建议", "组织部确定", "确定原因", "等次", "依据", "违反的规则（已说明原因）"]]
        var cadres: [[CellValue]] = head + [["序号", "单位", "姓名", "职务", "状态", "测评得分", "班子内排名", "引擎建议", "单位意见", "组织部确定", "确定原因", "等次", "依据", "违反的规则（已说明原因）"]]
        for unit in units {
            if unit.teamName != nil, let i = teamIndex[unit.code] {
                let r = result.teams[i], d = board.decisions[.team]?[unit.code]
                teams.append([.number(Double(teams.count - 2)), .text(unit.name), .text(unit.category), .text(dataset.teams[i].name ?? ""),
                              score(r.score), score(r.voteScore), .number(Double(r.rankInCategory)), .text(r.engineGrade ?? r.grade ?? ""),
                              .text(d?.grade ?? ""), .text(d?.reason ?? ""), .text(r.grade ?? "—"), .text(reasons(r.reasons)),
                              .text(board.violations(unit.code))])
            }
            for p in unit.cadres {
                let d = board.decisions[.cadre]?[p.code]
                guard let i = cadreIndex[p.code] else {
                    cadres.append([.number(Double(cadres.count - 2)), .text(unit.name), .text(p.name), .text(p.title), "不参加考核",
                                   .empty, .empty, .empty, .text(board.unitGrades[p.code] ?? ""), .empty, .empty, "—",
                                   .text(p.change.map { "经组织部决定不参加：\($0.reason)" } ?? p.eligibility.reasons.map { "\($0.rule) \($0.message)" }.joined(separator: "；")), .empty])
                    continue
                }
                let r = result.cadres[i]
                cadres.append([.number(Double(cadres.count - 2)), .text(unit.name), .text(p.name), .text(p.title), .text(r.status.label),
                               score(r.voteScore), r.rankInTeam.map { .number(Double($0)) } ?? .empty, .text(r.engineGrade ?? r.grade ?? ""),
                               .text(board.unitGrades[p.code] ?? ""), .text(d?.grade ?? ""), .text(d?.reason ?? ""), .text(r.grade ?? "—"),
                               .text(reasons(r.reasons)), .text(board.violations(p.code))])
            }
        }
        let codes = Set(units.map(\.code))
        let quotas = result.quotas.filter { q in
            guard let colon = q.scope.firstIndex(of: ":") else { return true }
            let key = String(q.scope[q.scope.index(after: colon)...])
            return units.count > 1 || codes.contains(key) || !dataset.teams.contains { $0.id == key }
        }
        let quotaRows: [[CellValue]] = head + [["范围", "规则", "等次", "基数", "可评", "已用"]]
            + quotas.map { [.text($0.label), .text($0.rule), .text($0.grade), .number(Double($0.base)), .number(Double($0.limit)), .number(Double($0.used))] }
        if board.policy.subjects != .probationCadres { book.addSheet(name: "领导班子", rows: teams, headerRows: 3) }
        book.addSheet(name: "领导干部", rows: cadres, headerRows: 3)
        book.addSheet(name: "优秀等次指标", rows: quotaRows, headerRows: 3)
        return book
    }


    // MARK: Ranking per category

    /// 排名表 of one category: its teams by overall score (R-Q8: equal printed scores share a place), then its cadres by
    /// vote score — each row as printed and as written to the .xlsx.
    static func ranking(_ board: Board, category: String) -> (teams: [[String]], cadres: [[String]]) {
        let result = board.grading.result, dataset = board.grading.dataset
        func text(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "—" }
        let teamRows = dataset.teams.indices.filter { dataset.teams[$0].category == category }
            .sorted { (result.teams[$0].rankInCategory, dataset.teams[$0].id) < (result.teams[$1].rankInCategory, dataset.teams[$1].id) }
            .map { i -> [String] in
                let r = result.teams[i]
                return ["\(r.rankInCategory)", dataset.teams[i].name ?? dataset.teams[i].id, text(r.score), text(r.voteScore), r.grade ?? "—"]
            }
        let categoryTeams = Set(dataset.teams.filter { $0.category == category }.map(\.id))
        let unitNames = Dictionary(board.grading.roster.units.map { ($0.code, $0.name) }) { a, _ in a }
        let cadreIdx = dataset.cadres.indices.filter { categoryTeams.contains(dataset.cadres[$0].team) && result.cadres[$0].status != .notAssessed }
        // Vote scores at the printed precision, best first; equal printed scores share a place.
        let printed = Dictionary(uniqueKeysWithValues: cadreIdx.map { ($0, result.cadres[$0].voteScore.map { (($0 * 100).rounded()) / 100 }) })
        let ordered = cadreIdx.sorted {
            let a = printed[$0]! ?? -1, b = printed[$1]! ?? -1
            return a != b ? a > b : dataset.cadres[$0].id < dataset.cadres[$1].id
        }
        var cadreRows: [[String]] = []
        for (n, i) in ordered.enumerated() {
            let place = n > 0 && printed[ordered[n - 1]]! == printed[i]! ? cadreRows[n - 1][0] : "\(n + 1)"
            let c = dataset.cadres[i]
            cadreRows.append([printed[i]! == nil ? "—" : place, c.name ?? c.id, unitNames[c.team] ?? c.team, text(result.cadres[i].voteScore), result.cadres[i].grade ?? "—"])
        }
        return (teamRows, cadreRows)
    }

    /// Score distributions of one category (ranking print): its teams' overall scores, its cadres' vote scores.
    static func rankingCharts(_ board: Board, category: String) -> [Histogram] {
        let result = board.grading.result, dataset = board.grading.dataset
        let teams = dataset.teams.indices.filter { dataset.teams[$0].category == category }
        let ids = Set(teams.map { dataset.teams[$0].id })
        let cadres = dataset.cadres.indices.filter { ids.contains(dataset.cadres[$0].team) }.compactMap { result.cadres[$0].voteScore }
        var out: [Histogram] = []
        if board.policy.subjects == .teamsAndCadres, case let scores = teams.compactMap({ result.teams[$0].score }), !scores.isEmpty {
            out.append(.scores(scores, title: "\(category)领导班子量化得分分布（人数按分数段）"))
        }
        if !cadres.isEmpty { out.append(.scores(cadres, title: "\(category)领导干部测评得分分布（人数按分数段）")) }
        return out
    }

    static let rankingTeamHeader = ["类别内排名", "领导班子", "量化得分", "测评得分", "等次"]
    static let rankingCadreHeader = ["测评得分排名", "姓名", "单位", "测评得分", "等次"]

    static func rankingWorkbook(_ board: Board, category: String, stamp: DocumentStamp) -> XLSXWorkbook {
        let (teams, cadres) = ranking(board, category: category)
        var book = XLSXWorkbook()
        book.title = "\(category)排名表"
        let head: [[CellValue]] = [[.text("\(category)排名表")], [.text(stamp.line)]]
        func cells(_ rows: [[String]], numeric: Set<Int>) -> [[CellValue]] {
            rows.map { row in row.enumerated().map { k, v in numeric.contains(k) ? (Double(v).map { .number($0) } ?? .text(v)) : .text(v) } }
        }
        if board.policy.subjects == .teamsAndCadres {
            book.addSheet(name: "领导班子", rows: head + [rankingTeamHeader.map { .text($0) }] + cells(teams, numeric: [0, 2, 3]), headerRows: 3)
        }
        book.addSheet(name: "领导干部", rows: head + [rankingCadreHeader.map { .text($0) }] + cells(cadres, numeric: [0, 3]), headerRows: 3)
        return book
    }

    // MARK: 考核报告 (draft)

    struct UnitFacts: Sendable {
        var heldOn: String?
        var progress: CampaignWorkflow.UnitProgress
        var expected: Int
    }

    /// 考核报告 draft of a unit with the structure of seed 003 §五(三)2 (考核工作基本情况，领导班子运行情况，班子成员主要
    /// 表现，对班子工作的意见建议), prefilled with the tallies, scores, triggers and interview coverage; the group
    /// finishes it in Word or WPS where it says 【请考核组补充】.
    static func report(_ board: Board, unit: CampaignRoster.UnitPart, facts: UnitFacts, stamp: DocumentStamp, year: Int) -> DOCXDocument {
        var doc = DOCXDocument()
        doc.headerText = stamp.line
        let teamName = unit.teamName ?? unit.name
        doc.title = "\(unit.name)考核报告"
        doc.heading("关于\(teamName)和领导干部\(year)年度考核情况的报告\(stamp.isDraft ? "（草稿）" : "")", level: 0)
        let result = board.grading.result, dataset = board.grading.dataset, policy = board.policy
        let fill = "【请考核组补充】"
        var figure = 0

        doc.heading("一、考核工作基本情况", level: 1)
        let p = facts.progress
        var basic = "考核组于\(facts.heldOn.map { "\($0)" } ?? "（日期）")对\(unit.name)进行了\(year)年度考核。"
        switch p.evaluation {
        case .closed: basic += "民主测评应到 \(facts.expected) 人，实到 \(p.participants) 人。"
        case .open: basic += "民主测评尚未结束。"
        case .exempt(let reason): basic += "本单位未开展民主测评（\(reason)）。"
        case .none: basic += "民主测评尚未安排。"
        }
        basic += "个别谈话 \(p.interviews) 人"
        if p.evaluation == .closed {
            basic += p.interviewsShort ? "，不足参加测评人员的 90%（应不少于 \(p.interviewsNeeded) 人，R-P1）。" : "，不少于参加测评人员的 90%（R-P1）。"
        } else { basic += "。" }
        doc.paragraph(basic, firstLineIndentChars: 2)

        if unit.teamName != nil, let i = board.teamIndex[unit.code], policy.subjects == .teamsAndCadres {
            doc.heading("二、领导班子运行情况", level: 1)
            let r = result.teams[i]
            var line = ""
            if let tally = r.tally, let shares = r.voteShares, tally.reduce(0, +) > 0 {
                let parts = zip(policy.teamBallot.options.map(\.label), shares).map { "“\($0)” \(String(format: "%.2f", $1 * 100))%" }
                line += "民主测评总体评价有效票 \(tally.reduce(0, +)) 张，其中\(parts.joined(separator: "、"))；测评得分 \(r.voteScore.map { String(format: "%.2f", $0) } ?? "—")。"
            }
            if let score = r.score { line += "量化考核综合得分 \(String(format: "%.2f", score))，在\(unit.category)中排第 \(r.rankInCategory) 名。" }
            line += "等次建议为\(r.grade ?? "—")（\(reasons(r.reasons))）。"
            let t1 = result.triggers.filter { $0.subject == unit.code }
            if !t1.isEmpty { line += t1.map { "\($0.rule)：\($0.message)" }.joined(separator: "；") + "。" }
            doc.paragraph(line, firstLineIndentChars: 2)
            if let tally = r.tally, tally.reduce(0, +) > 0 {
                figure += 1
                BarChart(title: "图\(figure) 领导班子民主测评总体评价", series: policy.teamBallot.options.map(\.label),
                         rows: [.init(label: teamName, values: tally)], scale: .shares).add(to: &doc)
            }
            doc.paragraph("\(fill)班子政治思想建设、领导能力、工作实绩、党风廉政建设、作风建设等方面的评价，既肯定成绩，又指出问题和不足。", firstLineIndentChars: 2)
        }

        doc.heading(policy.subjects == .teamsAndCadres ? "三、班子成员主要表现" : "二、干部主要表现", level: 1)
        var rows: [[DOCXCell]] = [["姓名", "职务", "测评得分", "好评率", "等次建议", "提示"]]
        let positive = Set(policy.cadreBallot.options.prefix(2).map(\.label))
        for c in unit.cadres {
            guard let i = board.cadreIndex[c.code] else { continue }
            let r = result.cadres[i]
            var rate = "—"
            if let tally = r.tally, case let total = tally.reduce(0, +), total > 0 {
                let good = zip(policy.cadreBallot.options, tally).filter { positive.contains($0.0.label) }.map(\.1).reduce(0, +)
                rate = String(format: "%.2f%%", Double(good) * 100 / Double(total))
            }
            let notes = result.triggers.filter { $0.subject == c.code }.map { "\($0.rule) \($0.message)" }.joined(separator: "；")
            rows.append([.init(c.name), .init(c.title), .init(r.voteScore.map { String(format: "%.2f", $0) } ?? "—"), .init(rate),
                         .init(r.grade ?? "—"), .init(notes, fontSizePt: 9)])
        }
        doc.table(rows, columnWidthsCm: [2.2, 3.2, 2, 2, 2, 5.6])
        doc.paragraph("好评率：总体评价“\(positive.sorted().joined(separator: "”“"))”的得票率。", alignment: .left)
        let voted = unit.cadres.compactMap { c in board.cadreIndex[c.code].flatMap { i in result.cadres[i].tally.map { (c.name, $0) } } }
            .filter { $0.1.reduce(0, +) > 0 }
        if !voted.isEmpty {
            figure += 1
            BarChart(title: "图\(figure) \(policy.subjects == .teamsAndCadres ? "班子成员" : "干部")民主测评总体评价",
                     series: policy.cadreBallot.options.map(\.label), rows: voted.map { .init(label: $0.0, values: $0.1) }, scale: .shares).add(to: &doc)
        }
        for c in unit.cadres where board.cadreIndex[c.code] != nil {
            doc.paragraph([DOCXRun("\(c.name)（\(c.title)）：", bold: true), DOCXRun("\(fill)德、能、勤、绩、廉等方面的现实表现和主要不足。")],
                          firstLineIndentChars: 2)
        }
        doc.heading(policy.subjects == .teamsAndCadres ? "四、对班子工作的意见建议" : "三、意见建议", level: 1)
        doc.paragraph("\(fill)", firstLineIndentChars: 2)
        let codes = Set([unit.code] + unit.cadres.map(\.code))
        let reports = result.triggers.filter { CampaignWorkflow.specialReportRules.contains($0.rule) && codes.contains($0.subject) }
        if !reports.isEmpty {
            doc.paragraph("附：需写出专题报告的情形（seed 003 §五(三)2）：" + reports.map { "\($0.rule) \($0.subject)" }.joined(separator: "、") + "。", alignment: .left)
        }
        doc.paragraph("考核组（签字）：          \(year + 1)年  月  日", alignment: .right)
        return doc
    }

    // MARK: 专题报告 (template)

    /// 专题报告 template of one trigger (seed 003 §五(三)2), prefilled with its facts.
    static func specialReport(_ board: Board, trigger: Trigger, subjectName: String, unitName: String, stamp: DocumentStamp) -> DOCXDocument {
        var doc = DOCXDocument()
        doc.headerText = stamp.line
        doc.title = "专题报告 \(subjectName)"
        doc.heading("关于\(subjectName)的专题报告\(stamp.isDraft ? "（草稿）" : "")", level: 0)
        doc.heading("一、基本情况", level: 1)
        doc.paragraph("考核对象：\(subjectName)（\(unitName)）。", firstLineIndentChars: 2)
        doc.paragraph("触发情形（\(trigger.rule)）：\(trigger.message)。", firstLineIndentChars: 2)
        let result = board.grading.result
        if let i = board.cadreIndex[trigger.subject] {
            let r = result.cadres[i]
            if let tally = r.tally {
                doc.paragraph("民主测评总体评价：" + zip(board.policy.cadreBallot.options.map(\.label), tally).map { "\($0) \($1) 票" }.joined(separator: "、")
                              + "；测评得分 \(r.voteScore.map { String(format: "%.2f", $0) } ?? "—")。", firstLineIndentChars: 2)
            }
        } else if let i = board.teamIndex[trigger.subject], let tally = result.teams[i].tally {
            doc.paragraph("民主测评总体评价：" + zip(board.policy.teamBallot.options.map(\.label), tally).map { "\($0) \($1) 票" }.joined(separator: "、") + "。",
                          firstLineIndentChars: 2)
        }
        doc.heading("二、调查了解情况", level: 1)
        doc.paragraph("【请考核组补充】与相关部门沟通、深入调查了解的过程和查明的事实。", firstLineIndentChars: 2)
        doc.heading("三、结论和处理建议", level: 1)
        doc.paragraph("【请考核组补充】", firstLineIndentChars: 2)
        doc.paragraph("考核组（签字）：          年  月  日", alignment: .right)
        return doc
    }

    // MARK: 干部年度考核登记表

    struct RegistrationForm: Sendable {
        var name, gender, birth, ethnicity, nativePlace, political, partyJoined, workStart, education, rank, rankSince, unit, post: String
        var summary, training: String
        var unitGrade: String?; var unitNote: String
        var decided: String?
    }

    /// 干部年度考核登记表 (seed 001 §三(一)): one A4 sheet per cadre, printed on both sides — the facts and the summary on
    /// the front, training, the unit's opinion and the grade on the back; a unit's forms one after another.
    static func registration(_ forms: [RegistrationForm], year: Int, stamp: DocumentStamp) -> DOCXDocument {
        var doc = DOCXDocument(margins: .init(topCm: 2, bottomCm: 2, leftCm: 2, rightCm: 2))
        doc.headerText = stamp.line
        doc.title = "干部\(year)年度考核登记表"
        for (k, f) in forms.enumerated() {
            if k > 0 { doc.pageBreak() }
            doc.heading("干部\(year)年度考核登记表", level: 0)
            let label: (String) -> DOCXCell = { DOCXCell($0, bold: true, alignment: .center) }
            doc.table([
                [label("姓名"), .init(f.name), label("性别"), .init(f.gender), label("出生年月"), .init(f.birth)],
                [label("民族"), .init(f.ethnicity), label("籍贯"), .init(f.nativePlace), label("政治面貌"), .init(f.political)],
                [label("入党时间"), .init(f.partyJoined), label("参加工作时间"), .init(f.workStart), label("学历"), .init(f.education)],
                [label("单位及职务"), .init("\(f.unit) \(f.post)", gridSpan: 3), label("职级"), .init(f.rank + (f.rankSince.isEmpty ? "" : "（\(f.rankSince)）"))],
                [label("个人总结"), .init(f.summary.isEmpty ? "\n\n\n\n\n\n\n\n" : f.summary, gridSpan: 5)],
            ], columnWidthsCm: [2.6, 3.2, 2.6, 3.2, 2.6, 2.8], headerRows: 0)
            doc.pageBreak()
            doc.table([
                [label("参加脱产培训情况"), .init(f.training.isEmpty ? "\n\n\n" : f.training)],
                [label("党委（党组）确定的考核等次意见"), .init((f.unitGrade.map { $0 + (f.unitNote.isEmpty ? "" : "：\(f.unitNote)") } ?? "") + "\n\n（盖章）\n年  月  日")],
                [label("考核等次"), .init((f.decided ?? "") + "\n\n（盖章）\n年  月  日")],
            ], columnWidthsCm: [3.6, 13.4], headerRows: 0)
        }
        return doc
    }
}
