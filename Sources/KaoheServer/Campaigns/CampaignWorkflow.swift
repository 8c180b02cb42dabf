import AssessmentCore
import Crypto
import Fluent
import Foundation
import SQLKit

/// 考核工作流程 (seed 002 §三, seed 003 §五): a campaign stands in one phase at a time and moves one step at a time,
/// forward under guards or back with a reason. Each kind of change is allowed in some phases only; after the
/// committee's approval (审定) nothing changes until the organisation department reopens the campaign, with a reason.
enum CampaignPhase: String, CaseIterable, Sendable {
    case prepare, fieldwork, analysis, grading, approval, feedback

    var label: String {
        switch self {
        case .prepare: "准备"
        case .fieldwork: "实地考核"
        case .analysis: "汇总分析"
        case .grading: "等次评定"
        case .approval: "审定"
        case .feedback: "反馈归档"
        }
    }

    var next: CampaignPhase? { Self.allCases.firstIndex(of: self).flatMap { $0 + 1 < Self.allCases.count ? Self.allCases[$0 + 1] : nil } }
    var previous: CampaignPhase? { Self.allCases.firstIndex(of: self).flatMap { $0 > 0 ? Self.allCases[$0 - 1] : nil } }
    /// The results are approved: nothing of the campaign changes.
    var isLocked: Bool { self == .approval || self == .feedback }
}

/// A kind of change to a campaign and the phases that allow it.
enum CampaignChange: Sendable {
    /// Arranging a democratic evaluation, issuing codes, entering paper ballots, closing or reopening it.
    case evaluation
    /// Marking a unit as holding no democratic evaluation.
    case exemption
    case participation
    case interviews
    case reportTasks
    case decisions
    /// Setting up the quantitative indicators, and scoring them.
    case indicators, scores
    /// Writing the feedback to teams and cadres (published in 反馈归档).
    case feedback
    /// Handing in a team's summary and lists, a cadre's report.
    case materials
    /// R-P4: listing the cadres whose probation ends.
    case probationList
    /// Filling the 考核登记表: the cadre's summary, the unit's training record and proposed grade.
    case registration

    var label: String {
        switch self {
        case .evaluation: "安排和办理民主测评"
        case .exemption: "标注不开展民主测评的单位"
        case .participation: "调整参加考核的干部"
        case .interviews: "记录个别谈话"
        case .reportTasks: "安排和办理专题报告"
        case .decisions: "确定等次"
        case .indicators: "设置量化考核指标"
        case .scores: "填报量化考核得分"
        case .feedback: "填写反馈意见"
        case .materials: "提交考核材料"
        case .probationList: "调整试用期满干部名单"
        case .registration: "填写考核登记表"
        }
    }

    /// Why this change cannot be made in `phase` (nil: it can): the refusal of a form, and the note of a page that
    /// shows no form then.
    func note(in phase: CampaignPhase) -> String? {
        guard !phases.contains(phase) else { return nil }
        if phase.isLocked {
            return "考核结果已经审定（当前阶段：\(phase.label)），不能\(label)。确需修改的，由组织部在考核页面填写原因重新打开。"
        }
        return "当前阶段为「\(phase.label)」，不能\(label)（\(label)在「\(phases.map(\.label).joined(separator: "」「"))」阶段办理）。"
    }

    var phases: [CampaignPhase] {
        switch self {
        case .evaluation, .exemption, .probationList: [.prepare, .fieldwork]
        case .participation: [.prepare, .fieldwork, .analysis, .grading]
        case .interviews: [.fieldwork, .analysis, .grading]
        case .reportTasks: [.analysis, .grading]
        case .decisions: [.grading]
        case .indicators: [.prepare, .fieldwork, .analysis]
        case .scores: [.fieldwork, .analysis]
        case .feedback: [.approval, .feedback]
        case .materials: [.prepare, .fieldwork, .analysis]
        case .registration: [.prepare, .fieldwork, .analysis, .grading]
        }
    }
}

enum CampaignWorkflow {
    /// The triggers that call for a special report (seed 003 §五(三)2).
    static let specialReportRules: Set<String> = ["R-T1", "R-T2"]

    /// R-P1 (seed 003 §五(二)): interviews cover at least 90% of the evaluation's participants.
    static let interviewCoveragePercent = 90

    static func phase(of campaign: UUID, on sql: any SQLDatabase) async throws -> CampaignPhase {
        struct Row: Decodable { var phase: String }
        let raw = try await sql.raw("SELECT phase FROM campaigns WHERE id = \(bind: campaign)").first(decoding: Row.self)?.phase
        guard let raw, let phase = CampaignPhase(rawValue: raw) else { throw RequestFailure.notFound(.campaign) }
        return phase
    }

    /// Refuses `change` unless the campaign's phase allows it. Called inside the change's audited transaction: every
    /// audited writer takes the chain head first, so a phase move cannot slip between this check and the change.
    static func require(_ change: CampaignChange, campaign: UUID, on db: any Database) async throws {
        let phase = try await phase(of: campaign, on: db as! any SQLDatabase)
        guard change.phases.contains(phase) else { throw refusal(change, phase: phase) }
    }

    static func refusal(_ change: CampaignChange, phase: CampaignPhase) -> RequestFailure {
        .invalid(change.note(in: phase) ?? "")
    }

    // MARK: History

    struct Step: Decodable, Sendable { var seq: Int; var phase: String; var on_day: String; var reason: String }

    static func history(of campaign: UUID, on sql: any SQLDatabase) async throws -> [Step] {
        try await sql.raw("SELECT seq, phase, on_day, reason FROM campaign_phases WHERE campaign_id = \(bind: campaign) ORDER BY seq")
            .all(decoding: Step.self)
    }

    // MARK: Progress of each unit

    /// What a unit has done in the campaign, for the campaign page and the guards.
    struct UnitProgress: Sendable {
        enum Evaluation: Sendable, Equatable { case none, open, closed, exempt(String) }
        var evaluation: Evaluation = .none
        /// People who took part in the unit's evaluation: its ballots and its void paper sheets.
        var participants = 0
        var interviews = 0
        /// R-P1: interviews needed (90% of the participants, rounded up).
        var interviewsNeeded: Int { (participants * CampaignWorkflow.interviewCoveragePercent + 99) / 100 }
        var interviewsShort: Bool { evaluation == .closed && interviews < interviewsNeeded }
    }

    static func progress(of campaign: UUID, on sql: any SQLDatabase) async throws -> [UUID: UnitProgress] {
        struct S: Decodable { var unit_id: UUID; var status: String; var n: Int }
        struct E: Decodable { var unit_id: UUID; var reason: String }
        struct I: Decodable { var unit_id: UUID; var n: Int }
        var result: [UUID: UnitProgress] = [:]
        for s in try await sql.raw("""
            SELECT s.unit_id, s.status, (SELECT COUNT(*) FROM ballots b WHERE b.session_id = s.id)
              + (SELECT COUNT(*) FROM paper_sheets p WHERE p.session_id = s.id AND p.status = \(bind: PaperBallots.voided)) AS n
            FROM evaluation_sessions s WHERE s.campaign_id = \(bind: campaign)
            """).all(decoding: S.self) {
            result[s.unit_id, default: .init()].evaluation = s.status == EvaluationSession.open ? .open : .closed
            result[s.unit_id, default: .init()].participants = s.n
        }
        for e in try await sql.raw("SELECT unit_id, reason FROM evaluation_exemptions WHERE campaign_id = \(bind: campaign)").all(decoding: E.self)
        where result[e.unit_id]?.evaluation == nil || result[e.unit_id]?.evaluation == UnitProgress.Evaluation.none {
            result[e.unit_id, default: .init()].evaluation = .exempt(e.reason)
        }
        for i in try await sql.raw("SELECT unit_id, COUNT(*) AS n FROM interviews WHERE campaign_id = \(bind: campaign) AND withdrawn IS NULL GROUP BY unit_id")
            .all(decoding: I.self) {
            result[i.unit_id, default: .init()].interviews = i.n
        }
        return result
    }

    // MARK: Guards

    /// Why the campaign cannot move forward to `phase` (empty: it can).
    static func blockers(to phase: CampaignPhase, grading: CampaignGrading, progress: [UUID: UnitProgress],
                         tasks: [ReportTasks.Task], unscored: [String] = []) -> [String] {
        switch phase {
        case .grading, .approval:
            // Every earlier guard again (a unit added to the registry since must not slip through), then this one's.
            let scores = unscored.isEmpty ? [] : ["量化考核得分尚未填报完整：\(listed(unscored))。"]
            var found = blockers(to: .analysis, grading: grading, progress: progress, tasks: tasks) + scores
            if phase == .approval {
                // Seed 003 §五(三)2: a trigger calls for a special report, written before the results are decided.
                let done = Set(tasks.filter { $0.done_on != nil }.map { "\($0.rule) \($0.subject)" })
                let missing = grading.result.triggers.filter { specialReportRules.contains($0.rule) && !done.contains("\($0.rule) \($0.subject)") }
                if !missing.isEmpty { found.append("以下对象触发专题报告，报告尚未完成：\(listed(missing.map { "\($0.rule) \($0.subject)" }))。") }
            }
            return found
        case .analysis:
            // No grading of a unit before its evaluation is closed (or marked as not held).
            var open: [String] = [], missing: [String] = []
            for unit in grading.roster.units {
                switch progress[unit.unitID]?.evaluation ?? .none {
                case .open: open.append(unit.name)
                case .none where grading.roster.isEvaluated(unit): missing.append(unit.name)
                case .none, .closed, .exempt: break
                }
            }
            let empty = grading.roster.cadresOnly && grading.roster.units.isEmpty
            return (empty ? ["试用期满干部名单为空（或名单中的干部在截止日期均无主要职务）：请先列出本次考核的干部。"] : [])
                + (open.isEmpty ? [] : ["民主测评尚未结束：\(listed(open))。"])
                + (missing.isEmpty ? [] : ["尚未安排民主测评（不开展的请标注原因）：\(listed(missing))。"])
        case .prepare, .fieldwork, .feedback:
            return []
        }
    }

    static func listed(_ names: [String]) -> String {
        names.prefix(20).joined(separator: "、") + (names.count > 20 ? " 等 \(names.count) 个" : "")
    }

    // MARK: Moving

    /// Moves the campaign one phase forward (under the guards of `blockers`; into 审定 with the meeting and its date,
    /// storing the approved snapshot) or one phase back with a reason (out of 审定: reopening, which removes the stored
    /// approval; its hashes stay in the audit log). Inside the caller's audited transaction.
    static func move(_ campaign: Campaign, to: CampaignPhase, on day: Day, today: Day, reason: String, meeting: String,
                     db tx: any Database, audit: AuditRecorder) async throws {
        let sql = tx as! any SQLDatabase
        let campaignID = try campaign.requireID()
        let current = try await phase(of: campaignID, on: sql)
        // The record of the steps stays in order and in the past.
        guard day <= today else { throw RequestFailure.invalid("「日期」\(day) 晚于今天：阶段按实际发生的日期记录。") }
        if let last = try await history(of: campaignID, on: sql).last, let lastDay = Day(last.on_day), day < lastDay {
            throw RequestFailure.invalid("「日期」\(day) 早于上一阶段的日期 \(last.on_day)。")
        }
        var after = ["phase": to.label, "on": day.description]
        if to == current.next {
            if [.analysis, .grading, .approval].contains(to) {
                let grading = try await CampaignGrading.run(campaign, on: tx)
                let unscored = to == .analysis ? [] : Indicators.gaps(
                    policy: try campaign.policy(), indicators: try await Indicators.load(campaign: campaignID, on: sql),
                    scores: try await Indicators.scores(campaign: campaignID, on: sql), units: grading.roster.teams)
                let found = blockers(to: to, grading: grading, progress: try await progress(of: campaignID, on: sql),
                                     tasks: try await ReportTasks.load(campaign: campaignID, on: sql), unscored: unscored)
                guard found.isEmpty else { throw RequestFailure.invalid(["不能进入「\(to.label)」阶段："] + found) }
                if to == .approval {
                    guard !meeting.isEmpty else { throw RequestFailure.invalid("「审定会议」必填，如「县委常委会 2026 年第 40 次会议」。") }
                    let decisions = try await GradeDecisions.load(campaign: campaignID, on: sql).values.flatMap(\.values)
                    let (a, grades) = try approval(from: grading, campaign: campaign, decisions: decisions, on: day, meeting: meeting)
                    for chunk in stride(from: 0, to: grades.count, by: 500) {
                        let insert = sql.insert(into: "approved_grades").columns("campaign_id", "subject", "code", "grade", "name", "unit_name")
                        for g in grades[chunk..<min(chunk + 500, grades.count)] {
                            insert.values(SQLBind(campaignID), SQLBind(g.subject), SQLBind(g.code), SQLBind(g.grade), SQLBind(g.name), SQLBind(g.unit))
                        }
                        try await insert.run()
                    }
                    try await sql.insert(into: "campaign_approvals")
                        .columns("campaign_id", "approved_on", "meeting", "policy_sha256", "input_sha256", "output_sha256",
                                 "decisions_sha256", "input_json", "output_json", "decisions_json")
                        .values(SQLBind(campaignID), SQLBind(a.approved_on), SQLBind(a.meeting), SQLBind(a.policy_sha256),
                                SQLBind(a.input_sha256), SQLBind(a.output_sha256), SQLBind(a.decisions_sha256),
                                SQLBind(a.input_json), SQLBind(a.output_json), SQLBind(a.decisions_json)).run()
                    after["meeting"] = meeting
                    after["policySHA256"] = a.policy_sha256
                    after["inputSHA256"] = a.input_sha256
                    after["outputSHA256"] = a.output_sha256
                    after["decisionsSHA256"] = a.decisions_sha256
                }
            }
        } else if to == current.previous {
            guard !reason.isEmpty else {
                throw RequestFailure.invalid(current == .approval ? "重新打开已审定的考核须填写原因。" : "退回上一阶段须填写原因。")
            }
            if current == .approval {
                try await sql.raw("DELETE FROM campaign_approvals WHERE campaign_id = \(bind: campaignID)").run()
                try await sql.raw("DELETE FROM approved_grades WHERE campaign_id = \(bind: campaignID)").run()
            }
        } else {
            throw RequestFailure.invalid("当前阶段为「\(current.label)」：只能进入下一阶段或退回上一阶段（页面可能已过时，请刷新）。")
        }
        struct Seq: Decodable { var n: Int? }
        let seq = (try await sql.raw("SELECT MAX(seq) AS n FROM campaign_phases WHERE campaign_id = \(bind: campaignID)")
            .first(decoding: Seq.self)?.n ?? 0) + 1
        try await sql.raw("UPDATE campaigns SET phase = \(bind: to.rawValue) WHERE id = \(bind: campaignID)").run()
        try await sql.insert(into: "campaign_phases").columns("id", "campaign_id", "seq", "phase", "on_day", "reason")
            .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(seq), SQLBind(to.rawValue), SQLBind(day.description), SQLBind(reason)).run()
        audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                           before: ["phase": current.label], after: after, reason: reason.isEmpty ? nil : reason))
    }

    // MARK: The committee's approval (常委会审定)

    struct Approval: Decodable, Sendable {
        var approved_on: String
        var meeting: String
        var policy_sha256: String
        var input_sha256: String
        var output_sha256: String
        var decisions_sha256: String
        var input_json: String
        var output_json: String
        var decisions_json: String
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// The approved campaign as stored: the policy, the engine's input (`kaohe grade --input` reads it back), its
    /// output as `kaohe grade` writes it, and the decisions; with the SHA-256 of each.
    static func approval(from grading: CampaignGrading, campaign: Campaign, decisions: [GradeDecisions.Decision],
                         on day: Day, meeting: String) throws -> (Approval, grades: [ApprovedSubject]) {
        let policy = try campaign.policy()
        let input = grading.dataset.inputJSON(policy: policy)
        // Graded from the input as stored (numbers at its six decimals), as every later reading and `kaohe grade` will.
        let stored = try Dataset.read(input, policy: policy)
        let result = GradingEngine.grade(policy: policy, dataset: stored)
        let output = result.json(dataset: stored, policy: policy)
        // Names and units as they stand now, for the archive (the registry changes later).
        let unitNames = Dictionary(grading.roster.units.map { ($0.code, $0.name) }) { a, _ in a }
        let grades = stored.teams.indices.map { i in
            ApprovedSubject(subject: "team", code: stored.teams[i].id, grade: result.teams[i].grade,
                            name: stored.teams[i].name ?? stored.teams[i].id, unit: unitNames[stored.teams[i].id] ?? "")
        } + stored.cadres.indices.map { i in
            ApprovedSubject(subject: "cadre", code: stored.cadres[i].id, grade: result.cadres[i].grade,
                            name: stored.cadres[i].name ?? stored.cadres[i].id, unit: unitNames[stored.cadres[i].team] ?? "")
        }
        let decisionsJSON = "[" + decisions.sorted { ($0.subject, $0.code) < ($1.subject, $1.code) }
            .map { SortedJSON.object(["subject": $0.subject, "code": $0.code, "grade": $0.grade, "reason": $0.reason]) }
            .joined(separator: ",") + "]"
        return (Approval(approved_on: day.description, meeting: meeting,
                        policy_sha256: sha256(Data(campaign.policyJSON.utf8)), input_sha256: sha256(input),
                        output_sha256: sha256(output), decisions_sha256: sha256(Data(decisionsJSON.utf8)),
                        input_json: String(decoding: input, as: UTF8.self), output_json: String(decoding: output, as: UTF8.self),
                        decisions_json: decisionsJSON), grades)
    }

    /// One subject's approved grade and the approval's date and meeting, without grading the campaign again.
    struct ApprovedSubject: Sendable { var subject: String; var code: String; var grade: String?; var name: String; var unit: String }

    struct ApprovedGrade: Decodable, Sendable { var grade: String?; var approved_on: String; var meeting: String }
    static func approvedGrade(campaign: UUID, subject: String, code: String, on sql: any SQLDatabase) async throws -> ApprovedGrade? {
        try await sql.raw("""
            SELECT g.grade, a.approved_on, a.meeting FROM approved_grades g JOIN campaign_approvals a ON a.campaign_id = g.campaign_id
            WHERE g.campaign_id = \(bind: campaign) AND g.subject = \(bind: subject) AND g.code = \(bind: code)
            """).first(decoding: ApprovedGrade.self)
    }

    static func storedApproval(of campaign: UUID, on sql: any SQLDatabase) async throws -> Approval? {
        try await sql.raw("""
            SELECT approved_on, meeting, policy_sha256, input_sha256, output_sha256, decisions_sha256, input_json, output_json, decisions_json
            FROM campaign_approvals WHERE campaign_id = \(bind: campaign)
            """).first(decoding: Approval.self)
    }
}
