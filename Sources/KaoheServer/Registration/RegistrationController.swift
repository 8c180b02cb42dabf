import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 干部年度考核登记表 (seed 001 §三(一)): the cadre fills the 个人总结; the unit's administrator (政工人事部门) fills the
/// training and the unit's proposed grade; the organisation department may fill either; the unit's group reads them.
/// The print view is one A4 sheet per cadre, a whole unit's forms in one print.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let people = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember, .unitAdmin, .cadre))
        people.get(.campaignRegistration, use: Self.index)
        people.post(.campaignRegistration, use: Self.save)
        people.get(.campaignRegistrationPrint, use: Self.print)
        people.get(.campaignRegistrationDOCX, use: Self.docx)
    }

    /// One cadre's form as the account may see it: who they are in the campaign, and what the account may fill.
    struct Subject: Sendable {
        var participant: CampaignRoster.Participant
        var unit: CampaignRoster.UnitPart
        var writesSummary: Bool
        var writesUnitPart: Bool
    }

    /// The units of the campaign whose forms the account may read (none for a cadre, who reads only their own).
    static func readableUnits(_ req: Request, _ roster: CampaignRoster) async throws -> [CampaignRoster.UnitPart] {
        guard req.account?.role != .cadre else { return [] }
        let scope = try await req.scope()
        return roster.units.filter { scope.allowsUnit($0.unitID) && $0.cadres.contains { $0.eligibility.status != .notAssessed } }
    }

    /// The cadre `id` of the campaign, if the account may read their form (404 otherwise: a URL reveals nothing).
    static func subject(_ req: Request, _ roster: CampaignRoster, _ id: UUID?) async throws -> Subject {
        guard let account = req.account, let id else { throw RequestFailure.notFound(.cadre) }
        for unit in roster.units {
            guard let p = unit.cadres.first(where: { $0.cadreID == id }), p.eligibility.status != .notAssessed else { continue }
            let own = account.role == .cadre && account.$cadre.id == id
            let inScope = try await readableUnits(req, roster).contains { $0.unitID == unit.unitID }
            guard own || inScope else { break }
            let wide = account.role.isDepartmentWide
            return Subject(participant: p, unit: unit, writesSummary: own || wide,
                           writesUnitPart: wide || (account.role == .unitAdmin && account.$unit.id == unit.unitID))
        }
        throw RequestFailure.notFound(.cadre)
    }

    struct Facts: Encodable {
        var name = "", gender = "", birth = "", ethnicity = "", nativePlace = "", political = "", partyJoined = ""
        var workStart = "", education = "", rank = "", rankSince = "", unit = "", post = ""
    }
    struct FormView: Encodable {
        var cadreID: String; var code: String; var facts: Facts
        var summary: String; var summaryChars: Int; var summaryDay: String?
        var training: String; var unitGrade: String?; var unitNote: String; var unitDay: String?
        var decided: String?
        var writesSummary: Bool; var writesUnitPart: Bool; var grades: [SelectOption]
    }
    struct CadreLink: Encodable { var name: String; var title: String; var link: String; var summary: Bool; var unitGrade: String? }
    struct UnitLink: Encodable { var name: String; var link: String; var filled: String; var selected: Bool }
    struct Page: Encodable {
        var page: PageContext
        var title: String; var back: String?
        var units: [UnitLink]; var unit: String?; var cadres: [CadreLink]; var unitPrint: String?
        var form: FormView?; var print: String?
        /// A cadre who is not assessed in this campaign (their home page lists every campaign taking forms).
        var notAssessed = false
        var canEdit: Bool; var phaseNote: String?
        var action: String; var summaryLimit: Int; var trainingLimit: Int
    }

    static func facts(_ cadre: Cadre, _ s: Subject) -> Facts {
        Facts(name: cadre.name, gender: cadre.gender, birth: cadre.birthDate ?? "", ethnicity: cadre.ethnicity, nativePlace: cadre.nativePlace,
              political: cadre.politicalStatus, partyJoined: cadre.partyJoined, workStart: cadre.workStart, education: cadre.education,
              rank: cadre.rank, rankSince: cadre.rankSince, unit: s.unit.name, post: s.participant.title)
    }

    static func formView(_ req: Request, _ s: Subject, stored: Registration.Stored?, decided: String?, policy: Policy) async throws -> FormView {
        guard let cadre = try await Cadre.find(s.participant.cadreID, on: req.db) else { throw RequestFailure.notFound(.cadre) }
        func day(_ t: Double?) -> String? { t.map { req.clock.day(of: Date(timeIntervalSince1970: $0)).description } }
        return FormView(cadreID: s.participant.cadreID.uuidString, code: s.participant.code, facts: facts(cadre, s),
                        summary: stored?.summary ?? "", summaryChars: CharacterCount.count(stored?.summary ?? ""), summaryDay: day(stored?.summary_at),
                        training: stored?.training ?? "", unitGrade: stored?.unit_grade, unitNote: stored?.unit_note ?? "", unitDay: day(stored?.unit_at),
                        decided: decided, writesSummary: s.writesSummary, writesUnitPart: s.writesUnitPart,
                        grades: [SelectOption(value: "", label: "（不变）", selected: true)]
                            + policy.cadreScale.grades.map { SelectOption(value: $0, label: $0) } + [SelectOption(value: withdraw, label: "撤回意见")])
    }
    static let withdraw = "撤回"

    /// The grade that stands for the cadre once approved (the stored approval), for the form's 考核等次 line.
    static func approvedGrade(_ req: Request, campaign: UUID, code: String) async throws -> String? {
        try await CampaignWorkflow.approvedGrade(campaign: campaign, subject: "cadre", code: code, on: req.sql)?.grade
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let policy = try campaign.policy()
        let roster = try await CampaignGrading.current(campaign, on: req).roster
        let path = SiteRoute.campaignRegistration(campaignID).path
        let printPath = SiteRoute.campaignRegistrationPrint(campaignID).path
        // A cadre goes straight to their own form.
        var cadreID = req.query[String.self, at: "cadre"].flatMap(UUID.init(uuidString:))
        if req.account?.role == .cadre {
            guard let own = req.account?.$cadre.id else { throw RequestFailure.notFound(.cadre) }
            cadreID = own
        }
        var form: FormView?, print: String?, notAssessed = false
        var chosenUnit = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:))
        if req.account?.role == .cadre, let cadreID, !roster.units.contains(where: { $0.cadres.contains { $0.cadreID == cadreID && $0.eligibility.status != .notAssessed } }) {
            notAssessed = true
        } else if let cadreID {
            let s = try await subject(req, roster, cadreID)
            let stored = try await Registration.load(campaign: campaignID, cadres: [cadreID], on: req.sql)[cadreID]
            form = try await formView(req, s, stored: stored, decided: try await approvedGrade(req, campaign: campaignID, code: s.participant.code), policy: policy)
            print = printPath + listQueryString([("cadre", cadreID.uuidString)])
            chosenUnit = s.unit.unitID
        }
        let units = try await readableUnits(req, roster)
        let stored = try await Registration.load(campaign: campaignID, on: req.sql)
        let chosen = units.first { $0.unitID == chosenUnit } ?? (units.count == 1 ? units.first : nil)
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let page = Page(
            page: PageContext(req, title: "考核登记表 · \(campaign.title)"), title: campaign.title,
            back: req.account?.role == .cadre ? nil : SiteRoute.campaign(campaignID).path,
            units: units.prefix(500).map { u in
                let assessed = u.cadres.filter { $0.eligibility.status != .notAssessed }
                let done = assessed.filter { stored[$0.cadreID]?.summary.isEmpty == false }.count
                return UnitLink(name: u.name, link: path + listQueryString([("unit", u.unitID.uuidString)]),
                                filled: "个人总结 \(done)/\(assessed.count)", selected: u.unitID == chosen?.unitID)
            },
            unit: chosen?.name,
            cadres: chosen?.cadres.filter { $0.eligibility.status != .notAssessed }.map { p in
                CadreLink(name: p.name, title: p.title, link: path + listQueryString([("cadre", p.cadreID.uuidString)]),
                          summary: stored[p.cadreID]?.summary.isEmpty == false, unitGrade: stored[p.cadreID]?.unit_grade)
            } ?? [],
            unitPrint: chosen.map { printPath + listQueryString([("unit", $0.unitID.uuidString)]) },
            form: form, print: print, notAssessed: notAssessed,
            canEdit: CampaignChange.registration.phases.contains(phase), phaseNote: CampaignChange.registration.note(in: phase),
            action: path, summaryLimit: Registration.summaryLimit, trainingLimit: Registration.trainingLimit)
        return try await req.view.render("registration/index", page).encodeResponse(for: req)
    }

    struct SaveForm: Content {
        var cadre: String?; var summary: String?; var clearSummary: String?; var training: String?; var clearTraining: String?
        var unitGrade: String?; var unitNote: String?
    }

    /// Saves what the account may fill. A blank text keeps the stored one unless its 清空 box is ticked; the grade
    /// 「（不变）」 keeps the unit's opinion, 「撤回意见」 withdraws it.
    @Sendable static func save(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let policy = try campaign.policy()
        let form = try req.content.decode(SaveForm.self)
        let roster = try await CampaignGrading.current(campaign, on: req).roster
        let s = try await subject(req, roster, form.cadre.flatMap(UUID.init(uuidString:)))
        var change = Registration.Change()
        var problems: [String] = []
        func text(_ value: String?, clear: String?, field: String, limit: Int) -> String? {
            let t = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if t.count > limit { problems.append("「\(field)」最多 \(limit) 个字符（现有 \(t.count) 个）。"); return nil }
            if TextChecks.hasControl(t) { problems.append("「\(field)」含有无法保存的控制字符，请删去后再提交。"); return nil }
            if t.isEmpty { return clear == "是" ? "" : nil }
            return t
        }
        if s.writesSummary { change.summary = text(form.summary, clear: form.clearSummary, field: "个人总结", limit: Registration.summaryLimit) }
        if s.writesUnitPart {
            change.training = text(form.training, clear: form.clearTraining, field: "参加脱产培训情况", limit: Registration.trainingLimit)
            let note = text(form.unitNote, clear: nil, field: "等次意见说明", limit: Registration.noteLimit)
            switch form.unitGrade ?? "" {
            case "": break
            case withdraw: change.unitGrade = .some(nil); change.unitNote = ""
            case let g where policy.cadreScale.index(of: g) != nil: change.unitGrade = .some(g); change.unitNote = note ?? ""
            default: problems.append("「党委（党组）确定的考核等次意见」请选择 \(policy.cadreScale.grades.joined(separator: "、")) 或 撤回意见。")
            }
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        guard !change.isEmpty else { throw RequestFailure.invalid("没有要保存的内容：空白的栏目保留原有内容（要清空请勾选「清空」）。") }
        let saved = change
        try await req.audited { tx, audit in
            try await CampaignWorkflow.require(.registration, campaign: campaignID, on: tx)
            let (before, after) = try await Registration.save(saved, campaign: campaignID, cadre: s.participant.cadreID,
                                                              at: req.clock.epochSeconds, on: tx as! any SQLDatabase)
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: before.merging(["registration": s.participant.code]) { a, _ in a },
                               after: after.merging(["registration": s.participant.code]) { a, _ in a }))
        }
        return req.redirect(to: SiteRoute.campaignRegistration(campaignID).path
                            + listQueryString([("cadre", s.participant.cadreID.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    struct PrintPage: Encodable {
        var page: PageContext
        var campaign: String; var year: Int; var state: String; var dataDay: String
        var forms: [FormView]; var formCount: Int
    }

    /// The forms of `?unit=` (every assessed cadre of a unit the account may read) or of one cadre (`?cadre=`; a
    /// cadre's own), with the campaign's approval state.
    static func forms(_ req: Request) async throws -> (campaign: Campaign, forms: [FormView], approval: String?, phase: CampaignPhase) {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let policy = try campaign.policy()
        let grading = try await CampaignGrading.current(campaign, on: req)
        var subjects: [Subject] = []
        if let unitID = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)) {
            guard let unit = try await readableUnits(req, grading.roster).first(where: { $0.unitID == unitID }) else { throw RequestFailure.notFound(.unit) }
            for p in unit.cadres where p.eligibility.status != .notAssessed { subjects.append(try await subject(req, grading.roster, p.cadreID)) }
        } else {
            let id = req.account?.role == .cadre ? req.account?.$cadre.id : req.query[String.self, at: "cadre"].flatMap(UUID.init(uuidString:))
            subjects = [try await subject(req, grading.roster, id)]
        }
        let stored = try await Registration.load(campaign: campaignID, cadres: subjects.map(\.participant.cadreID), on: req.sql)
        var forms: [FormView] = []
        for s in subjects {
            let decided = grading.approval != nil ? try await approvedGrade(req, campaign: campaignID, code: s.participant.code) : nil
            forms.append(try await formView(req, s, stored: stored[s.participant.cadreID], decided: decided, policy: policy))
        }
        return (campaign, forms, grading.approval.map { "\($0.approved_on) \($0.meeting)审定" }, try await CampaignWorkflow.phase(of: campaignID, on: req.sql))
    }

    /// 干部年度考核登记表 for printing: one A4 sheet per cadre (front: the facts and the summary; back: training, the
    /// unit's opinion and the grade), a cadre's own or a whole unit's.
    @Sendable static func print(req: Request) async throws -> View {
        let (campaign, forms, approval, phase) = try await forms(req)
        return try await req.view.render("registration/print", PrintPage(
            page: PageContext(req, title: "干部年度考核登记表"), campaign: campaign.title, year: campaign.year,
            state: approval ?? "草稿（\(phase.label)阶段，未审定）",
            dataDay: req.clock.today.description, forms: forms, formCount: forms.count))
    }

    /// The same forms as a .docx (one per sheet, both sides), for Word or WPS.
    @Sendable static func docx(req: Request) async throws -> Response {
        let (campaign, forms, approval, phase) = try await forms(req)
        let stamp = DocumentStamp(campaign: campaign.title, dataDay: req.clock.today, approved: approval, phase: phase.label)
        let doc = CampaignDocuments.registration(forms.map { f in
            .init(name: f.facts.name, gender: f.facts.gender, birth: f.facts.birth, ethnicity: f.facts.ethnicity, nativePlace: f.facts.nativePlace,
                  political: f.facts.political, partyJoined: f.facts.partyJoined, workStart: f.facts.workStart, education: f.facts.education,
                  rank: f.facts.rank, rankSince: f.facts.rankSince, unit: f.facts.unit, post: f.facts.post, summary: f.summary, training: f.training,
                  unitGrade: f.unitGrade, unitNote: f.unitNote, decided: f.decided)
        }, year: campaign.year, stamp: stamp)
        let name = forms.count == 1 ? forms[0].facts.name : (forms.first?.facts.unit ?? "干部")
        return Response.docx(try doc.data(), filename: "\(name)-干部年度考核登记表.docx")
    }
}
