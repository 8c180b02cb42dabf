import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// The campaign's steps (`CampaignWorkflow`): moving to the next phase under its guards or back with a reason, the
/// committee's approval with its stored snapshot, units that hold no democratic evaluation, and special-report tasks.
struct WorkflowController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.post(.campaignPhase, use: Self.move)
        staff.post(.campaignExemptions, use: Self.exempt)
        staff.post(.campaignTasks, use: Self.assignTask)
        staff.post(.campaignTaskDone, use: Self.completeTask)
        staff.get(.campaignApprovedInput, use: Self.approvedInput)
        staff.get(.campaignApprovedOutput, use: Self.approvedOutput)
    }

    // MARK: Phases

    struct PhaseForm: Content { var to: String?; var on: String?; var reason: String?; var meeting: String? }

    /// 组织部 moves the campaign one phase forward (under the guards of `CampaignWorkflow.blockers`; into 审定 with the
    /// meeting and its date, storing the approved snapshot) or one phase back with a reason (out of 审定: reopening,
    /// which removes the stored approval; its hashes stay in the audit log).
    @Sendable static func move(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(PhaseForm.self)
        guard let to = CampaignPhase(rawValue: form.to ?? "") else { throw RequestFailure.invalid("「阶段」请从页面上的按钮选择。") }
        let dayText = (form.on ?? "").trimmingCharacters(in: .whitespaces)
        guard let day = dayText.isEmpty ? req.clock.today : Day(dayText) else { throw RequestFailure.invalid("「日期」应为日期，如 2026-12-20。") }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 200 else { throw RequestFailure.invalid("「原因」最多 200 字。") }
        let meeting = (form.meeting ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard meeting.count <= 100 else { throw RequestFailure.invalid("「审定会议」最多 100 字。") }
        try await req.audited { tx, audit in
            try await CampaignWorkflow.move(campaign, to: to, on: day, today: req.clock.today, reason: reason, meeting: meeting, db: tx, audit: audit)
        }
        return req.redirect(to: .campaign(campaignID), notice: .saved)
    }

    /// The approved snapshot's files, to grade again with `kaohe grade --policy … --input approved-input.json` and
    /// compare the output's SHA-256 with the one in the audit log.
    @Sendable static func approvedInput(req: Request) async throws -> Response {
        try await approvedFile(req) { ($0.input_json, "approved-input.json") }
    }

    @Sendable static func approvedOutput(req: Request) async throws -> Response {
        try await approvedFile(req) { ($0.output_json, "approved-output.json") }
    }

    static func approvedFile(_ req: Request, _ pick: (CampaignWorkflow.Approval) -> (String, String)) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        guard let approval = try await CampaignWorkflow.storedApproval(of: campaign.requireID(), on: req.sql) else {
            throw RequestFailure.notFound(.page)
        }
        let (text, name) = pick(approval)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return response
    }

    // MARK: Units without a democratic evaluation

    struct ExemptionForm: Content { var unit: String?; var reason: String?; var withdraw: String? }

    /// 组织部 marks a unit as holding no democratic evaluation in this campaign (with the reason), or withdraws the mark.
    @Sendable static func exempt(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(ExemptionForm.self)
        guard let unitID = form.unit.flatMap(UUID.init(uuidString:)) else { throw RequestFailure.invalid("「单位」请从列表中选择。") }
        let roster = try await CampaignRoster.read(campaign: campaignID, policy: campaign.policy(), year: campaign.year, cutoff: campaign.cutoffDay(),
                                                   unitIDs: [unitID], on: req.sql)
        guard let unit = roster.units.first(where: { $0.unitID == unitID && roster.isEvaluated($0) }) else {
            throw RequestFailure.invalid("「单位」请从列表中选择（本次考核中开展民主测评的单位）。")
        }
        let withdraw = form.withdraw == "是"
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard withdraw || !reason.isEmpty else { throw RequestFailure.invalid("「原因」必填：说明该单位为什么不开展民主测评。") }
        guard reason.count <= 200 else { throw RequestFailure.invalid("「原因」最多 200 字。") }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.exemption, campaign: campaignID, on: tx)
            if try await EvaluationSession.query(on: tx).filter(\.$campaign.$id == campaignID).filter(\.$unit.$id == unitID).count() > 0 {
                throw RequestFailure.invalid("「\(unit.name)」已安排民主测评，不能标注为不开展。")
            }
            try await sql.raw("DELETE FROM evaluation_exemptions WHERE campaign_id = \(bind: campaignID) AND unit_id = \(bind: unitID)").run()
            if !withdraw {
                try await sql.insert(into: "evaluation_exemptions").columns("id", "campaign_id", "unit_id", "reason")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(unitID), SQLBind(reason)).run()
            }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["unit": unit.code, "evaluation": withdraw ? "开展" : "不开展"], reason: reason.isEmpty ? nil : reason))
        }
        return req.redirect(to: .campaign(campaignID), notice: .saved)
    }

    // MARK: Special-report tasks

    struct TaskForm: Content { var rule: String?; var subject: String?; var assignee: String?; var due: String? }

    /// 组织部 assigns a trigger's special report: to whom, by when.
    @Sendable static func assignTask(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(TaskForm.self)
        let assignee = (form.assignee ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(assignee.count) else { throw RequestFailure.invalid("「承办人」必填，最多 50 字（如「第三考核组 李明」）。") }
        guard let due = Day((form.due ?? "").trimmingCharacters(in: .whitespaces)) else { throw RequestFailure.invalid("「完成期限」应为日期，如 2027-01-10。") }
        let latest = Day(daysSinceEpoch: req.clock.today.daysSinceEpoch + 730)
        guard due >= Day(year: campaign.year, month: 1, day: 1)!, due <= latest else {
            throw RequestFailure.invalid("「完成期限」应在 \(campaign.year)-01-01 到 \(latest) 之间。")
        }
        let grading = try await CampaignGrading.current(campaign, on: req)
        guard let trigger = grading.result.triggers.first(where: { CampaignWorkflow.specialReportRules.contains($0.rule) && $0.rule == form.rule && $0.subject == form.subject }) else {
            throw RequestFailure.invalid("该对象没有需要专题报告的提示（可能已因测评或谈话记录的变化而消失），请刷新页面。")
        }
        try await req.audited { tx, audit in
            try await ReportTasks.assign(trigger, campaign: campaignID, to: assignee, due: due, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignResult(campaignID).path + "?notice=\(Notice.saved.rawValue)#tasks")
    }

    struct DoneForm: Content { var summary: String?; var on: String? }

    /// The assessment group (for its units) or 组织部 records that a special report is done, with its summary.
    @Sendable static func completeTask(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let taskID = try req.pathID(.reportTask, "taskID")
        guard let task = try await ReportTasks.load(campaign: campaignID, on: req.sql).first(where: { $0.id == taskID }) else {
            throw RequestFailure.notFound(.reportTask)
        }
        // A group member acts on the tasks of its own units only (and does not learn of others').
        if req.account?.role.isDepartmentWide != true {
            let grading = try await CampaignGrading.current(campaign, on: req)
            let scope = try await req.scope()
            guard grading.roster.units.contains(where: { u in
                scope.allowsUnit(u.unitID) && (u.code == task.subject || u.cadres.contains { $0.code == task.subject })
            }) else { throw RequestFailure.notFound(.reportTask) }
        }
        let form = try req.content.decode(DoneForm.self)
        let summary = (form.summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(summary.count) else { throw RequestFailure.invalid("「报告摘要」必填，最多 500 字：写明专题报告的结论和报送情况。") }
        let dayText = (form.on ?? "").trimmingCharacters(in: .whitespaces)
        guard let day = dayText.isEmpty ? req.clock.today : Day(dayText) else { throw RequestFailure.invalid("「完成日期」应为日期，如 2027-01-08。") }
        try await req.audited { tx, audit in
            try await ReportTasks.complete(task, campaign: campaignID, on: day, summary: summary, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignResult(campaignID).path + "?notice=\(Notice.saved.rawValue)#tasks")
    }
}
