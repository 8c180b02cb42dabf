import Foundation

// Writers for the result: JSON (contract field names and order, then added fields), aligned text tables,
// and the rows of the workbook sheets (班子, 干部, 指标使用, 预警). Output is byte-stable for the same input.

public struct ReportSheet: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]
    /// Columns whose non-empty cells are numbers (for spreadsheets).
    public var numericColumns: Set<Int> = []
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
        var data = Data()
        writeJSON(dataset: dataset, policy: policy, pretty: pretty) { data.append(contentsOf: $0) }
        return data
    }

    /// Writes the JSON in pieces of about a megabyte to `sink` (called in order; the pieces together are the
    /// document), so that a large result is never held whole in memory.
    public func writeJSON(dataset: Dataset, policy: Policy, pretty: Bool = true, sink: ([UInt8]) -> Void) {
        writeJSON(dataset: dataset, policy: policy, pretty: pretty, parallelFrom: 20_000, block: 8192, sink: sink)
    }

    func writeJSON(dataset: Dataset, policy: Policy, pretty: Bool, parallelFrom: Int, block: Int, sink: ([UInt8]) -> Void) {
        let flushAt = 1 << 20
        var w = JSONWriter(pretty: pretty, capacity: flushAt + (1 << 16))
        func flush(_ force: Bool = false) {
            if w.bytes.count >= flushAt || (force && !w.bytes.isEmpty) {
                sink(w.bytes)
                w.bytes.removeAll(keepingCapacity: true)
            }
        }
        w.beginObject()
        w.field("policy"); w.string(self.policy)
        w.field("teams"); w.beginArray()
        let teamOptions = policy.teamBallot.options.map(\.label)
        let cadreOptions = policy.cadreBallot.options.map(\.label)
        for (i, t) in teams.enumerated() {
            let team = dataset.teams[i]
            w.beginObject()
            w.field("id"); w.string(team.id)
            w.field("grade"); optionalString(&w, t.grade)
            w.field("rank"); w.int(t.rank)
            w.field("rankInCategory"); w.int(t.rankInCategory)
            w.field("score"); optionalNumber(&w, t.score, 2)
            w.field("voteShares"); shares(&w, t.tally, teamOptions)
            w.field("reasons"); reasons(&w, t.reasons)
            w.field("name"); optionalString(&w, team.name)
            w.field("category"); w.string(team.category)
            w.field("voteScore"); optionalNumber(&w, t.voteScore, 2)
            if let p = team.proposal { w.field("proposal"); w.string(p) }
            if let e = t.engineGrade { w.field("engineGrade"); w.string(e) }
            if let r = t.engineReasons { w.field("engineReasons"); reasons(&w, r) }
            w.endObject()
            flush()
        }
        w.endArray()
        w.field("cadres"); w.beginArray()
        // The cadre list is most of the output: on large inputs, each block of it is written in pieces by two threads
        // into reused buffers while the block before is passed on (one more task for the same threads, so that neither
        // waits for the other), in order.
        let count = cadres.count
        if count < parallelFrom {
            for i in 0..<count {
                writeCadre(&w, i, dataset, cadreOptions)
                flush()
            }
        } else {
            flush(true)
            let pieces = 4
            // Two sets of buffers: one being written, one being passed on.
            nonisolated(unsafe) let buffers = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: 2 * pieces)
            buffers.initialize(repeating: [])
            defer { buffers.deinitialize(); buffers.deallocate() }
            for k in 0..<(2 * pieces) { buffers[k].reserveCapacity(block / pieces * 1024) }
            nonisolated(unsafe) let passOn = sink  // called by one thread at a time, block after block
            var start = 0
            var set = 0
            var written: Int?  // the set holding the block written last, not yet passed on
            while start < count || written != nil {
                let end = min(count, start + block)
                let first = start
                let writing = start < count
                let (current, previous) = (set, written)
                DispatchQueue.concurrentPerform(iterations: pieces + 1) { k in
                    if k == 0 {
                        guard let previous else { return }
                        for j in 0..<pieces where !buffers[previous * pieces + j].isEmpty { passOn(buffers[previous * pieces + j]) }
                        return
                    }
                    guard writing else { return }
                    let piece = k - 1
                    let range = (first + (end - first) * piece / pieces)..<(first + (end - first) * (piece + 1) / pieces)
                    var cw = JSONWriter(pretty: pretty, elementsAtDepth: 2, leadingComma: range.lowerBound > 0, capacity: 0)
                    swap(&cw.bytes, &buffers[current * pieces + piece])
                    cw.bytes.removeAll(keepingCapacity: true)
                    // Through buffer pointers: an array's subscript would copy each cadre and result.
                    cadres.withUnsafeBufferPointer { results in
                        dataset.cadres.withUnsafeBufferPointer { inputs in
                            for i in range { writeCadre(&cw, results.baseAddress! + i, inputs.baseAddress! + i, cadreOptions) }
                        }
                    }
                    swap(&cw.bytes, &buffers[current * pieces + piece])
                }
                written = writing ? current : nil
                set = 1 - set
                start = end
            }
            if count > 0 { w.markNonEmpty() }
        }
        w.endArray()
        w.field("quotas"); w.beginArray()
        for q in quotas {
            w.beginObject()
            w.field("scope"); w.string(q.scope)
            w.field("rule"); w.string(q.rule)
            w.field("base"); w.int(q.base)
            w.field("limit"); w.int(q.limit)
            w.field("used"); w.int(q.used)
            w.field("grade"); w.string(q.grade)
            w.field("percent"); w.number(q.percent, decimals: 2)
            w.field("rounding"); w.string(q.rounding.rawValue)
            w.endObject()
            flush()
        }
        w.endArray()
        w.field("triggers"); w.beginArray()
        for t in triggers {
            w.beginObject()
            w.field("rule"); w.string(t.rule)
            w.field("subject"); w.string(t.subject)
            w.field("message"); w.string(t.message)
            w.endObject()
            flush()
        }
        w.endArray()
        w.field("ties"); w.beginArray()
        for t in ties {
            w.beginObject()
            w.field("scope"); w.string(t.scope)
            w.field("rule"); w.string(t.rule)
            w.field("subjects"); w.beginArray(); for s in t.subjects { w.string(s) }; w.endArray()
            w.field("message"); w.string(t.message)
            w.field("freeSlots"); w.int(t.freeSlots)
            w.endObject()
            flush()
        }
        w.endArray()
        w.field("violations"); w.beginArray()
        for v in violations {
            w.beginObject()
            w.field("subject"); w.string(v.subject)
            w.field("rule"); w.string(v.rule)
            w.field("message"); w.string(v.message)
            w.endObject()
            flush()
        }
        w.endArray()
        w.field("warnings"); w.beginArray()
        for v in warnings {
            w.beginObject()
            w.field("rule"); w.string(v.rule)
            w.field("scope"); w.string(v.scope)
            w.field("message"); w.string(v.message)
            w.endObject()
            flush()
        }
        w.endArray()
        if !proposalLists.isEmpty {
            w.field("proposalLists"); w.beginArray()
            for l in proposalLists {
                w.beginObject()
                w.field("scope"); w.string(l.scope)
                w.field("rule"); w.string(l.rule)
                w.field("label"); w.string(l.label)
                w.field("grade"); w.string(l.grade)
                w.field("size"); w.int(l.size)
                w.field("subjects"); w.beginArray(); for s in l.subjects { w.string(s) }; w.endArray()
                w.endObject()
            }
            w.endArray()
        }
        if !targetResponsibility.isEmpty {
            w.field("targetResponsibility"); w.beginArray()
            for u in targetResponsibility {
                w.beginObject()
                w.field("id"); w.string(u.id)
                w.field("name"); optionalString(&w, u.name)
                w.field("headcount"); w.int(u.headcount)
                w.field("common"); w.number(u.common)
                w.field("targets"); w.number(u.targets)
                w.field("dailyTotal"); w.number(u.dailyTotal)
                w.field("dailyPerHead"); w.number(u.dailyPerHead)
                w.field("innovation"); w.number(u.innovation)
                w.field("total"); w.number(u.total)
                w.field("rank"); w.int(u.rank)
                w.endObject()
            }
            w.endArray()
        }
        if !scorecards.isEmpty {
            w.field("scorecards"); w.beginArray()
            for s in scorecards {
                w.beginObject()
                w.field("subject"); w.string(s.subject)
                w.field("months"); w.int(s.months)
                w.field("total"); w.number(s.total)
                w.field("grade"); optionalString(&w, s.grade)
                w.field("rank"); w.int(s.rank)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.bytes.append(0x0A)
        flush(true)
    }

    private func writeCadre(_ w: inout JSONWriter, _ i: Int, _ dataset: Dataset, _ cadreOptions: [String]) {
        withUnsafePointer(to: cadres[i]) { c in withUnsafePointer(to: dataset.cadres[i]) { writeCadre(&w, c, $0, cadreOptions) } }
    }

    /// Fields read through pointers: a whole cadre or result passed on, even borrowed from a buffer, is copied.
    private func writeCadre(_ w: inout JSONWriter, _ c: UnsafePointer<CadreResult>, _ cadre: UnsafePointer<Cadre>, _ cadreOptions: [String]) {
        w.beginObject()
        w.field("id"); w.string(cadre.pointee.id)
        w.field("status"); w.string(c.pointee.status.rawValue)
        w.field("grade"); optionalString(&w, c.pointee.grade)
        w.field("voteScore"); optionalNumber(&w, c.pointee.voteScore, 2)
        w.field("reasons"); reasons(&w, c.pointee.reasons)
        w.field("name"); optionalString(&w, cadre.pointee.name)
        w.field("team"); w.string(cadre.pointee.team)
        w.field("principal"); w.bool(cadre.pointee.principal)
        w.field("score"); optionalNumber(&w, c.pointee.score, 2)
        w.field("rankInTeam"); if let r = c.pointee.rankInTeam { w.int(r) } else { w.null() }
        w.field("voteShares"); shares(&w, c.pointee.tally, cadreOptions)
        // Added fields that are usually false or absent are written only when set.
        if c.pointee.excludedFromQuota { w.field("excludedFromQuota"); w.bool(true) }
        if c.pointee.separateList { w.field("separateList"); w.bool(true) }
        if let by = c.pointee.entrustedTo { w.field("entrustedBy"); w.string(by) }
        if let e = c.pointee.engineGrade { w.field("engineGrade"); w.string(e) }
        if let r = c.pointee.engineReasons { w.field("engineReasons"); reasons(&w, r) }
        if let p = cadre.pointee.proposal { w.field("proposal"); w.string(p) }
        w.endObject()
    }

    private func optionalString(_ w: inout JSONWriter, _ s: String?) {
        if let s { w.string(s) } else { w.null() }
    }

    private func optionalNumber(_ w: inout JSONWriter, _ d: Double?, _ decimals: Int) {
        if let d { w.number(d, decimals: decimals) } else { w.null() }
    }

    /// Vote shares straight from the counts (no intermediate array).
    private func shares(_ w: inout JSONWriter, _ tally: [Int]?, _ labels: [String]) {
        guard let tally else { w.null(); return }
        let total = tally.reduce(0, +)
        guard total > 0 else { w.null(); return }
        w.beginObject()
        for (i, l) in labels.enumerated() { w.key(l); w.number(Double(tally[i]) / Double(total), decimals: 4) }
        w.endObject()
    }

    private func reasons(_ w: inout JSONWriter, _ rs: [Reason]) {
        w.beginArray()
        for r in rs {
            w.beginObject()
            w.field("rule"); w.string(r.rule)
            w.field("message"); w.string(r.message)
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
                             "\(t.rankInCategory)", t.grade ?? "", team.proposal ?? "", t.engineGrade ?? "", why(t.reasons)])
        }
        var cadreRows: [[String]] = []
        for (i, c) in cadres.enumerated() {
            let cadre = dataset.cadres[i]
            cadreRows.append([cadre.id, cadre.name ?? "", cadre.team, cadre.principal ? "是" : "", StatusLabel.chinese(c.status),
                              num(c.score), num(c.voteScore), c.rankInTeam.map(String.init) ?? "", c.grade ?? "",
                              cadre.proposal ?? "", c.engineGrade ?? "", why(c.reasons)])
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
            ReportSheet(name: "班子", header: ["编号", "名称", "类别", "得分", "测评分", "总排名", "类别内排名", "等次", "人工确定", "引擎建议（不同时）", "理由"],
                        rows: teamRows, numericColumns: [3, 4, 5, 6]),
            ReportSheet(name: "干部", header: ["编号", "姓名", "班子", "主要负责人", "状态", "得分", "测评分", "班子内排名", "等次", "人工确定", "引擎建议（不同时）", "理由"],
                        rows: cadreRows, numericColumns: [5, 6, 7]),
            ReportSheet(name: "指标使用", header: ["范围", "规则", "等次", "比例", "基数", "上限", "已用"], rows: quotaRows,
                        numericColumns: [4, 5, 6]),
            ReportSheet(name: "预警", header: ["类型", "规则", "对象", "说明"], rows: alerts),
        ]
        if !proposalLists.isEmpty {
            var rows: [[String]] = []
            for l in proposalLists {
                for (k, id) in l.subjects.enumerated() { rows.append([l.label, l.rule, l.grade, "\(k + 1)", id]) }
                if l.subjects.isEmpty { rows.append([l.label, l.rule, l.grade, "", "（无）"]) }
            }
            sheets.append(ReportSheet(name: "建议名单", header: ["名单", "规则", "等次", "顺序", "干部编号"], rows: rows, numericColumns: [3]))
        }
        if !targetResponsibility.isEmpty {
            sheets.append(ReportSheet(name: "目标责任", header: ["编号", "名称", "人数", "共性指标", "工作目标", "日常累计", "日常人均", "创新", "合计", "排名"],
                                      rows: targetResponsibility.map { u in
                                          [u.id, u.name ?? "", "\(u.headcount)", num(u.common), num(u.targets), num(u.dailyTotal),
                                           num(u.dailyPerHead), num(u.innovation), num(u.total), "\(u.rank)"]
                                      }, numericColumns: [2, 3, 4, 5, 6, 7, 8, 9]))
        }
        if !scorecards.isEmpty {
            sheets.append(ReportSheet(name: "考核表", header: ["对象", "月数", "得分", "等次", "排名"],
                                      rows: scorecards.map { [$0.subject, "\($0.months)", num($0.total), $0.grade ?? "", "\($0.rank)"] },
                                      numericColumns: [1, 2, 4]))
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
