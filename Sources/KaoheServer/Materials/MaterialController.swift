import AssessmentCore
import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 考核材料 (seed 002 §三(一)): each team's 工作总结 and its four lists (实绩、特色工作、问题、建议), each cadre's 述职述廉述学
/// report — typed, or read from an uploaded .docx or .txt — with the length in 字 checked against the policy (R-P3:
/// shown, not refused; the group sends an overlong report back). The unit's administrator, its assessment group and
/// the organisation department enter them, before 等次评定.
struct MaterialController: RouteCollection {
    static let maxUploadBytes = 10 << 20
    static let maxChars = 50_000

    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember, .unitAdmin))
        staff.get(.campaignMaterials, use: Self.index)
        // The upload: role first, then the CSRF token with the upload limit, then the body (see CSRFMiddleware).
        staff.grouped(CSRFMiddleware(maxBodySize: Self.maxUploadBytes))
            .post(.campaignMaterials, body: .collect(maxSize: ByteCount(value: Self.maxUploadBytes)), use: Self.save)
        staff.get(.campaignMaterialFile, use: Self.file)
        staff.get(.campaignPublicity, use: Self.publicityNotice)
        staff.post(.campaignPublicity, use: Self.savePublicity)
    }

    enum Kind: String, CaseIterable, Sendable {
        case summary, achievements, features, problems, suggestions, report
        /// R-P5 (seed 002 §二2 一报告两评议): the 党委（党组）'s report on its selection and appointment work.
        case selectionReport
        var label: String {
            switch self {
            case .summary: "领导班子工作总结"
            case .achievements: "实绩清单"
            case .features: "特色工作清单"
            case .problems: "问题清单"
            case .suggestions: "建议清单"
            case .report: "述职述廉述学报告"
            case .selectionReport: "干部选拔任用工作报告"
            }
        }
        /// What a unit hands in for its team under `policy`: the summary and the four lists (年度考核), the selection
        /// report (一报告两评议), nothing when no team is assessed (试用期满考核).
        static func teamKinds(_ policy: Policy) -> [Kind] {
            switch policy.subjects {
            case .teamsAndCadres: [.summary, .achievements, .features, .problems, .suggestions]
            case .selectionReview: [.selectionReport]
            case .probationCadres: []
            }
        }
        var subject: String { self == .report ? "cadre" : "team" }
        func rule(_ policy: Policy) -> LengthRule? {
            switch self {
            case .summary: policy.materials?.teamSummary
            case .report: policy.materials?.cadreReport
            default: nil
            }
        }
    }

    struct Stored: Decodable, Sendable { var unit_id: UUID; var subject: String; var code: String; var kind: String; var text: String; var filename: String?; var chars: Int; var updated_at: Double }

    static func load(campaign: UUID, unit: UUID?, on sql: any SQLDatabase) async throws -> [Stored] {
        if let unit {
            return try await sql.raw("""
                SELECT unit_id, subject, code, kind, text, filename, chars, updated_at FROM materials WHERE campaign_id = \(bind: campaign) AND unit_id = \(bind: unit)
                """).all(decoding: Stored.self)
        }
        return try await sql.raw("""
            SELECT unit_id, subject, code, kind, '' AS text, filename, chars, updated_at FROM materials WHERE campaign_id = \(bind: campaign)
            """).all(decoding: Stored.self)
    }

    struct Item: Encodable {
        var subject: String; var code: String; var kind: String; var label: String; var who: String
        var chars: String; var problem: String?; var text: String; var filename: String?; var updated: String?
        /// The PDF handed in, to download.
        var fileLink: String? = nil
    }
    struct UnitLink: Encodable { var name: String; var link: String; var status: String; var selected: Bool }
    struct Page: Encodable {
        var page: PageContext
        var title: String; var back: String?
        var units: [UnitLink]
        var unit: String?; var unitID: String?
        var items: [Item]
        var action: String; var canEdit: Bool; var phaseNote: String?
        var limits: String
        /// 实绩公示 of the chosen unit.
        var publicityRequired: Bool; var publicity: String?; var publicityAction: String; var noticeLink: String?
        var today: String
    }

    static func allowedUnits(_ req: Request, _ grading: CampaignGrading) async throws -> [CampaignRoster.UnitPart] {
        let scope = try await req.scope()
        return grading.roster.units.filter { grading.roster.isEvaluated($0) && scope.allowsUnit($0.unitID) }
    }

    /// The unit a form names, if it is one the account may hand materials in for.
    static func formUnit(_ req: Request, _ campaign: Campaign, _ text: String?) async throws -> CampaignRoster.UnitPart {
        let grading = try await CampaignGrading.current(campaign, on: req)
        guard let unitID = text.flatMap(UUID.init(uuidString:)),
              let unit = try await allowedUnits(req, grading).first(where: { $0.unitID == unitID }) else {
            throw RequestFailure.invalid("「单位」请从列表中选择您负责的单位。")
        }
        return unit
    }

    @Sendable static func index(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let policy = try campaign.policy()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let allowed = try await allowedUnits(req, grading)
        let chosen = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)).flatMap { id in allowed.first { $0.unitID == id } }
            ?? (allowed.count == 1 ? allowed.first : nil)
        let all = try await load(campaign: campaignID, unit: nil, on: req.sql)
        let path = SiteRoute.campaignMaterials(campaignID).path
        let units = allowed.prefix(500).map { u in
            let n = all.filter { $0.unit_id == u.unitID }.count
            let expected = (u.teamName == nil ? 0 : Kind.teamKinds(policy).count) + u.cadres.filter(\.onBallot).count
            return UnitLink(name: u.name, link: path + listQueryString([("unit", u.unitID.uuidString)]),
                            status: "已交 \(n) / \(expected)", selected: u.unitID == chosen?.unitID)
        }
        var items: [Item] = []
        if let chosen {
            let stored = Dictionary(try await load(campaign: campaignID, unit: chosen.unitID, on: req.sql).map { ("\($0.subject) \($0.code) \($0.kind)", $0) }) { a, _ in a }
            struct F: Decodable { var subject: String; var code: String; var kind: String }
            let files = Set(try await req.sql.raw("SELECT subject, code, kind FROM material_files WHERE campaign_id = \(bind: campaignID)")
                .all(decoding: F.self).map { "\($0.subject) \($0.code) \($0.kind)" })
            func item(_ kind: Kind, code: String, who: String) -> Item {
                let key = "\(kind.subject) \(code) \(kind.rawValue)"
                let s = stored[key]
                let uncounted = s.map { $0.text.isEmpty && files.contains(key) } ?? false
                return Item(subject: kind.subject, code: code, kind: kind.rawValue, label: kind.label, who: who,
                            chars: s.map { uncounted ? "已交 PDF，未计字" : "\($0.chars) 字" } ?? "未交",
                            problem: uncounted ? "PDF 无法核对字数，请在下面粘贴文字" : s.flatMap { kind.rule(policy)?.problem(count: $0.chars) },
                            text: s?.text ?? "", filename: s?.filename,
                            updated: s.map { req.clock.day(of: Date(timeIntervalSince1970: $0.updated_at)).description },
                            fileLink: files.contains(key) ? SiteRoute.campaignMaterialFile(campaignID).path
                                + listQueryString([("unit", chosen.unitID.uuidString), ("subject", kind.subject), ("code", code), ("kind", kind.rawValue)]) : nil)
            }
            items = (chosen.teamName == nil ? [] : Kind.teamKinds(policy).map { item($0, code: chosen.code, who: chosen.teamName ?? chosen.name) })
                + chosen.cadres.filter(\.onBallot).map { item(.report, code: $0.code, who: "\($0.name)（\($0.title)）") }
        }
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let canEdit = CampaignChange.materials.phases.contains(phase)
        let limits = [Kind.summary, .report].compactMap { k in
            k.rule(policy).map { "\(k.label)\($0.atMost ? "不超过" : "") \($0.chars) 字\($0.atMost ? "" : "左右")" }
        }
        var publicity: Publicity.Entry?
        if let chosen { publicity = try await Publicity.load(campaign: campaignID, unit: chosen.unitID, on: req.sql) }
        return try await req.view.render("materials/index", Page(
            page: PageContext(req, title: "考核材料 · \(campaign.title)"), title: campaign.title,
            back: req.account?.role == .unitAdmin ? nil : SiteRoute.campaign(campaignID).path,
            units: Array(units), unit: chosen?.name, unitID: chosen?.unitID.uuidString, items: items, action: path,
            canEdit: canEdit, phaseNote: CampaignChange.materials.note(in: phase),
            limits: limits.isEmpty ? "考核办法未规定材料字数。" : "字数要求（R-P3）：" + limits.joined(separator: "；") + "。",
            publicityRequired: policy.materials?.publicity == true,
            publicity: publicity.map { "\($0.starts_on) 至 \($0.ends_on)，意见反映：\($0.contact)" },
            publicityAction: SiteRoute.campaignPublicity(campaignID).path,
            noticeLink: chosen.map { SiteRoute.campaignPublicity(campaignID).path + listQueryString([("unit", $0.unitID.uuidString)]) },
            today: req.clock.today.description))
    }

    struct Form: Content { var unit: String?; var subject: String?; var code: String?; var kind: String?; var text: String?; var file: File? }

    /// The text of an uploaded file: .docx or .txt (UTF-8, or GB18030 as Windows Notepad saves Chinese). A PDF has
    /// none here (kept as the file of record, its text pasted for the count).
    static func text(of file: File) throws -> String {
        let data = Data(buffer: file.data)
        let name = file.filename.lowercased()
        if name.hasSuffix(".pdf") {
            guard data.starts(with: Data("%PDF-".utf8)) else { throw RequestFailure.invalid("文件「\(file.filename.prefix(80))」不是 PDF 文件。") }
            return ""
        }
        do {
            if name.hasSuffix(".docx") { return try DOCXText.plainText(data) }
            if name.hasSuffix(".txt") { return try CSVReader.decode(data) }
        } catch {
            throw RequestFailure.invalid("文件「\(file.filename.prefix(80))」无法读取：\(error)")
        }
        if name.hasSuffix(".doc") {
            throw RequestFailure.invalid("「\(file.filename.prefix(80))」：旧版 .doc 无法读取，请另存为 .docx 后上传，或直接粘贴文字。")
        }
        throw RequestFailure.invalid("「文件」只接受 .docx、.pdf 或 .txt。")
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(Form.self)
        let unit = try await formUnit(req, campaign, form.unit)
        let unitID = unit.unitID
        let policy = try campaign.policy()
        guard let kind = form.kind.flatMap(Kind.init(rawValue:)), let code = form.code,
              kind.subject == "team" ? code == unit.code && Kind.teamKinds(policy).contains(kind)
                                     : unit.cadres.contains(where: { $0.code == code && $0.onBallot }) else {
            throw RequestFailure.invalid("「材料」不属于该单位。")
        }
        var filename: String?
        var text = (form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var pdf: Data?
        let key = (subject: kind.subject, code: code, kind: kind.rawValue)
        if let file = form.file, file.data.readableBytes > 0 {
            guard !TextChecks.hasControl(file.filename) else { throw RequestFailure.invalid("「文件名」含有控制字符，请改名后上传。") }
            filename = String(file.filename.prefix(200))
            if file.filename.lowercased().hasSuffix(".pdf") {
                // The PDF is the file of record; the typed text (or the text handed in before) is what is counted.
                _ = try Self.text(of: file)
                pdf = Data(buffer: file.data)
                if text.isEmpty { text = try await load(campaign: campaignID, unit: unitID, on: req.sql).first { ($0.subject, $0.code, $0.kind) == key }?.text ?? "" }
            } else {
                text = try Self.text(of: file).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        // A blank never erases what was handed in.
        guard !text.isEmpty || pdf != nil else { throw RequestFailure.invalid("「\(kind.label)」内容为空：请粘贴文字或上传 .docx、.pdf、.txt 文件。") }
        guard text.count <= maxChars else { throw RequestFailure.invalid("「\(kind.label)」过长（最多 \(maxChars) 字）。") }
        guard !TextChecks.hasControl(text) else { throw RequestFailure.invalid("「\(kind.label)」含有无法保存的控制字符。") }
        let chars = CharacterCount.count(text)
        let stored = text, name = filename, file = pdf
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.materials, campaign: campaignID, on: tx)
            // An uploaded file replaces the PDF before (a .docx or .txt is the material now); text typed alone keeps the
            // PDF: it is the PDF's text, for the count.
            if file != nil || name != nil {
                try await sql.raw("""
                    DELETE FROM material_files WHERE campaign_id = \(bind: campaignID) AND subject = \(bind: key.subject) AND code = \(bind: code) AND kind = \(bind: key.kind)
                    """).run()
            }
            if let file, let name {
                try await sql.insert(into: "material_files").columns("id", "campaign_id", "subject", "code", "kind", "filename", "content", "sha256")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(key.subject), SQLBind(code), SQLBind(key.kind), SQLBind(name),
                            SQLBind(file), SQLBind(CampaignWorkflow.sha256(file))).run()
            }
            try await sql.raw("""
                DELETE FROM materials WHERE campaign_id = \(bind: campaignID) AND subject = \(bind: kind.subject) AND code = \(bind: code) AND kind = \(bind: kind.rawValue)
                """).run()
            try await sql.insert(into: "materials").columns("id", "campaign_id", "unit_id", "subject", "code", "kind", "text", "filename", "chars", "updated_at")
                .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(unitID), SQLBind(kind.subject), SQLBind(code), SQLBind(kind.rawValue),
                        SQLBind(stored), SQLBind(name), SQLBind(chars), SQLBind(req.clock.epochSeconds)).run()
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["material": kind.label, "subject": code, "chars": "\(chars)", "file": name ?? "（文字）",
                                       "sha256": CampaignWorkflow.sha256(Data(stored.utf8))]
                                   .merging(file.map { ["fileSHA256": CampaignWorkflow.sha256($0)] } ?? [:]) { a, _ in a }))
        }
        return req.redirect(to: SiteRoute.campaignMaterials(campaignID).path
                            + listQueryString([("unit", unitID.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    /// The PDF handed in for a material, to the accounts that may see the unit's materials.
    @Sendable static func file(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let unit = try await formUnit(req, campaign, req.query[String.self, at: "unit"])
        let subject = req.query[String.self, at: "subject"] ?? "", code = req.query[String.self, at: "code"] ?? ""
        let kind = req.query[String.self, at: "kind"] ?? ""
        guard subject == "team" ? code == unit.code : unit.cadres.contains(where: { $0.code == code }) else { throw RequestFailure.notFound(.page) }
        struct Row: Decodable { var filename: String; var content: Data }
        guard let row = try await req.sql.raw("""
            SELECT filename, content FROM material_files WHERE campaign_id = \(bind: try campaign.requireID()) AND subject = \(bind: subject)
              AND code = \(bind: code) AND kind = \(bind: kind)
            """).first(decoding: Row.self) else { throw RequestFailure.notFound(.page) }
        return Response.pdf(row.content, filename: row.filename)
    }

    // MARK: 实绩公示

    struct PublicityForm: Content { var unit: String?; var startsOn: String?; var endsOn: String?; var contact: String? }

    @Sendable static func savePublicity(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(PublicityForm.self)
        let unit = try await formUnit(req, campaign, form.unit)
        let unitID = unit.unitID
        var problems: [String] = []
        let starts = Day((form.startsOn ?? "").trimmingCharacters(in: .whitespaces))
        let ends = Day((form.endsOn ?? "").trimmingCharacters(in: .whitespaces))
        if starts == nil { problems.append("「公示开始」应为日期，如 2026-12-01。") }
        if ends == nil { problems.append("「公示结束」应为日期，如 2026-12-07。") }
        if let starts, let ends, ends < starts { problems.append("「公示结束」不能早于「公示开始」。") }
        let contact = (form.contact ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(contact.count) { problems.append("「意见反映方式」必填，最多 100 字（如「县委组织部干部科，电话 0000-1234567」）。") }
        guard problems.isEmpty, let starts, let ends else { throw RequestFailure.invalid(problems) }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.materials, campaign: campaignID, on: tx)
            try await sql.raw("DELETE FROM publicity WHERE campaign_id = \(bind: campaignID) AND unit_id = \(bind: unitID)").run()
            try await sql.insert(into: "publicity").columns("id", "campaign_id", "unit_id", "starts_on", "ends_on", "contact")
                .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(unitID), SQLBind(starts.description), SQLBind(ends.description), SQLBind(contact)).run()
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["publicity": unit.code, "startsOn": starts.description, "endsOn": ends.description, "contact": contact]))
        }
        return req.redirect(to: SiteRoute.campaignMaterials(campaignID).path
                            + listQueryString([("unit", unitID.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    struct NoticePage: Encodable { var page: PageContext; var team: String; var achievements: String; var starts: String; var ends: String; var contact: String; var back: String }

    /// The notice to post (A4): the team's 实绩清单, the period, where opinions go.
    @Sendable static func publicityNotice(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let grading = try await CampaignGrading.current(campaign, on: req)
        guard let unitID = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)),
              let unit = try await allowedUnits(req, grading).first(where: { $0.unitID == unitID }) else {
            throw RequestFailure.notFound(.unit)
        }
        guard let entry = try await Publicity.load(campaign: campaignID, unit: unitID, on: req.sql) else {
            throw RequestFailure.invalid("「\(unit.name)」尚未安排实绩公示。")
        }
        let achievements = try await load(campaign: campaignID, unit: unitID, on: req.sql)
            .first { $0.subject == "team" && $0.kind == Kind.achievements.rawValue }?.text ?? "（实绩清单尚未提交）"
        return try await req.view.render("materials/publicity", NoticePage(
            page: PageContext(req, title: "实绩公示 · \(unit.teamName ?? unit.name)"), team: unit.teamName ?? unit.name, achievements: achievements,
            starts: entry.starts_on, ends: entry.ends_on, contact: entry.contact,
            back: SiteRoute.campaignMaterials(campaignID).path + listQueryString([("unit", unitID.uuidString)])))
    }
}
