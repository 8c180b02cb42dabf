import AssessmentCore
import Fluent
import Foundation
import OfficeDocuments
import SQLKit
import Vapor

/// `kaohe demo`: fills an empty database with a small county to look at at once — two unit categories, a dozen units,
/// about 150 cadres (imported as a roster file is), an account for each role (passwords printed once, to be changed at
/// first login), and a 年度考核 campaign whose democratic evaluations have been held and closed, every ballot cast with
/// a one-time code through the same code path as a voter's phone. Reproducible: the same county and the same votes
/// each time.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "演示数据：在空数据库中建立一个县（12 个单位、约 150 名干部、各角色账号）和已完成民主测评的年度考核" }

    static let townships = ["城关镇", "河口镇", "青山乡", "石桥镇", "柳林乡", "东湖街道"]
    static let departments = ["县发展和改革局", "县教育体育局", "县财政局", "县自然资源局", "县卫生健康委员会", "县农业农村局"]
    static let townshipTitles = ["党委书记", "镇长", "人大主席", "党委副书记", "纪委书记", "副镇长", "副镇长", "副镇长", "组织委员", "宣传委员", "武装部长", "政法委员", "统战委员"]
    static let departmentTitles = ["党组书记", "局长", "副局长", "副局长", "副局长", "纪检组长", "总工程师", "办公室主任", "财务科长", "规划科长", "法规科长", "人事科长"]
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭")
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "丽华", "国庆", "文博", "思远", "宏伟"]

    /// A small, fixed pseudo-random sequence (SplitMix64): the same demo every time.
    struct Dice {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        /// One of `options` with the given weights (percent).
        mutating func pick(_ options: [String], _ weights: [Int]) -> String {
            var r = below(weights.reduce(0, +))
            for (o, w) in zip(options, weights) { if r < w { return o }; r -= w }
            return options[0]
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let sql = app.sql
        guard try await app.db.query(Cadre.self).count() == 0, try await app.db.query(Campaign.self).count() == 0 else {
            context.console.error("数据库中已有干部或考核：kaohe demo 只在空数据库中建立演示数据（请用新的 KAOHE_DATA_DIR）。")
            throw ExitCode(1)
        }
        let year = app.clock.today.components.year
        var dice = Dice(state: 2026)

        // The roster, imported as a clerk's file would be.
        var units: [[CellValue]] = []
        var cadres: [[CellValue]] = []
        var n = 0
        func person() -> String { String(Self.surnames[dice.below(Self.surnames.count)]) + Self.givenNames[dice.below(Self.givenNames.count)] }
        for (i, name) in Self.townships.enumerated() {
            let code = String(format: "X%02d", i + 1)
            units.append([.text(code), .text(name), "乡镇街道", .empty])
            for (k, title) in Self.townshipTitles.enumerated() {
                n += 1
                cadres.append(row(n, person(), code, title, principal: k < 2, dice: &dice, year: year))
            }
        }
        for (i, name) in Self.departments.enumerated() {
            let code = String(format: "Z%02d", i + 1)
            units.append([.text(code), .text(name), "县直单位", .empty])
            for (k, title) in Self.departmentTitles.enumerated() {
                n += 1
                cadres.append(row(n, person(), code, title, principal: k < 2, dice: &dice, year: year))
            }
        }
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: RosterSheet.cadres, rows: [RosterColumn.allCases.map { .text($0.templateHeader) }] + cadres)
        workbook.addSheet(name: RosterSheet.units, rows: [RosterUnitColumn.allCases.map { .text($0.rawValue) }] + units)
        let summary = try await RosterCommit.importRoster(try workbook.data(), filename: "演示花名册.xlsx", scope: .all, actor: .system,
                                                          on: app.db, clock: app.clock, seal: app.auditSeal)
        context.console.print("花名册：\(summary.text)")

        // Accounts, one per role; passwords printed once and changed at first login.
        struct UnitID: Decodable { var id: UUID; var code: String }
        let unitIDs = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, code FROM units").all(decoding: UnitID.self).map { ($0.code, $0.id) })
        let firstCadre = try await Cadre.query(on: app.db).filter(\.$code == "D0001").first()
        // Passwords hashed first (bcrypt is slow), then every account and the group in one audited transaction.
        let people: [(username: String, name: String, role: Role, unit: UUID?, cadre: UUID?)] = [
            ("zuzhibu", "组织部干部科", .organisationDepartment, nil, nil), ("kaohezu1", "第一考核组", .groupMember, nil, nil),
            ("chengguan", "城关镇单位管理员", .unitAdmin, unitIDs["X01"], nil), ("ganbu1", firstCadre?.name ?? "干部", .cadre, nil, firstCadre?.id),
            ("fagaiju", "县发展和改革局（考核责任单位）", .scoringUnit, unitIDs["Z01"], nil),
        ]
        var printed: [(String, String, String)] = []
        var accounts: [Account] = []
        for p in people {
            let password = Bootstrap.randomPassword()
            accounts.append(Account(username: p.username, displayName: p.name, passwordHash: try await app.password.async.hash(password),
                                    role: p.role, unitID: p.unit, cadreID: p.cadre, mustChangePassword: true))
            printed.append((p.username, p.role.label, password))
        }
        let groupUnits = ["X01", "X02", "X03", "Z01", "Z02", "Z03"].compactMap { unitIDs[$0] }
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { [accounts] tx, audit in
            for a in accounts {
                try await a.create(on: tx)
                audit.record(.init(action: .create, entity: .account, entityID: a.id!.uuidString, after: ["username": a.username, "role": a.role.rawValue]))
            }
            let group = AssessmentGroup(name: "第一考核组")
            try await group.create(on: tx)
            audit.record(.init(action: .create, entity: .assessmentGroup, entityID: group.id!.uuidString, after: ["name": group.name]))
            for unit in groupUnits {
                let link = AssessmentGroupUnit()
                link.$group.id = group.id!
                link.$unit.id = unit
                try await link.create(on: tx)
                audit.record(.init(action: .create, entity: .assessmentGroupUnit, entityID: link.id!.uuidString,
                                   after: ["groupID": group.id!.uuidString, "unitID": unit.uuidString]))
            }
            let membership = AssessmentGroupMember()
            membership.$group.id = group.id!
            membership.$account.id = accounts[1].id!
            try await membership.create(on: tx)
            audit.record(.init(action: .create, entity: .assessmentGroupMember, entityID: membership.id!.uuidString,
                               after: ["groupID": group.id!.uuidString, "accountID": accounts[1].id!.uuidString]))
        }

        // The campaign and its evaluations, voted and closed.
        let policy = Presets.lushan2022
        let campaign = Self.campaign(.annual, title: "\(year)年度领导班子和领导干部考核（演示）", policy: policy, year: year, app: app)
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            try await campaign.create(on: tx)
            audit.record(.init(action: .create, entity: .campaign, entityID: campaign.id!.uuidString,
                               after: ["title": campaign.title, "kind": campaign.kind, "year": "\(year)", "cutoff": campaign.cutoff, "policy": policy.name]))
        }
        let today = app.clock.today
        /// Days relative to today (the steps so far happened in the last weeks).
        @Sendable func on(_ offset: Int) -> Day { Day(daysSinceEpoch: today.daysSinceEpoch + offset) }
        func move(_ phase: CampaignPhase, _ day: Day) async throws {
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                try await CampaignWorkflow.move(campaign, to: phase, on: day, today: today, reason: "", meeting: "", db: tx, audit: audit)
            }
        }
        try await move(.fieldwork, on(-20))
        // Quantitative indicators (R-S2): 综合考评 and 党建 scored by the organisation department, 高质量发展 by two
        // departments as scoring units (考核责任单位).
        let indicatorPlan: [(part: String, name: String, max: Double, scorer: String?, low: Int)] = [
            ("综合考评", "考核组综合评价", 100, nil, 80), ("党建高质量考核", "党建工作", 100, nil, 75),
            ("高质量发展考核", "经济发展", 60, "Z01", 40), ("高质量发展考核", "财政收支", 40, "Z03", 25)]
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            for i in indicatorPlan {
                try await Indicators.add(part: i.part, name: i.name, max: i.max, scorer: i.scorer.flatMap { unitIDs[$0] },
                                         scorerLabel: i.scorer ?? Indicators.departmentScorer, campaign: campaign.requireID(), db: tx, audit: audit)
            }
        }
        var ballots = 0
        for code in unitIDs.keys.sorted() {
            let categories: [EvaluationSession.Category] = code.hasPrefix("X")
                ? [.init(name: "班子成员", expected: 13), .init(name: "中层干部", expected: 12), .init(name: "两代表一委员", expected: 12)]
                : [.init(name: "班子成员", expected: 8), .init(name: "中层干部", expected: 10), .init(name: "职工代表", expected: 14)]
            let sessionID = try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                try await SessionSetup.make(campaign: campaign, unitID: unitIDs[code]!, heldOn: Day("\(year)-12-1\(code.last!)") ?? Day("\(year)-12-15")!,
                                            place: "会议室", categories: categories, on: tx, audit: audit)
            }
            let session = try await EvaluationSession.find(sessionID, on: app.db)!
            let sheet = try session.sheet()
            // This unit's standing: most votes good, a few units and cadres less so.
            let unitMood = dice.below(10)
            for category in categories {
                let present = category.expected - dice.below(2)
                let codes = try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                    let codes = try await BallotCodes.issue(present, category: category.name, session: sessionID, seal: app.auditSeal!, on: tx as! any SQLDatabase)
                    audit.record(.init(action: .create, entity: .evaluationSession, entityID: sessionID.uuidString,
                                       after: ["codesIssued": "\(present)", "category": category.name]))
                    return codes
                }
                for c in codes {
                    var answers: [String: String] = [:]
                    for item in sheet.items {
                        if item.key.hasPrefix("team") {
                            answers[item.key] = dice.pick(sheet.teamOptions, unitMood < 2 ? [20, 40, 30, 10] : [60, 30, 8, 2])
                        } else {
                            let cadreMood = item.cadre == unitMood ? [5, 40, 40, 15] : [25, 65, 8, 2]
                            answers[item.key] = dice.pick(sheet.cadreOptions, cadreMood)
                        }
                    }
                    try await Voting.submit(c, answers: answers, comment: "", client: "demo", on: app)
                    ballots += 1
                }
            }
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                try await SessionSetup.close(session, on: tx, audit: audit)
            }
        }
        await Anonymity.vacuum(on: sql, logger: app.logger)

        // Interviews: 90% of each evaluation's participants (R-P1), except 县财政局 (three short); one reveals a serious
        // lead (R-T2). Then 汇总分析, special-report tasks for the triggers (one done), and 等次评定.
        let progress = try await CampaignWorkflow.progress(of: campaign.requireID(), on: sql)
        let notes = ["班子团结协作，能够落实民主集中制。", "主要负责人担当作为，工作思路清晰。", "班子成员分工明确，个别同志工作作风需改进。",
                     "年度重点任务完成较好，群众反映总体满意。", "建议加强年轻干部培养。"]
        var interviews = 0
        var lead: (id: UUID, code: String)?
        if let x02 = unitIDs["X02"] {
            struct C: Decodable { var id: UUID; var code: String }
            lead = try await sql.raw("""
                SELECT c.id, c.code FROM cadres c JOIN posts p ON p.cadre_id = c.id WHERE p.unit_id = \(bind: x02) AND p.principal = \(bind: false)
                ORDER BY p.sort_key, c.code LIMIT 1
                """).first(decoding: C.self).map { ($0.id, $0.code) }
        }
        for code in unitIDs.keys.sorted() {
            let unitID = unitIDs[code]!
            let needed = progress[unitID]?.interviewsNeeded ?? 0
            let count = code == "Z03" ? max(0, needed - 3) : needed
            let categories = try await EvaluationSession.query(on: app.db).filter(\.$campaign.$id == campaign.requireID())
                .filter(\.$unit.$id == unitID).first()?.categories.map(\.name) ?? EvaluationSession.defaultCategories
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { [lead] tx, audit in
                for k in 0..<count {
                    let withLead = code == "X02" && k == 0 ? lead : nil
                    let text = "第 \(k + 1) 人：" + (withLead != nil ? "反映该同志在项目招标中打招呼，有重要问题线索。" : notes[k % notes.count])
                    try await Interviews.record(.init(unitID: unitID, unitCode: code, category: categories[k % categories.count], heldOn: on(-10),
                                                      interviewer: "第一考核组", notes: text, lead: withLead),
                                                campaign: campaign.requireID(), at: app.clock.epochSeconds, db: tx, audit: audit)
                }
            }
            interviews += count
        }
        // Every team's scores, with a note of where each came from.
        for indicator in try await Indicators.load(campaign: campaign.requireID(), on: sql) {
            let plan = indicatorPlan.first { $0.name == indicator.name }!
            var entries: [Indicators.Entry] = []
            for code in unitIDs.keys.sorted() {
                let spread = Int(indicator.max_points) - plan.low
                let score = Double(plan.low * 2 + dice.below(spread * 2)) / 2
                entries.append(.init(unitID: unitIDs[code]!, unitCode: code, score: score, notApplicable: false,
                                     evidence: indicator.scoring_unit_id == nil ? "考核组评分" : "年度统计数据"))
            }
            let scored = entries
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                try await Indicators.save(scored, indicator: indicator, campaign: campaign.requireID(), db: tx, audit: audit)
            }
        }
        try await move(.analysis, on(-6))
        let grading = try await CampaignGrading.run(campaign, on: app.db)
        let triggers = grading.result.triggers.filter { CampaignWorkflow.specialReportRules.contains($0.rule) }
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            for t in triggers {
                try await ReportTasks.assign(t, campaign: campaign.requireID(), to: "第一考核组", due: on(7), db: tx, audit: audit)
            }
            if let first = try await ReportTasks.load(campaign: campaign.requireID(), on: tx as! any SQLDatabase).first {
                try await ReportTasks.complete(first, campaign: campaign.requireID(), on: on(-3),
                                               summary: "经深入了解，已形成专题报告报县委组织部。", db: tx, audit: audit)
            }
        }
        // 考核登记表 (seed 001 §三(一)): 城关镇's cadres wrote their summaries, and its personnel office proposed grades —
        // one 优秀 more than the team's cap (R-Q2), which the board shows.
        let x01 = grading.roster.units.first { $0.code == "X01" }
        let proposedExcellent = (grading.result.quotas.first { $0.scope == "cadres:X01" && $0.grade == "优秀" }?.limit ?? 2) + 1
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            for (k, p) in (x01?.cadres ?? []).enumerated() where p.eligibility.status != .notAssessed {
                let change = Registration.Change(
                    summary: "\(year)年，本人认真学习贯彻党的路线方针政策，履行\(p.title)岗位职责，完成年度目标任务。不足是调查研究还不够深入，今后加以改进。",
                    training: k % 3 == 0 ? "\(year)年参加县委党校中青年干部培训班（脱产 1 个月）" : "无",
                    unitGrade: .some(k < proposedExcellent ? "优秀" : "称职"), unitNote: k < proposedExcellent ? "年度工作实绩突出" : "")
                let (before, after) = try await Registration.save(change, campaign: campaign.requireID(), cadre: p.cadreID,
                                                                  at: app.clock.epochSeconds, on: tx as! any SQLDatabase)
                audit.record(.init(action: .update, entity: .campaign, entityID: campaign.id!.uuidString,
                                   before: before.merging(["registration": p.code]) { a, _ in a },
                                   after: after.merging(["registration": p.code]) { a, _ in a }))
            }
        }
        try await move(.grading, on(-2))

        // A 试用期满考核 (R-P4) in 准备, with two cadres whose one-year probation ends this year.
        let probationPolicy = Presets.puyangProbation2020
        let probation = Self.campaign(.probation, title: "\(year)年试用期满干部考核（演示）", policy: probationPolicy, year: year, app: app)
        let listed = try await Probation.candidates(campaign: probation.id!, year: year, cutoff: Day("\(year)-12-31")!, limit: 2, on: sql)
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { [probation] tx, audit in
            try await probation.create(on: tx)
            audit.record(.init(action: .create, entity: .campaign, entityID: probation.id!.uuidString,
                               after: ["title": probation.title, "kind": probation.kind, "year": "\(year)", "cutoff": probation.cutoff, "policy": probationPolicy.name]))
            for c in listed {
                guard let starts = Day(c.start_date) else { continue }
                let ends = Probation.oneYear(after: starts)
                try await Probation.list(campaign: probation.id!, cadre: c.cadre_id, starts: starts, ends: ends, on: tx as! any SQLDatabase)
                audit.record(.init(action: .update, entity: .campaign, entityID: probation.id!.uuidString,
                                   after: ["probation": c.code, "startsOn": starts.description, "endsOn": ends.description]))
            }
        }

        // 日常考核 (seed 000): the year's checks — two filed, one overdue (R-A1; led by 城关镇, whose administrator sees it
        // on the home page), one open — and the first three quarters' 领导评价 of 城关镇 and 河口镇.
        let regularDone = try await Self.regularYear(app: app, units: unitIDs, today: today, year: year)
        // 党风廉政建设责任制检查考核 (seed 004): the checklist scored for every unit, the bottom two flagged (R-T3), and
        // three rectifications — one not submitted a month after the feedback (R-R1), one under way, one closed.
        let clean = try await Self.cleanGovernanceCycle(app: app, units: unitIDs, today: today, year: year)
        // 目标责任考核 (seed 004 第四篇): the departments' ledgers of the year so far.
        let ledgerEntries = try await Self.ledgerYear(app: app, units: unitIDs, today: today, year: year)
        context.console.print("考核：\(campaign.title)，12 个单位的民主测评已结束，共 \(ballots) 张测评票（均经一次性测评码投出）。")
        context.console.print("量化考核 4 项指标（发改局、财政局为考核责任单位）已打分；个别谈话 \(interviews) 人次（县财政局不足 90%），专题报告任务 \(triggers.count) 项（已完成 \(min(1, triggers.count)) 项）；考核现处于「等次评定」阶段。")
        context.console.print("考核登记表：城关镇的干部已填个人总结，单位已提出等次意见（优秀 \(proposedExcellent) 人，超出本班子指标）。")
        context.console.print("试用期满考核：\(probation.title)（准备阶段），名单中 \(listed.count) 名干部。")
        context.console.print("党风廉政建设责任制检查考核：\(clean)（12 个单位已打分；3 个单位已书面反馈，1 个逾期未报送整改措施）。")
        context.console.print("目标责任考核：6 个县直单位的台账，\(ledgerEntries) 条事项。")
        context.console.print("日常考核：\(regularDone.checks) 项（1 项报告逾期未归档，城关镇牵头）；\(regularDone.evaluations) 条季度领导评价。")
        context.console.print("账号（密码只显示这一次，首次登录后须修改）：")
        for (user, role, password) in printed { context.console.print("  \(user)（\(role)）  \(password)") }
        context.console.print("系统管理员 admin 的密码见首次启动时的提示或 KAOHE_ADMIN_PASSWORD。启动：kaohe serve，然后打开 http://127.0.0.1:8080/")
    }

    /// A campaign of the demo (not yet saved), cut off at the year's end.
    static func campaign(_ kind: Campaign.Kind, title: String, policy: Policy, year: Int, app: Application) -> Campaign {
        let campaign = Campaign()
        campaign.id = UUID()
        campaign.kind = kind.rawValue
        campaign.year = year
        campaign.cutoff = "\(year)-12-31"
        campaign.title = title
        campaign.policyName = policy.name
        campaign.policyJSON = String(decoding: policy.encodedJSON(), as: UTF8.self)
        campaign.createdAt = app.clock.epochSeconds
        return campaign
    }

    /// A clean-governance check of the year for the demo: its checklist scored, feedback and rectifications.
    static func cleanGovernanceCycle(app: Application, units: [String: UUID], today: Day, year: Int) async throws -> String {
        let policy = Presets.cleanGovernance
        let campaign = Self.campaign(.cleanGovernance, title: "\(year)年度党风廉政建设责任制检查考核（演示）", policy: policy, year: year, app: app)
        @Sendable func day(_ offset: Int) -> Day { Day(daysSinceEpoch: today.daysSinceEpoch + offset) }
        try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { [campaign] tx, audit in
            let sql = tx as! any SQLDatabase
            try await campaign.create(on: tx)
            audit.record(.init(action: .create, entity: .campaign, entityID: campaign.id!.uuidString,
                               after: ["title": campaign.title, "kind": campaign.kind, "year": "\(year)", "policy": policy.name]))
            try await CleanGovernance.seedChecklist(campaign: campaign.id!, policy: policy, db: tx, audit: audit)
            // Scores: most items full, fewer points the further down the list of units (X05, X06 last).
            var dice = Dice(state: 4)
            let indicators = try await Indicators.load(campaign: campaign.id!, on: sql)
            for (k, code) in units.keys.sorted().enumerated() {
                for i in indicators {
                    let lost = Double(dice.below(2)) * (code.hasPrefix("X") ? Double(k) * 0.2 : 0.5)
                    try await sql.insert(into: "indicator_scores").columns("id", "indicator_id", "unit_id", "score", "not_applicable", "evidence")
                        .values(SQLBind(UUID()), SQLBind(i.id), SQLBind(units[code]!), SQLBind(max(0, i.max_points - lost)), SQLBind(false), SQLBind("现场检查")).run()
                }
            }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaign.id!.uuidString, after: ["scores": "\(indicators.count * units.count)"]))
            // 廉政建设考核表 (R-S9): the months so far this year, 14 items each.
            for month in 1...max(1, today.components.month - 1) {
                for code in units.keys.sorted() {
                    let items = (0..<14).map { k in Double(k < 2 ? 8 : 7) - Double(dice.below(4)) * 0.5 }
                    try await sql.insert(into: "scorecards").columns("id", "campaign_id", "unit_id", "month", "items_json")
                        .values(SQLBind(UUID()), SQLBind(campaign.id!), SQLBind(units[code]!), SQLBind(month),
                                SQLBind(String(decoding: try JSONEncoder().encode(items), as: UTF8.self))).run()
                }
            }
            // Feedback and rectification.
            let plan: [(code: String, feedback: Day, measures: [(String, String, String, Day, Day?)], submitted: Day?, closed: Day?)] = [
                ("X06", day(-45), [], nil, nil),
                ("X05", day(-40), [("廉政教育不经常", "每季度开展一次警示教育", "党委副书记", day(-5), nil),
                                   ("“三重一大”记录不完整", "完善会议记录制度", "党政办主任", day(30), nil)], day(-20), nil),
                ("Z02", day(-60), [("公务接待台账不规范", "按规定建立接待台账", "办公室主任", day(-30), day(-32))], day(-35), day(-10)),
            ]
            for p in plan {
                guard let unit = units[p.code] else { continue }
                let id = UUID()
                try await sql.insert(into: "rectifications")
                    .columns("id", "campaign_id", "unit_id", "feedback_on", "feedback", "methods", "submitted_on", "closed_on")
                    .values(SQLBind(id), SQLBind(campaign.id!), SQLBind(unit), SQLBind(p.feedback.description), SQLBind("检查考核中发现的问题见附件，请于一个月内报送整改措施。"),
                            SQLBind("自查自评、民主评议、现场检查"),
                            SQLBind(p.submitted?.description), SQLBind(p.closed?.description)).run()
                for (n, m) in p.measures.enumerated() {
                    try await sql.insert(into: "rectification_measures").columns("id", "rectification_id", "problem", "measure", "owner", "due_on", "evidence", "done_on", "position")
                        .values(SQLBind(UUID()), SQLBind(id), SQLBind(m.0), SQLBind(m.1), SQLBind(m.2), SQLBind(m.3.description),
                                SQLBind(m.4 == nil ? nil : "已完成，见台账"), SQLBind(m.4?.description), SQLBind(n + 1)).run()
                }
                audit.record(.init(action: .create, entity: .campaign, entityID: campaign.id!.uuidString,
                                   after: ["rectification": p.code, "feedbackOn": p.feedback.description]))
            }
        }
        return campaign.title
    }

    /// The departments' target-responsibility ledgers (R-S8): headcounts and a few dozen events each.
    static func ledgerYear(app: Application, units: [String: UUID], today: Day, year: Int) async throws -> Int {
        let rules = Ledger.preset.targetResponsibility!
        let kinds = ["studyAbsenceWithLeave", "studyAbsenceWithoutLeave", "conductViolation", "missedTarget", "specialWorkReport",
                     "lawEnforcementInspection", "thematicResearch", "informationArticle", "lecture", "personnelItem", "otherInnovation"]
        let start = Day(year: year, month: 1, day: 1)!
        let span = max(1, today.daysSinceEpoch - start.daysSinceEpoch)
        return try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            let sql = tx as! any SQLDatabase
            var dice = Dice(state: 8)
            var n = 0
            for (k, code) in units.keys.sorted().filter({ $0.hasPrefix("Z") }).enumerated() {
                let unit = units[code]!
                try await sql.insert(into: "ledger_headcounts").columns("id", "year", "unit_id", "headcount")
                    .values(SQLBind(UUID()), SQLBind(year), SQLBind(unit), SQLBind(6 + k)).run()
                for _ in 0..<(12 + dice.below(10)) {
                    let kind = kinds[dice.below(kinds.count)]
                    guard let item = rules.items.first(where: { $0.kind == kind }) else { continue }
                    let on = Day(daysSinceEpoch: start.daysSinceEpoch + dice.below(span))
                    let count = item.section == .common ? Double(1 + dice.below(3)) : 1
                    let points: Double? = item.section == .innovation ? Double(2 + dice.below(4)) : nil
                    try await sql.insert(into: "ledger_entries").columns("id", "year", "unit_id", "kind", "count", "points", "on_day", "evidence")
                        .values(SQLBind(UUID()), SQLBind(year), SQLBind(unit), SQLBind(kind), SQLBind(count), SQLBind(points), SQLBind(on.description),
                                SQLBind(item.section == .common ? "机关考勤和学习签到记录" : "工作台账及文件")).run()
                    n += 1
                }
            }
            audit.record(.init(action: .create, entity: .ledger, entityID: "demo-\(year)", after: ["entries": "\(n)"]))
            return n
        }
    }

    /// A year of 日常考核 for the demo: four checks of four kinds with their evaluations, and quarterly 领导评价.
    static func regularYear(app: Application, units: [String: UUID], today: Day, year: Int) async throws -> (checks: Int, evaluations: Int) {
        let sql = app.sql
        let kinds = Dictionary(uniqueKeysWithValues: try await RegularChecks.kinds(on: sql).map { ($0.code, $0.id) })
        struct Person: Decodable { var id: UUID; var code: String; var name: String; var unit: String; var unit_code: String }
        let people = try await sql.raw("""
            SELECT c.id, c.code, c.name, u.name AS unit, u.code AS unit_code FROM posts p JOIN cadres c ON c.id = p.cadre_id JOIN units u ON u.id = p.unit_id
            WHERE p.main_duty = TRUE AND p.end_date IS NULL AND u.code IN ('X01', 'X02', 'Z03') ORDER BY c.code
            """).all(decoding: Person.self)
        func person(_ unit: String, _ k: Int) -> Person? { people.filter { $0.unit_code == unit }.dropFirst(k).first }
        func day(_ offset: Int) -> Day { Day(daysSinceEpoch: today.daysSinceEpoch + offset) }
        struct Planned { var kind: String; var title: String; var lead: String?; var started: Day; var ended: Day; var filed: Day?
                         var scope: String; var conclusion: String; var subjects: [(team: String?, cadre: Person?, evaluation: String, handling: String?)] }
        let plan: [Planned] = [
            Planned(kind: "economic-audit", title: "县财政局主要负责人任中经济责任审计", lead: "Z03", started: day(-160),
                    ended: day(-120), filed: day(-110),
                    scope: "县财政局党组书记任职期间的财政资金管理使用", conclusion: "财务管理总体规范，个别专项资金拨付滞后，已督促整改。",
                    subjects: [(nil, person("Z03", 0), "良好", "谈话提醒"), ("Z03", nil, "较好", "督促整改")]),
            Planned(kind: "democratic-life", title: "城关镇领导班子民主生活会情况考核", lead: nil, started: day(-202),
                    ended: day(-200), filed: day(-190),
                    scope: "城关镇党委领导班子及成员", conclusion: "批评与自我批评开展较好，查摆问题具体，整改措施明确。",
                    subjects: [("X01", nil, "好", nil), (nil, person("X01", 0), "优秀", nil), (nil, person("X01", 1), "良好", nil)]),
            Planned(kind: "major-matters", title: "重点项目推进情况专项督查", lead: "X01", started: day(-40), ended: day(-25), filed: nil,
                    scope: "城关镇重点项目建设和领导批示件办理", conclusion: "项目总体按计划推进，一个项目征地进度滞后。",
                    subjects: [(nil, person("X01", 5), "一般", "批评教育"), ("X01", nil, "较好", nil)]),
            Planned(kind: "petitions", title: "河口镇信访反映问题查核", lead: "X02", started: day(-12), ended: day(-5), filed: nil,
                    scope: "群众反映河口镇农村低保评定问题", conclusion: "反映问题部分属实，已责成纠正。",
                    subjects: [(nil, person("X02", 4), "一般", "函询")]),
        ]
        let evaluations = try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
            let sql = tx as! any SQLDatabase
            for p in plan {
                guard let kind = kinds[p.kind] else { continue }
                let id = UUID()
                try await RegularChecks.insert(.init(kindID: kind, title: p.title, leadUnit: p.lead.flatMap { units[$0] }, started: p.started, ended: p.ended,
                                                     place: "", scope: p.scope, methods: "查阅资料、个别谈话、实地查看", assessors: "考核组 李明、王芳",
                                                     content: "按 seed 000 第五条开展\(p.title)。", conclusion: p.conclusion, written: p.ended), id: id, on: sql)
                for s in p.subjects {
                    if let unit = s.team, let unitID = units[unit] {
                        let name = try await Team.query(on: tx).filter(\.$unit.$id == unitID).first()?.name ?? unit
                        let unitName = try await Unit.find(unitID, on: tx)?.name ?? unit
                        try await RegularChecks.addSubject(check: id, subject: "team", code: unit, name: name, unitName: unitName,
                                                           evaluation: s.evaluation, handling: s.handling, on: sql)
                    } else if let c = s.cadre {
                        try await RegularChecks.addSubject(check: id, subject: "cadre", code: c.code, name: c.name, unitName: c.unit,
                                                           evaluation: s.evaluation, handling: s.handling, on: sql)
                    }
                }
                if let filed = p.filed {
                    try await sql.update("regular_checks").set("filed_on", to: SQLBind(filed.description)).where("id", .equal, SQLBind(id)).run()
                }
                audit.record(.init(action: .create, entity: .regularCheck, entityID: id.uuidString,
                                   after: ["title": p.title, "kind": p.kind, "endedOn": p.ended.description, "filedOn": p.filed?.description ?? ""]))
            }
            // 领导评价, the quarters so far: mostly 良好, the units' first two now and then 优秀.
            var dice = Dice(state: 13)
            var evaluations = 0
            for (k, c) in people.filter({ $0.unit_code != "Z03" }).enumerated() {
                // The quarters ended so far (at least the first, so that the page has something to show in spring).
                for q in RegularChecks.periods.prefix(max(1, min(3, (today.components.month - 1) / 3))) {
                    let grade = k % 13 < 2 && dice.below(2) == 0 ? "优秀" : (dice.below(6) == 0 ? "一般" : "良好")
                    try await sql.insert(into: "regular_evaluations").columns("id", "cadre_id", "year", "period", "source", "grade")
                        .values(SQLBind(UUID()), SQLBind(c.id), SQLBind(year), SQLBind(q), SQLBind(RegularChecks.leaderEvaluation), SQLBind(grade)).run()
                    evaluations += 1
                }
            }
            audit.record(.init(action: .create, entity: .regularEvaluation, entityID: "demo", after: ["year": "\(year)", "count": "\(evaluations)"]))
            return evaluations
        }
        return (plan.count, evaluations)
    }

    /// One 干部 row of the demo roster; a few cadres carry the facts that make the rules visible.
    func row(_ n: Int, _ name: String, _ unit: String, _ title: String, principal: Bool, dice: inout Dice, year: Int) -> [CellValue] {
        var v: [RosterColumn: CellValue] = [
            .code: .text(String(format: "D%04d", n)), .name: .text(name), .gender: dice.below(4) == 0 ? "女" : "男",
            .birthDate: .text(String(format: "%04d-%02d-%02d", 1965 + dice.below(25), 1 + dice.below(12), 1 + dice.below(28))),
            .politicalStatus: "中共党员", .education: dice.below(3) == 0 ? "研究生" : "大学本科",
            .rank: principal ? "正科" : "副科", .unitCode: .text(unit), .title: .text(title),
            .principal: principal ? "是" : "否", .mainDuty: "主职",
            .startDate: .text(String(format: "%04d-%02d-01", year - 1 - dice.below(5), 1 + dice.below(12))),
            .year: .text("\(year)"), .leaveDays: "0",
        ]
        switch n {
        case 7: v[.retiredOn] = .text("\(year)-09-30")            // R-E6: retired after more than half a year
        case 20: v[.leaveDays] = "200"                           // R-E5: leave of more than half a year
        case 33: v[.underInvestigation] = "是"                    // R-E7: graded after the case closes
        case 46: v[.retiredOn] = .text("\(year)-03-31")           // R-E6: less than half a year: not assessed
        default: break
        }
        return RosterColumn.allCases.map { v[$0] ?? .empty }
    }
}
