import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 考核: the organisation department makes a campaign (kind, year, cut-off date, policy from a preset or a file);
/// the campaign page shows who takes part, unit by unit, computed from the registry on the cut-off date, and the
/// democratic evaluations. Assessment-group members see their units' part.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.get(.campaigns, use: Self.index)
        staff.post(.campaigns, use: Self.create)
        staff.get(.campaign, use: Self.show)
        staff.get(.campaignResult, use: Self.result)
        staff.post(.campaignParticipation, use: Self.changeParticipation)
        staff.post(.campaignDecisions, use: Self.decide)
    }

    struct Row: Encodable { var title: String; var kind: String; var year: Int; var cutoff: String; var policy: String; var link: String }
    struct IndexPage: Encodable {
        var page: PageContext
        var campaigns: [Row]
        var canCreate: Bool
        var action = SiteRoute.campaigns.path
        var kinds = Campaign.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }
        var presets: [SelectOption]
        var form: CreateForm
        var problems: [String]
    }

    struct CreateForm: Content {
        var title: String?
        var kind: String?
        var year: String?
        var cutoff: String?
        var preset: String?
        var policyFile: File?
    }

    @Sendable static func index(req: Request) async throws -> View {
        try await indexPage(req, form: CreateForm(), problems: [])
    }

    static func indexPage(_ req: Request, form: CreateForm, problems: [String]) async throws -> View {
        let campaigns = try await Campaign.query(on: req.db).sort(\.$year, .descending).sort(\.$createdAt, .descending).all()
        let presets = Presets.all.map { SelectOption(value: $0.name, label: "\($0.title)（\($0.name)）", selected: $0.name == form.preset) }
        return try await req.view.render("campaigns/index", IndexPage(
            page: PageContext(req, title: "考核"),
            campaigns: campaigns.map {
                Row(title: $0.title, kind: Campaign.Kind(rawValue: $0.kind)?.label ?? $0.kind, year: $0.year, cutoff: $0.cutoff,
                    policy: $0.policyName, link: SiteRoute.campaign($0.id!).path)
            },
            canCreate: req.account?.role.isDepartmentWide == true,
            presets: [SelectOption.none("（上传策略文件时不选）", selected: form.preset?.isEmpty ?? true)] + presets,
            form: CreateForm(title: form.title, kind: form.kind, year: form.year, cutoff: form.cutoff, preset: form.preset),
            problems: problems))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let form = try req.content.decode(CreateForm.self)
        var problems: [String] = []
        let title = (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems.append("「考核名称」必填。") } else if title.count > 100 { problems.append("「考核名称」最多 100 字。") }
        // This form is multipart (a policy file may come with it), which NULMiddleware does not read.
        else if title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { problems.append("「考核名称」含有控制字符，请重新输入。") }
        let kind = Campaign.Kind(rawValue: form.kind ?? "")
        if kind == nil { problems.append("「考核类型」请从列表中选择。") }
        let year = Int((form.year ?? "").trimmingCharacters(in: .whitespaces))
        if year == nil || !(2000...2100).contains(year!) { problems.append("「考核年度」应为 2000 到 2100 之间的年份，如 2026。") }
        let cutoff = Day((form.cutoff ?? "").trimmingCharacters(in: .whitespaces))
        if cutoff == nil { problems.append("「截止日期」应为日期，如 2026-12-31。") }
        var policy: Policy?
        if let file = form.policyFile, file.data.readableBytes > 0 {
            if form.preset?.isEmpty == false { problems.append("「考核办法」请选择预置办法或上传策略文件，不要两者都选。") }
            else if file.data.readableBytes > 512 * 1024 { problems.append("「策略文件」过大（最多 512 KB）。") }
            else {
                do { policy = try Policy.decode(Data(buffer: file.data)) } catch let failure as ValidationFailure {
                    problems += failure.problems.map { "策略文件：\($0.description)" }
                } catch {
                    problems.append("策略文件不是有效的 JSON：\(error)")
                }
            }
        } else if let name = form.preset, let preset = Presets.all.first(where: { $0.name == name }) {
            policy = preset
        } else {
            problems.append("「考核办法」请选择一个预置办法，或上传策略文件（kaohe policy show 的格式）。")
        }
        if let kind, let policy, kind.subjects != policy.subjects {
            let own = Campaign.Kind.allCases.first { $0.subjects == policy.subjects }
            problems.append(own != nil && own != .annual
                ? "「考核办法」\(policy.title)只用于\(own!.label)，请将「考核类型」选为\(own!.label)，或另选考核办法。"
                : "「考核类型」为\(kind.label)，「考核办法」\(policy.title)不是这一类型的办法，请另选。")
        }
        guard problems.isEmpty, let kind, let year, let cutoff, let policy else {
            let view = try await indexPage(req, form: form, problems: problems)
            let response = try await view.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        let campaign = Campaign()
        campaign.id = UUID()
        campaign.kind = kind.rawValue
        campaign.year = year
        campaign.cutoff = cutoff.description
        campaign.title = title
        campaign.policyName = policy.name
        campaign.policyJSON = String(decoding: policy.encodedJSON(), as: UTF8.self)
        campaign.createdAt = req.clock.epochSeconds
        try await req.audited { tx, audit in
            try await campaign.create(on: tx)
            audit.record(.init(action: .create, entity: .campaign, entityID: campaign.id!.uuidString,
                               after: ["title": title, "kind": kind.rawValue, "year": "\(year)", "cutoff": cutoff.description, "policy": policy.name]))
            if kind == .cleanGovernance {
                try await CleanGovernance.seedChecklist(campaign: campaign.id!, policy: policy, db: tx, audit: audit)
            }
        }
        return req.redirect(to: .campaign(campaign.id!), notice: .created)
    }

    @Sendable static func show(req: Request) async throws -> View {
        try await CampaignPage.render(req, campaign: try await req.campaign())
    }

    // MARK: Participation

    struct ParticipationForm: Content { var cadre: String?; var participates: String? }

    /// 组织部 decides that a cadre takes part, or not, against the rules (「参加」/「不参加」), or goes back to the rules
    /// (「按规则」): always with a reason, audited. Sessions already prepared keep their ballot; grading follows at once.
    @Sendable static func changeParticipation(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let form = try req.content.decode(ParticipationForm.self)
        guard let cadreID = form.cadre.flatMap(UUID.init(uuidString:)), let cadre = try await Cadre.find(cadreID, on: req.db) else {
            throw RequestFailure.invalid("「干部」不存在。")
        }
        let choice = form.participates ?? ""
        guard ["参加", "不参加", "按规则"].contains(choice) else { throw RequestFailure.invalid("「是否参加」请选择 参加、不参加 或 按规则。") }
        let reason = try req.correctionReason()
        let campaignID = try campaign.requireID()
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.participation, campaign: campaignID, on: tx)
            struct Row: Decodable { var participates: Bool; var reason: String }
            let before = try await sql.raw("SELECT participates, reason FROM participation_changes WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)")
                .first(decoding: Row.self)
            try await sql.raw("DELETE FROM participation_changes WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)").run()
            if choice != "按规则" {
                try await sql.insert(into: "participation_changes").columns("id", "campaign_id", "cadre_id", "participates", "reason")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(cadreID), SQLBind(choice == "参加"), SQLBind(reason)).run()
            }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["cadre": cadre.code, "participation": before.map { $0.participates ? "参加" : "不参加" } ?? "按规则"],
                               after: ["cadre": cadre.code, "participation": choice], reason: reason))
        }
        return req.redirect(to: .campaign(campaignID), notice: .saved)
    }

    // MARK: Decisions (等次评定)

    struct DecisionForm: Content { var subject: String?; var code: String?; var grade: String?; var reason: String?; var page: String?; var category: String? }

    /// 组织部 decides a team's or a cadre's grade, or withdraws the decision (「按建议」). The grading is made again with
    /// it first: a decision that breaks a rule (a cap, a principal's limit) is saved only with a reason, and the
    /// violation stays on the result page. Audited; the result page follows at once.
    @Sendable static func decide(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(DecisionForm.self)
        guard let subject = form.subject.flatMap(GradeDecisions.Subject.init(rawValue:)), let code = form.code, (1...64).contains(code.count) else {
            throw RequestFailure.invalid("「对象」不存在。")
        }
        let policy = try campaign.policy()
        let scale = subject == .team ? policy.teamScale : policy.cadreScale
        let choice = form.grade ?? ""
        let grade: String? = choice == withdraw ? nil : choice
        if let grade, scale.index(of: grade) == nil {
            throw RequestFailure.invalid("「等次」请选择 \(scale.grades.joined(separator: "、")) 或 \(withdraw)。")
        }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 200 else { throw RequestFailure.invalid("「原因」最多 200 字。") }
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        guard CampaignChange.decisions.phases.contains(phase) else { throw CampaignWorkflow.refusal(.decisions, phase: phase) }
        guard let trial = try await CampaignGrading.current(campaign, on: req).trying(subject, code: code, grade: grade, policy: policy) else {
            throw RequestFailure.invalid("「对象」不在本次考核的等次评定之中。")
        }
        let broken = trial.result.violations.filter { $0.subject == code }
        if grade != nil, !broken.isEmpty, reason.isEmpty {
            throw RequestFailure.invalid(["确定为「\(choice)」不符合以下规则，须填写原因才能确定（原因与违反的规则一并留存）："]
                                         + broken.map { "\($0.rule) \($0.message)" })
        }
        try await req.audited { tx, audit in
            try await CampaignWorkflow.require(.decisions, campaign: campaignID, on: tx)
            let before = try await GradeDecisions.set(campaign: campaignID, subject: subject, code: code, grade: grade, reason: reason,
                                                      on: tx as! any SQLDatabase)
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["subject": code, "grade": before?.grade ?? withdraw],
                               after: ["subject": code, "grade": grade ?? withdraw], reason: reason.isEmpty ? nil : reason))
        }
        let page = Int(form.page ?? "").map { min(max(1, $0), Request.maxPageNumber) } ?? 1
        return req.redirect(to: SiteRoute.campaignResult(campaignID).path + listQueryString([("category", String((form.category ?? "").prefix(50))), ("page", page > 1 ? "\(page)" : ""),
                                                                                     ("notice", Notice.saved.rawValue)]))
    }
    static let withdraw = "按建议"

    // MARK: Result

    struct SubjectResult: Encodable {
        var name: String; var title: String; var status: String; var grade: String; var voteScore: String
        var reasons: [String]; var engineGrade: String?
        /// What follows from the grade under the policy (R-P4: 胜任 → 正式任职).
        var consequence: String? = nil
        /// The grade the unit proposed in the 登记表 (党委（党组）确定的考核等次意见), and whether the grade shown differs.
        var unitGrade: String? = nil; var unitDiffers = false
        /// For the decision form: the subject's kind and code, the grades to choose, and the decision standing.
        var subject = ""; var code = ""; var choices: [SelectOption] = []; var decided: String?; var decisionReason: String?
    }
    struct UnitResult: Encodable {
        var name: String; var category: String; var voted: Bool
        /// The unit's proposals counted against its team's cadre quota (seed 002 §三(三) 按照规定比例提出年度考核等次建议).
        var unitProposals: String? = nil; var unitOverQuota = false
        var team: SubjectResult?
        var cadres: [SubjectResult]
    }
    struct QuotaRow: Encodable { var scope: String; var grade: String; var base: Int; var limit: Int; var used: Int; var rule: String }
    struct ResultPage: Encodable {
        var page: PageContext
        var title: String; var back: String; var policy: String
        var units: [UnitResult]
        var quotas: [QuotaRow]
        var notices: [String]
        /// Lists cut at `listLimit`: how many more there are.
        var moreQuotas: Int; var moreNotices: Int
        var unitCount: Int; var pageNumber: Int; var pageCount: Int
        var previous: String?; var next: String?
        var canDecide: Bool; var decisionAction: String
        /// The board per category (乡镇街道, 县直单位 …): its units, and the quotas of its teams and cadres.
        var categories: [SelectOption]; var category: String; var link: String
        var phase: String; var decisionNote: String?
        var approved: String?
        var tasks: [TaskRow]; var taskAction: String; var today: String
        /// 等次分布 of the units in view (SVG).
        var charts: [String]
    }
    /// A trigger that calls for a special report (R-T1, R-T2) and its task.
    struct TaskRow: Encodable {
        var rule: String; var subject: String; var name: String; var message: String
        var assigned: Bool; var assignee: String?; var due: String?; var doneOn: String?; var summary: String?; var overdue: Bool
        var canAssign: Bool; var canComplete: Bool; var doneAction: String?
    }
    static let unitsPerPage = 20
    static let listLimit = 200

    /// The campaign graded as it stands (every unit, for the quotas; `CampaignGrading.current`), the account's units
    /// shown 20 to a page.
    @Sendable static func result(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let scope = try await req.scope()
        let result = grading.result
        func reasons(_ list: [Reason]) -> [String] { list.map { "\($0.rule) \($0.message)" } }
        func score(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "—" }
        let policy = try campaign.policy()
        let decisions = try await GradeDecisions.load(campaign: try campaign.requireID(), on: req.sql)
        let unitGrades = try await Registration.unitGrades(campaign: try campaign.requireID(), on: req.sql)
        func choices(_ scale: GradeScale, _ decided: String?) -> [SelectOption] {
            [SelectOption(value: withdraw, label: "按建议（撤销决定）", selected: decided == nil)]
                + scale.grades.map { SelectOption(value: $0, label: $0, selected: $0 == decided) }
        }
        var teamResult: [String: SubjectResult] = [:]
        for (i, t) in grading.dataset.teams.enumerated() {
            let r = result.teams[i]
            let d = decisions[.team]![t.id]
            teamResult[t.id] = SubjectResult(name: t.name ?? t.id, title: "领导班子", status: "", grade: r.grade ?? "—",
                                             voteScore: score(r.voteScore), reasons: reasons(r.reasons), engineGrade: r.engineGrade,
                                             subject: "team", code: t.id, choices: choices(policy.teamScale, d?.grade), decided: d?.grade,
                                             decisionReason: d?.reason)
        }
        var cadreResult: [String: SubjectResult] = [:]
        for (i, c) in grading.dataset.cadres.enumerated() {
            let r = result.cadres[i]
            let d = decisions[.cadre]![c.id]
            cadreResult[c.id] = SubjectResult(name: c.name ?? c.id, title: "", status: r.status.label, grade: r.grade ?? "—",
                                              voteScore: score(r.voteScore), reasons: reasons(r.reasons), engineGrade: r.engineGrade,
                                              consequence: r.grade.flatMap(policy.consequence(ofCadreGrade:)),
                                              subject: "cadre", code: c.id, choices: choices(policy.cadreScale, d?.grade), decided: d?.grade,
                                              decisionReason: d?.reason)
        }
        let visible = grading.roster.units.filter { scope.allowsUnit($0.unitID) }
        var categoryNames: [String] = []
        for u in visible where !categoryNames.contains(u.category) { categoryNames.append(u.category) }
        let category = req.query[String.self, at: "category"].flatMap { c in categoryNames.first { $0 == c } } ?? ""
        let allowed = category.isEmpty ? visible : visible.filter { $0.category == category }
        let path = SiteRoute.campaignResult(try campaign.requireID()).path
        let listPage = ListPage(allowed, perPage: unitsPerPage, requested: req.pageNumber) {
            path + listQueryString([("category", category), ("page", "\($0)")])
        }
        let shown = listPage.items
        let best = policy.cadreScale.best
        let teamQuotas = Dictionary(result.quotas.filter { $0.grade == best && $0.scope.hasPrefix("cadres:") }.map { ($0.scope, $0) }) { a, _ in a }
        let units = shown.map { u in
            // R-P4: a probation-end campaign grades no team (its unit only holds its cadres).
            UnitResult(name: u.name, category: u.category, voted: grading.votedUnits.contains(u.unitID),
                       team: grading.roster.cadresOnly ? nil : teamResult[u.code],
                       cadres: u.cadres.map { p in
                           if var r = cadreResult[p.code] {
                               r.title = p.title + (p.probation.map { "（试用期 \($0.starts) 至 \($0.ends)）" } ?? "")
                               r.unitGrade = unitGrades[p.code]
                               r.unitDiffers = r.unitGrade != nil && r.unitGrade != r.grade
                               return r
                           }
                           if let change = p.change, !change.participates {
                               return SubjectResult(name: p.name, title: p.title, status: "不参加考核", grade: "—", voteScore: "—",
                                                    reasons: ["调整 经组织部决定不参加本次考核：\(change.reason)"], engineGrade: nil)
                           }
                           if grading.approval != nil {
                               return SubjectResult(name: p.name, title: p.title, status: "未评定", grade: "—", voteScore: "—",
                                                    reasons: ["审定后名册中出现，不在已审定的结果中"], engineGrade: nil)
                           }
                           // Not graded: a unit without a 领导班子 has nothing to grade its cadres in.
                           return SubjectResult(name: p.name, title: p.title, status: "未评定", grade: "—", voteScore: "—",
                                                reasons: ["单位没有领导班子，未纳入等次评定：请在单位信息中补充领导班子"], engineGrade: nil)
                       })
        }.map { (unit: UnitResult) -> UnitResult in
            // The unit's own proposals (登记表), counted as the unit would against its team's cadre quota.
            var unit = unit
            let proposed = unit.cadres.compactMap(\.unitGrade)
            guard !proposed.isEmpty else { return unit }
            let counts = policy.cadreScale.grades.compactMap { g in
                let n = proposed.filter { $0 == g }.count
                return n > 0 ? "\(g) \(n) 人" : nil
            }
            var text = "单位（党委、党组）等次意见：\(counts.joined(separator: "、"))（\(proposed.count)/\(unit.cadres.count) 人已提出）"
            if let code = unit.team?.code, let q = teamQuotas["cadres:\(code)"] {
                let excellent = proposed.filter { $0 == best }.count
                text += "；本班子干部\(best)指标 \(q.limit) 个"
                if excellent > q.limit { text += "，单位意见超出 \(excellent - q.limit) 个"; unit.unitOverQuota = true }
            }
            unit.unitProposals = text
            return unit
        }
        let departmentWide = req.account?.role.isDepartmentWide == true
        // Notices about the account's own units only (and, with a category chosen, that category's); quotas, ties and
        // warnings for the organisation department — with a category, its teams' and units' scopes and those over every unit.
        let ownSubjects = Set(allowed.map(\.code) + allowed.flatMap { $0.cadres.map(\.code) })
        let everySubject = departmentWide && category.isEmpty
        let otherKeys = Set(categoryNames).subtracting([category]).union(Set(visible.map(\.code)).subtracting(allowed.map(\.code)))
        func inView(_ scope: String) -> Bool {
            guard !category.isEmpty, let colon = scope.firstIndex(of: ":") else { return true }
            return !otherKeys.contains(String(scope[scope.index(after: colon)...]))
        }
        let notices = (result.triggers.filter { everySubject || ownSubjects.contains($0.subject) }.map { "\($0.rule) \($0.subject)：\($0.message)" })
            + result.violations.filter { everySubject || ownSubjects.contains($0.subject) }.map { "\($0.rule) \($0.subject)：\($0.message)" }
            + (departmentWide ? result.ties.filter { inView($0.scope) }.map { "\($0.rule) \($0.scope)：\($0.message)" }
                + result.warnings.filter { inView($0.scope) }.map { "\($0.rule) \($0.scope)：\($0.message)" } : [])
        let quotas = departmentWide ? result.quotas.filter { inView($0.scope) } : []
        let campaignID = try campaign.requireID()
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        // The special reports the triggers call for (seed 003 §五(三)2), of the account's units.
        let tasks = Dictionary(try await ReportTasks.load(campaign: campaignID, on: req.sql).map { ("\($0.rule) \($0.subject)", $0) }) { a, _ in a }
        var names: [String: String] = [:]
        for u in allowed { names[u.code] = u.teamName ?? u.name; for p in u.cadres { names[p.code] = "\(p.name)（\(u.name) \(p.title)）" } }
        let tasksOpen = CampaignChange.reportTasks.phases.contains(phase)
        let today = req.clock.today
        let taskRows = result.triggers.filter { CampaignWorkflow.specialReportRules.contains($0.rule) && names[$0.subject] != nil }.prefix(listLimit).map { t in
            let task = tasks["\(t.rule) \(t.subject)"]
            return TaskRow(rule: t.rule, subject: t.subject, name: names[t.subject]!, message: t.message,
                           assigned: task != nil, assignee: task?.assignee, due: task?.due_on, doneOn: task?.done_on, summary: task?.summary,
                           overdue: task.map { $0.done_on == nil && (Day($0.due_on).map { $0 < today } ?? false) } ?? false,
                           canAssign: departmentWide && task == nil && tasksOpen,
                           canComplete: task != nil && task?.done_on == nil && tasksOpen,
                           doneAction: task.map { SiteRoute.campaignTaskDone(campaign: campaignID, task: $0.id).path })
        }
        return try await req.view.render("campaigns/result", ResultPage(
            page: PageContext(req, title: "等次建议 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaign.id!).path,
            policy: result.policy, units: Array(units),
            quotas: quotas.prefix(listLimit).map { QuotaRow(scope: $0.scope, grade: $0.grade, base: $0.base, limit: $0.limit, used: $0.used, rule: $0.rule) },
            notices: Array(notices.prefix(listLimit)),
            moreQuotas: max(0, quotas.count - listLimit), moreNotices: max(0, notices.count - listLimit),
            unitCount: allowed.count, pageNumber: listPage.number, pageCount: listPage.count,
            previous: listPage.previous, next: listPage.next,
            canDecide: departmentWide && phase == .grading, decisionAction: SiteRoute.campaignDecisions(campaignID).path,
            categories: [SelectOption.none("全部类别", selected: category.isEmpty)]
                + categoryNames.map { SelectOption(value: $0, label: $0, selected: $0 == category) },
            category: category, link: path,
            phase: phase.label,
            decisionNote: departmentWide && phase != .grading ? "等次在「等次评定」阶段确定（当前阶段：\(phase.label)）。" : nil,
            approved: grading.approval.map { "已于 \($0.approved_on) 经\($0.meeting)审定，以下为审定的结果（已锁定）。" },
            tasks: Array(taskRows), taskAction: SiteRoute.campaignTasks(campaignID).path, today: today.description,
            charts: grading.gradeDistribution(policy: policy, units: allowed).map { $0.svg() }))
    }

}

extension Request {
    /// The campaign of the route's `:id`.
    func campaign() async throws -> Campaign {
        guard let id = parameters.get("id", as: UUID.self), let campaign = try await Campaign.find(id, on: db) else {
            throw RequestFailure.notFound(.campaign)
        }
        return campaign
    }
}
