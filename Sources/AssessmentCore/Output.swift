import Foundation

// Writers for the result: JSON (contract field names and order, then added fields), aligned text tables,
// and the rows of the workbook sheets (班子, 干部, 指标使用, 预警). Output is byte-stable for the same input.

public struct ReportSheet: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]
}

public enum StatusLabel {
    public static func chinese(_ s: CadreStatus) -> String {
        switch s {
        case .graded: return "已定等次"
        case .ungraded: return "不确定等次"
        case .pending: return "待定"
        case .notAssessed: return "不参加考核"
        }
    }
}

extension GradingResult {
    /// The result as JSON. Scores have 2 decimals, shares 4; subjects in input order.
    public func json(dataset: Dataset, policy: Policy, pretty: Bool = true) -> Data {
        var w = JSONWriter(pretty: pretty, capacity: 256 + dataset.cadres.count * 400 + dataset.teams.count * 600)
        w.beginObject()
        w.key("policy"); w.string(self.policy)
        w.key("teams"); w.beginArray()
        let teamOptions = policy.teamBallot.options.map(\.label)
        let cadreOptions = policy.cadreBallot.options.map(\.label)
        for (i, t) in teams.enumerated() {
            let team = dataset.teams[i]
            w.beginObject()
            w.key("id"); w.string(team.id)
            w.key("grade"); optionalString(&w, t.grade)
            w.key("rank"); w.int(t.rank)
            w.key("rankInCategory"); w.int(t.rankInCategory)
            w.key("score"); optionalNumber(&w, t.score, 2)
            w.key("voteShares"); shares(&w, t.voteShares, teamOptions)
            w.key("reasons"); reasons(&w, t.reasons)
            w.key("name"); optionalString(&w, team.name)
            w.key("category"); w.string(team.category)
            w.key("voteScore"); optionalNumber(&w, t.voteScore, 2)
            w.key("proposal"); optionalString(&w, team.proposal)
            w.endObject()
        }
        w.endArray()
        w.key("cadres"); w.beginArray()
        for (i, c) in cadres.enumerated() {
            let cadre = dataset.cadres[i]
            w.beginObject()
            w.key("id"); w.string(cadre.id)
            w.key("status"); w.string(c.status.rawValue)
            w.key("grade"); optionalString(&w, c.grade)
            w.key("voteScore"); optionalNumber(&w, c.voteScore, 2)
            w.key("reasons"); reasons(&w, c.reasons)
            w.key("name"); optionalString(&w, cadre.name)
            w.key("team"); w.string(cadre.team)
            w.key("principal"); w.bool(cadre.principal)
            w.key("score"); optionalNumber(&w, c.score, 2)
            w.key("rankInTeam"); if let r = c.rankInTeam { w.int(r) } else { w.null() }
            w.key("voteShares"); shares(&w, c.voteShares, cadreOptions)
            w.key("excludedFromQuota"); w.bool(c.excludedFromQuota)
            w.key("separateList"); w.bool(c.separateList)
            w.key("proposal"); optionalString(&w, cadre.proposal)
            w.endObject()
        }
        w.endArray()
        w.key("quotas"); w.beginArray()
        for q in quotas {
            w.beginObject()
            w.key("scope"); w.string(q.scope)
            w.key("rule"); w.string(q.rule)
            w.key("base"); w.int(q.base)
            w.key("limit"); w.int(q.limit)
            w.key("used"); w.int(q.used)
            w.key("grade"); w.string(q.grade)
            w.key("percent"); w.number(q.percent, decimals: 2)
            w.key("rounding"); w.string(q.rounding.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("triggers"); w.beginArray()
        for t in triggers {
            w.beginObject()
            w.key("rule"); w.string(t.rule)
            w.key("subject"); w.string(t.subject)
            w.key("message"); w.string(t.message)
            w.endObject()
        }
        w.endArray()
        w.key("ties"); w.beginArray()
        for t in ties {
            w.beginObject()
            w.key("scope"); w.string(t.scope)
            w.key("rule"); w.string(t.rule)
            w.key("subjects"); w.beginArray(); for s in t.subjects { w.string(s) }; w.endArray()
            w.key("message"); w.string(t.message)
            w.key("freeSlots"); w.int(t.freeSlots)
            w.endObject()
        }
        w.endArray()
        w.key("violations"); w.beginArray()
        for v in violations {
            w.beginObject()
            w.key("subject"); w.string(v.subject)
            w.key("rule"); w.string(v.rule)
            w.key("message"); w.string(v.message)
            w.endObject()
        }
        w.endArray()
        w.key("warnings"); w.beginArray()
        for v in warnings {
            w.beginObject()
            w.key("rule"); w.string(v.rule)
            w.key("scope"); w.string(v.scope)
            w.key("message"); w.string(v.message)
            w.endObject()
        }
        w.endArray()
        if !targetResponsibility.isEmpty {
            w.key("targetResponsibility"); w.beginArray()
            for u in targetResponsibility {
                w.beginObject()
                w.key("id"); w.string(u.id)
                w.key("name"); optionalString(&w, u.name)
                w.key("headcount"); w.int(u.headcount)
                w.key("common"); w.number(u.common)
                w.key("targets"); w.number(u.targets)
                w.key("dailyTotal"); w.number(u.dailyTotal)
                w.key("dailyPerHead"); w.number(u.dailyPerHead)
                w.key("innovation"); w.number(u.innovation)
                w.key("total"); w.number(u.total)
                w.key("rank"); w.int(u.rank)
                w.endObject()
            }
            w.endArray()
        }
        if !scorecards.isEmpty {
            w.key("scorecards"); w.beginArray()
            for s in scorecards {
                w.beginObject()
                w.key("subject"); w.string(s.subject)
                w.key("months"); w.int(s.months)
                w.key("total"); w.number(s.total)
                w.key("grade"); optionalString(&w, s.grade)
                w.key("rank"); w.int(s.rank)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.bytes.append(0x0A)
        return Data(w.bytes)
    }

    private func optionalString(_ w: inout JSONWriter, _ s: String?) {
        if let s { w.string(s) } else { w.null() }
    }

    private func optionalNumber(_ w: inout JSONWriter, _ d: Double?, _ decimals: Int) {
        if let d { w.number(d, decimals: decimals) } else { w.null() }
    }

    private func shares(_ w: inout JSONWriter, _ shares: [Double]?, _ labels: [String]) {
        guard let shares else { w.null(); return }
        w.beginObject()
        for (i, l) in labels.enumerated() { w.key(l); w.number(shares[i], decimals: 4) }
        w.endObject()
    }

    private func reasons(_ w: inout JSONWriter, _ rs: [Reason]) {
        w.beginArray()
        for r in rs {
            w.beginObject()
            w.key("rule"); w.string(r.rule)
            w.key("message"); w.string(r.message)
            w.endObject()
        }
        w.endArray()
    }

    // MARK: Sheets and tables

    public func sheets(dataset: Dataset) -> [ReportSheet] {
        func num(_ d: Double?) -> String { d.map { formatDecimal($0, decimals: 2) } ?? "" }
        func why(_ rs: [Reason]) -> String { rs.map { "[\($0.rule)] \($0.message)" }.joined(separator: "；") }
        var teamRows: [[String]] = []
        for (i, t) in teams.enumerated() {
            let team = dataset.teams[i]
            teamRows.append([team.id, team.name ?? "", team.category, num(t.score), num(t.voteScore), "\(t.rank)",
                             "\(t.rankInCategory)", t.grade ?? "", team.proposal ?? "", why(t.reasons)])
        }
        var cadreRows: [[String]] = []
        for (i, c) in cadres.enumerated() {
            let cadre = dataset.cadres[i]
            cadreRows.append([cadre.id, cadre.name ?? "", cadre.team, cadre.principal ? "是" : "", StatusLabel.chinese(c.status),
                              num(c.score), num(c.voteScore), c.rankInTeam.map(String.init) ?? "", c.grade ?? "",
                              cadre.proposal ?? "", why(c.reasons)])
        }
        let quotaRows = quotas.map { q in
            [q.scope, q.rule, q.grade, formatDecimal(q.percent, decimals: 2) + "%", "\(q.base)", "\(q.limit)", "\(q.used)"]
        }
        var alerts: [[String]] = []
        for t in triggers { alerts.append([t.rule == "R-T3" ? "约谈" : "专题报告", t.rule, t.subject, t.message]) }
        for t in ties { alerts.append(["并列", t.rule, t.subjects.joined(separator: "、"), t.message]) }
        for v in violations { alerts.append(["违反规则", v.rule, v.subject, v.message]) }
        for v in warnings { alerts.append(["提示", v.rule, v.scope, v.message]) }
        var sheets = [
            ReportSheet(name: "班子", header: ["编号", "名称", "类别", "得分", "测评分", "总排名", "类别内排名", "建议等次", "人工建议", "理由"], rows: teamRows),
            ReportSheet(name: "干部", header: ["编号", "姓名", "班子", "主要负责人", "状态", "得分", "测评分", "班子内排名", "建议等次", "人工建议", "理由"], rows: cadreRows),
            ReportSheet(name: "指标使用", header: ["范围", "规则", "等次", "比例", "基数", "上限", "已用"], rows: quotaRows),
            ReportSheet(name: "预警", header: ["类型", "规则", "对象", "说明"], rows: alerts),
        ]
        if !targetResponsibility.isEmpty {
            sheets.append(ReportSheet(name: "目标责任", header: ["编号", "名称", "人数", "共性指标", "工作目标", "日常累计", "日常人均", "创新", "合计", "排名"],
                                      rows: targetResponsibility.map { u in
                                          [u.id, u.name ?? "", "\(u.headcount)", num(u.common), num(u.targets), num(u.dailyTotal),
                                           num(u.dailyPerHead), num(u.innovation), num(u.total), "\(u.rank)"]
                                      }))
        }
        if !scorecards.isEmpty {
            sheets.append(ReportSheet(name: "考核表", header: ["对象", "月数", "得分", "等次", "排名"],
                                      rows: scorecards.map { [$0.subject, "\($0.months)", num($0.total), $0.grade ?? "", "\($0.rank)"] }))
        }
        return sheets
    }

    /// Aligned text for a terminal (CJK characters count as two columns).
    public func table(dataset: Dataset) -> String {
        var out = "方案：\(policy)\n"
        for sheet in sheets(dataset: dataset) {
            out += "\n【\(sheet.name)】\n"
            if sheet.rows.isEmpty { out += "（无）\n"; continue }
            let all = [sheet.header] + sheet.rows
            var widths = [Int](repeating: 0, count: sheet.header.count)
            for row in all {
                for (j, cell) in row.enumerated() where j < widths.count - 1 { widths[j] = max(widths[j], displayWidth(cell)) }
            }
            for row in all {
                var line = ""
                for (j, cell) in row.enumerated() {
                    line += cell
                    if j < row.count - 1 { line += String(repeating: " ", count: widths[j] - displayWidth(cell) + 2) }
                }
                while line.hasSuffix(" ") { line.removeLast() }
                out += line + "\n"
            }
        }
        return out
    }
}

/// Terminal width of a string: East Asian wide and full-width characters take two columns.
public func displayWidth(_ s: String) -> Int {
    var w = 0
    for u in s.unicodeScalars {
        let v = u.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        w += wide ? 2 : 1
    }
    return w
}
