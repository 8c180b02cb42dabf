import Foundation

// Reads a dataset from UTF-8 JSON bytes straight into `Dataset`, checking it against the policy
// (ballot labels, grade labels, composite parts) and listing every problem with its path.

extension Dataset {
    /// Reads and validates a dataset; throws `ValidationFailure` listing every problem.
    public static func read(_ data: Data, policy: Policy) throws -> Dataset {
        try data.withUnsafeBytes { raw in
            try read(bytes: raw.bindMemory(to: UInt8.self), policy: policy)
        }
    }

    public static func read(bytes: UnsafeBufferPointer<UInt8>, policy: Policy) throws -> Dataset {
        // One thread here (the server reads small datasets while serving others); `kaohe grade` reads a province's
        // file on two threads with `read(_:policy:parallelFromBytes:)` (docs/benchmarks.md).
        try read(bytes: bytes, policy: policy, parallelFromBytes: .max)
    }

    public static func read(_ data: Data, policy: Policy, parallelFromBytes: Int) throws -> Dataset {
        try data.withUnsafeBytes { raw in
            try read(bytes: raw.bindMemory(to: UInt8.self), policy: policy, parallelFromBytes: parallelFromBytes)
        }
    }

    static func read(bytes: UnsafeBufferPointer<UInt8>, policy: Policy, parallelFromBytes: Int) throws -> Dataset {
        var decoder = DatasetDecoder(policy: policy)
        decoder.parallelFromBytes = parallelFromBytes
        var reader = JSONReader(bytes)
        do {
            let dataset = try decoder.decodeRoot(&reader)
            try reader.expectEnd()
            if !decoder.problems.isEmpty { throw ValidationFailure(decoder.problems.items) }
            return dataset
        } catch let error as JSONSyntaxError {
            let (line, column) = reader.lineColumn(error.offset)
            throw ValidationFailure(decoder.problems.items + [ValidationProblem(path: "第 \(line) 行第 \(column) 列", message: "JSON 语法错误：\(error.message)")])
        }
    }
}

struct DatasetDecoder {
    let policy: Policy
    var problems = ProblemList()
    let teamLabels: [[UInt8]]
    let teamNames: [String]
    let cadreLabels: [[UInt8]]
    let cadreNames: [String]
    let teamCategories: [String: Int]
    let cadreCategories: [String: Int]
    let partIndex: [String: Int]
    let teamGrades: Set<String>
    let cadreGrades: Set<String>

    init(policy: Policy) {
        self.policy = policy
        func indexMap(_ labels: [String]) -> [String: Int] {
            var m: [String: Int] = [:]
            for (i, l) in labels.enumerated() where m[l] == nil { m[l] = i }
            return m
        }
        teamNames = policy.teamBallot.options.map(\.label)
        cadreNames = policy.cadreBallot.options.map(\.label)
        teamLabels = teamNames.map { Array($0.utf8) }
        cadreLabels = cadreNames.map { Array($0.utf8) }
        teamCategories = indexMap((policy.teamBallot.voterCategories ?? []).map(\.name))
        cadreCategories = indexMap((policy.cadreBallot.voterCategories ?? []).map(\.name))
        partIndex = indexMap((policy.composite?.parts ?? []).map(\.name))
        teamGrades = Set(policy.teamScale.grades)
        cadreGrades = Set(policy.cadreScale.grades)
    }

    // MARK: primitive readers (record a problem and skip on a wrong type)

    mutating func string(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> String? {
        if try r.peekKind() == .string { return try r.readString() }
        if try r.peekKind() == .null { try r.readNull(); return nil }
        problems.add(path(), "必须是字符串"); try r.skipValue(); return nil
    }

    mutating func number(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Double? {
        let kind = try r.peekKind()
        if kind == .null { try r.readNull(); return nil }
        guard kind == .number else { problems.add(path(), "必须是数字"); try r.skipValue(); return nil }
        let v = try r.readNumber().value
        if v < 0 { problems.add(path(), "不能为负数"); return nil }
        return v
    }

    mutating func count(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Int? {
        guard try r.peekKind() == .number else { problems.add(path(), "必须是非负整数"); try r.skipValue(); return nil }
        let (v, isInteger) = try r.readNumber()
        guard v >= 0, v <= 1e9, v == v.rounded(.towardZero), isInteger || v == v.rounded() else {
            problems.add(path(), "必须是非负整数"); return nil
        }
        return Int(v)
    }

    mutating func bool(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Bool {
        let kind = try r.peekKind()
        if kind == .bool { return try r.readBool() }
        if kind == .null { try r.readNull(); return false }
        problems.add(path(), "必须是 true 或 false"); try r.skipValue(); return false
    }

    mutating func day(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Day? {
        guard let text = try string(&r, path()) else { return nil }
        guard let d = Day(text) else { problems.add(path(), "日期无效：“\(text)”（格式应为 YYYY-MM-DD）"); return nil }
        return d
    }

    mutating func isObject(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Bool {
        let kind = try r.peekKind()
        if kind == .object { return true }
        if kind != .null { problems.add(path(), "必须是对象") }
        try r.skipValue()
        return false
    }

    mutating func isArray(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> Bool {
        let kind = try r.peekKind()
        if kind == .array { return true }
        if kind != .null { problems.add(path(), "必须是数组") }
        try r.skipValue()
        return false
    }

    /// Reads `{label: count}` for a ballot whose option labels are `labels` (UTF-8) / `names`.
    mutating func votes(_ r: inout JSONReader, _ labels: [[UInt8]], _ names: [String], _ path: @autoclosure () -> String) throws -> [Int]? {
        guard try isObject(&r, path()) else { return nil }
        var counts = [Int](repeating: 0, count: labels.count)
        try r.readObject { r, key in
            guard let i = labels.firstIndex(where: { key.matches($0) }) else {
                problems.add("\(path()).\(key.string)", "未知的测评选项“\(key.string)”（可选：\(names.joined(separator: "、"))）")
                try r.skipValue(); return
            }
            guard try r.peekKind() == .number else { problems.add("\(path()).\(key.string)", "必须是非负整数"); try r.skipValue(); return }
            let (v, _) = try r.readNumber()
            if v >= 0, v <= 1e9, v == v.rounded(.towardZero) { counts[i] = Int(v) } else {
                problems.add("\(path()).\(key.string)", "必须是非负整数")
            }
        }
        return counts
    }

    mutating func votesByCategory(_ r: inout JSONReader, _ categories: [String: Int], _ labels: [[UInt8]], _ names: [String],
                                  _ path: String) throws -> [[Int]?]? {
        guard try isObject(&r, path) else { return nil }
        var result = [[Int]?](repeating: nil, count: categories.count)
        try r.readObject { r, key in
            let name = key.string
            guard let ci = categories[name] else {
                problems.add("\(path).\(name)", categories.isEmpty ? "方案未定义测评人员类别，不能按类别提供得票"
                                                                  : "未知的测评人员类别“\(name)”")
                try r.skipValue(); return
            }
            result[ci] = try votes(&r, labels, names, "\(path).\(name)")
        }
        return result
    }

    mutating func parts(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> [Double?]? {
        guard try isObject(&r, path()) else { return nil }
        var values = [Double?](repeating: nil, count: partIndex.count)
        try r.readObject { r, key in
            let name = key.string
            // Without composite weights in the policy, parts are kept in input order (equal weights, R-S2).
            if partIndex.isEmpty {
                values.append(try number(&r, "\(path()).\(name)"))
                return
            }
            guard let i = partIndex[name] else {
                problems.add("\(path()).\(name)", "未知的组成部分“\(name)”（可选：\(policy.composite!.parts.map(\.name).joined(separator: "、"))）")
                try r.skipValue(); return
            }
            values[i] = try number(&r, "\(path()).\(name)")
        }
        return values
    }

    mutating func stringList(_ r: inout JSONReader, _ path: String) throws -> [String]? {
        guard try isArray(&r, path) else { return nil }
        var list: [String] = []
        try r.readArray { r, i in
            if let s = try string(&r, "\(path)[\(i)]") { list.append(s) }
        }
        return list
    }

    /// `regular`: grades as strings, or `{grade, source}` objects (R-Q6: a policy may count some sources only).
    mutating func regularList(_ r: inout JSONReader, _ path: @autoclosure () -> String) throws -> [RegularResult]? {
        guard try isArray(&r, path()) else { return nil }
        var list: [RegularResult] = []
        list.reserveCapacity(4)
        try r.readArray { r, i in
            // The path is spelled out only for a problem (400,000 results in a province).
            if try r.peekKind() == .object {
                var grade: String?, source: String?
                try r.readObject { r, k in
                    switch k {
                    case "grade": grade = try string(&r, "\(path())[\(i)].grade")
                    case "source": source = try string(&r, "\(path())[\(i)].source")
                    default: try r.skipValue()
                    }
                }
                if let grade { list.append(RegularResult(grade: grade, source: source)) } else { problems.add("\(path())[\(i)].grade", "必填") }
            } else if let s = try string(&r, "\(path())[\(i)]") {
                list.append(RegularResult(grade: s))
            }
        }
        return list
    }

    // MARK: structure

    mutating func decodeRoot(_ r: inout JSONReader) throws -> Dataset {
        guard try r.peekKind() == .object else { throw r.fail("数据集必须是 JSON 对象") }
        var year: Int?
        var cutoff: Day?
        var teams: [Team] = []
        var cadres: [Cadre] = []
        var units: [ResponsibilityUnit] = []
        var scorecards: [Scorecard] = []
        var sawTeams = false, sawCadres = false
        var sawCutoff = false
        try r.readObject { r, key in
            switch key {
            case "year": year = try count(&r, "year")
            case "cutoff":
                let before = problems.items.count
                cutoff = try day(&r, "cutoff")
                sawCutoff = problems.items.count > before  // given but invalid: already reported
            case "teams":
                sawTeams = true
                guard try isArray(&r, "teams") else { return }
                try r.readArray { r, i in if let t = try team(&r, i) { teams.append(t) } }
            case "cadres":
                sawCadres = true
                guard try isArray(&r, "cadres") else { return }
                cadres.reserveCapacity(max(16, r.bytes.count / 400))
                try cadreArray(&r, into: &cadres)
            case "targetResponsibility":
                guard try isObject(&r, "targetResponsibility") else { return }
                try r.readObject { r, k in
                    if k.string == "units" {
                        guard try isArray(&r, "targetResponsibility.units") else { return }
                        try r.readArray { r, i in if let u = try unit(&r, i) { units.append(u) } }
                    } else { try r.skipValue() }
                }
            case "scorecards":
                guard try isArray(&r, "scorecards") else { return }
                try r.readArray { r, i in if let s = try scorecard(&r, i) { scorecards.append(s) } }
            default: try r.skipValue()
            }
        }
        if !sawTeams && units.isEmpty && scorecards.isEmpty { problems.add("teams", "缺少必填字段") }
        if !sawCadres && teams.isEmpty && units.isEmpty && scorecards.isEmpty { problems.add("cadres", "缺少必填字段") }
        if cutoff == nil, let y = year { cutoff = Day(year: y, month: 12, day: 31) }
        if cutoff == nil && !sawCutoff { problems.add("cutoff", "缺少截止日期（或 year）") }
        var dataset = Dataset(year: year, cutoff: cutoff ?? Day(daysSinceEpoch: 0))
        resolve(&teams, &cadres, cutoff: cutoff)
        dataset.teams = teams
        dataset.cadres = cadres
        dataset.responsibilityUnits = units
        dataset.scorecards = scorecards
        return dataset
    }

    /// Checks ids, team references and completeness that need the whole dataset.
    mutating func resolve(_ teams: inout [Team], _ cadres: inout [Cadre], cutoff: Day?) {
        var teamIndex = IDIndex(capacity: teams.count)
        for (i, t) in teams.enumerated() {
            if let first = teamIndex.insert(t.id, i) {
                problems.add("teams[\(i)].id", "重复的编号“\(t.id)”（与 teams[\(first)] 相同）")
            }
        }
        var cadreIndex = IDIndex(capacity: cadres.count)
        for i in cadres.indices {
            let id = cadres[i].id
            if let first = cadreIndex.insert(id, i) {
                problems.add("cadres[\(i)].id", "重复的编号“\(id)”（与 cadres[\(first)] 相同）")
            }
            if let t = teamIndex.find(cadres[i].team) { cadres[i].teamIndex = t } else {
                problems.add("cadres[\(i)].team", "未知的班子“\(cadres[i].team)”")
            }
            // R-E2: promoted or transferred after the cut-off → assessed in the original unit.
            if let transfer = cadres[i].facts.transfer {
                guard let from = teamIndex.find(transfer.fromTeam) else {
                    problems.add("cadres[\(i)].facts.transfer.fromTeam", "未知的班子“\(transfer.fromTeam)”"); continue
                }
                if let cutoff, transfer.on > cutoff {
                    cadres[i].postAfterCutoff = cadres[i].team
                    cadres[i].team = transfer.fromTeam
                    cadres[i].teamIndex = from
                }
            }
            // R-E3/R-E4 (seed 001 §一(一)1: 工作不满6个月的在原单位考核; seed 003 §二4): a secondee with too few months in
            // the host is assessed in the original team, which the input must name.
            if let s = cadres[i].facts.secondment, let months = s.monthsInHost,
               !policy.eligibility.secondment.excludedLevels.contains(s.fromLevel ?? ""),
               months < policy.eligibility.secondment.minMonthsInHost {
                let path = "cadres[\(i)].facts.secondment.fromTeam"
                guard let fromTeam = s.fromTeam else {
                    problems.add(path, "必填：在挂职单位工作 \(formatDecimal(months, decimals: 1)) 个月，不满 \(formatDecimal(policy.eligibility.secondment.minMonthsInHost, decimals: 1)) 个月，在原单位考核，须给出原单位班子编号")
                    continue
                }
                guard let from = teamIndex.find(fromTeam) else { problems.add(path, "未知的班子“\(fromTeam)”"); continue }
                if from != cadres[i].teamIndex {
                    cadres[i].hostTeam = cadres[i].team
                    cadres[i].team = fromTeam
                    cadres[i].teamIndex = from
                }
            }
        }
    }

    mutating func checkScoreSource(_ score: Double?, _ parts: [Double?]?, _ path: @autoclosure () -> String) {
        guard score == nil, let parts else { return }
        guard let composite = policy.composite else { return }
        for (i, v) in parts.enumerated() where v == nil {
            problems.add("\(path()).parts.\(composite.parts[i].name)", "缺少组成部分（未提供 score 时必须给出全部组成部分）")
        }
    }

    mutating func team(_ r: inout JSONReader, _ i: Int) throws -> Team? {
        let path = "teams[\(i)]"
        guard try isObject(&r, path) else { if try r.peekKind() != .null {}; return nil }
        var t = Team(id: "", category: "")
        var hasId = false, hasCategory = false
        try r.readObject { r, key in
            switch key {
            case "id": if let s = try string(&r, "\(path).id") { t.id = s; hasId = !s.isEmpty }
            case "name": t.name = try string(&r, "\(path).name")
            case "category": if let s = try string(&r, "\(path).category") { t.category = s; hasCategory = !s.isEmpty }
            case "score": t.score = try number(&r, "\(path).score")
            case "parts": t.parts = try parts(&r, "\(path).parts")
            case "votes": t.votes = try votes(&r, teamLabels, teamNames, "\(path).votes")
            case "votesByCategory":
                t.votesByCategory = try votesByCategory(&r, teamCategories, teamLabels, teamNames, "\(path).votesByCategory")
            case "events": t.events = try stringList(&r, "\(path).events") ?? []
            case "proposal":
                if let p = try string(&r, "\(path).proposal") {
                    if teamGrades.contains(p) { t.proposal = p } else {
                        problems.add("\(path).proposal", "未知的等次“\(p)”（可选：\(policy.teamScale.grades.joined(separator: "、"))）")
                    }
                }
            default: try r.skipValue()
            }
        }
        if !hasId { problems.add("\(path).id", "缺少必填字段") }
        if !hasCategory { problems.add("\(path).category", "缺少必填字段") }
        checkScoreSource(t.score, t.parts, path)
        return t
    }

    /// Arrays larger than this many bytes are decoded by two threads.
    var parallelFromBytes = Int.max

    /// Reads the cadres array. A large array is cut at an element boundary a little past its middle and the two
    /// parts are decoded at once; cadres and problems come out in input order either way.
    ///
    /// The cut is the first top-level comma at or past `target`. The first thread decodes from the start and stops at
    /// that comma: it is the first comma between elements it meets at or past `target`. The second finds the same comma
    /// by scanning (faster than decoding, and with the number of elements before it), then decodes the rest. Nobody
    /// waits for the scan: `target` lies past the middle by about the scan's share.
    mutating func cadreArray(_ r: inout JSONReader, into cadres: inout [Cadre]) throws {
        r.skipWhitespace()
        let start = r.pos
        guard r.bytes.count - start >= parallelFromBytes, start < r.bytes.count, r.bytes[start] == UInt8(ascii: "[") else {
            try r.readArray { r, i in if let c = try cadre(&r, i) { cadres.append(c) } }
            return
        }
        struct Part {
            var cadres = Pile<Cadre>(capacity: 0)
            var problems = ProblemList()
            var error: JSONSyntaxError?
            var end = 0
            /// The first part: the comma it stopped at (nil: it reached the closing bracket). The second: the comma it
            /// started after (nil: there is no cut, the first part is the whole array).
            var cut: Int?
        }
        let policy = self.policy
        let target = start + (r.bytes.count - start) / 7 * 4
        nonisolated(unsafe) let bytes = r.bytes
        nonisolated(unsafe) let parts = UnsafeMutableBufferPointer<Part>.allocate(capacity: 2)
        parts.initialize(repeating: Part())
        defer { parts.deinitialize(); parts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var decoder = DatasetDecoder(policy: policy)
            var reader = JSONReader(bytes)
            var part = Part()
            part.cadres = Pile(capacity: (target - start) / 250)
            do {
                // The first part starts after the opening bracket and stops at the cut; the second starts after the
                // cut (when there is one) and ends with the array.
                var index = 0
                if k == 0 {
                    reader.pos = start + 1
                    reader.skipWhitespace()
                } else if let split = JSONReader.splitArray(bytes, at: start, from: target) {
                    part.cut = split.comma
                    reader.pos = split.comma + 1
                    index = split.countBefore
                }
                let empty = k == 0 && reader.pos < bytes.count && bytes[reader.pos] == UInt8(ascii: "]")
                if empty { reader.pos += 1 }
                while !empty && (k == 0 || part.cut != nil) {
                    var c = Cadre(id: "", team: "")
                    if try decoder.cadre(&reader, index, into: &c) { part.cadres.append(consume c) }
                    index += 1
                    reader.skipWhitespace()
                    guard reader.pos < bytes.count else { throw reader.fail("数组未结束") }
                    if bytes[reader.pos] == UInt8(ascii: "]") { reader.pos += 1; break }
                    guard bytes[reader.pos] == UInt8(ascii: ",") else { throw reader.fail("数组元素之间应为逗号") }
                    if k == 0 && reader.pos >= target { part.cut = reader.pos; break }
                    reader.pos += 1
                }
            } catch let e as JSONSyntaxError {
                part.error = e
            } catch {
                part.error = JSONSyntaxError(offset: reader.pos, message: "\(error)")
            }
            part.problems = decoder.problems
            part.end = reader.pos
            parts[k] = part
        }
        // The scan and the decoding agree on every well-formed text; should they not, the array is read again on one
        // thread, which then reports what is wrong.
        guard parts[0].error != nil || parts[0].cut == parts[1].cut else {
            r.pos = start
            try r.readArray { r, i in if let c = try cadre(&r, i) { cadres.append(c) } }
            return
        }
        problems.items += parts[0].problems.items
        if let e = parts[0].error { throw e }
        problems.items += parts[1].problems.items
        if let e = parts[1].error { throw e }
        let decoded = Pile.joined([parts[0].cadres, parts[1].cadres])  // moved, not copied
        if cadres.isEmpty { cadres = decoded } else { cadres += decoded }
        r.pos = parts[parts[1].cut == nil ? 0 : 1].end
    }

    mutating func cadre(_ r: inout JSONReader, _ i: Int) throws -> Cadre? {
        var c = Cadre(id: "", team: "")
        return try cadre(&r, i, into: &c) ? c : nil
    }

    /// Decodes cadre `i` into `c` (a fresh `Cadre(id: "", team: "")`): in place, not copied out of the closures that
    /// read its fields. False when the element is no object.
    mutating func cadre(_ r: inout JSONReader, _ i: Int, into c: inout Cadre) throws -> Bool {
        guard try r.peekKind() == .object else { _ = try isObject(&r, "cadres[\(i)]"); return false }
        var hasId = false, hasTeam = false
        try r.readObject { r, key in
            switch key {
            case "id": if let s = try string(&r, "cadres[\(i)].id") { c.id = s; hasId = !s.isEmpty }
            case "name": c.name = try string(&r, "cadres[\(i)].name")
            case "team": if let s = try string(&r, "cadres[\(i)].team") { c.team = s; hasTeam = !s.isEmpty }
            case "principal": c.principal = try bool(&r, "cadres[\(i)].principal")
            case "separateList": c.separateList = try bool(&r, "cadres[\(i)].separateList")
            case "entrustedBy": c.entrustedBy = try string(&r, "cadres[\(i)].entrustedBy")
            case "score": c.score = try number(&r, "cadres[\(i)].score")
            case "parts": c.parts = try parts(&r, "cadres[\(i)].parts")
            case "votes": c.votes = try votes(&r, cadreLabels, cadreNames, "cadres[\(i)].votes")
            case "votesByCategory":
                c.votesByCategory = try votesByCategory(&r, cadreCategories, cadreLabels, cadreNames, "cadres[\(i)].votesByCategory")
            case "regular": c.regular = try regularList(&r, "cadres[\(i)].regular")
            case "facts": try facts(&r, &c.facts, "cadres[\(i)].facts")
            case "proposal":
                if let p = try string(&r, "cadres[\(i)].proposal") {
                    if cadreGrades.contains(p) { c.proposal = p } else {
                        problems.add("cadres[\(i)].proposal", "未知的等次“\(p)”（可选：\(policy.cadreScale.grades.joined(separator: "、"))）")
                    }
                }
            default: try r.skipValue()
            }
        }
        if !hasId { problems.add("cadres[\(i)].id", "缺少必填字段") }
        if !hasTeam { problems.add("cadres[\(i)].team", "缺少必填字段") }
        checkScoreSource(c.score, c.parts, "cadres[\(i)]")
        return true
    }

    mutating func facts(_ r: inout JSONReader, _ f: inout CadreFacts, _ path: @autoclosure () -> String) throws {
        guard try isObject(&r, path()) else { return }
        try r.readObject { r, key in
            switch key {
            case "leaveDays":
                if try r.peekKind() == .null { try r.readNull() } else if let d = try count(&r, "\(path()).leaveDays") {
                    if d > 366 { problems.add("\(path()).leaveDays", "不能超过 366 天") } else { f.leaveDays = d }
                }
            case "retiredOn": f.retiredOn = try day(&r, "\(path()).retiredOn")
            case "underInvestigation": f.underInvestigation = try bool(&r, "\(path()).underInvestigation")
            case "villageTeam": f.villageTeam = try bool(&r, "\(path()).villageTeam")
            case "interviewLead": f.interviewLead = try bool(&r, "\(path()).interviewLead")
            case "transfer":
                guard try isObject(&r, "\(path()).transfer") else { return }
                var on: Day?
                var from: String?
                try r.readObject { r, k in
                    switch k {
                    case "on": on = try day(&r, "\(path()).transfer.on")
                    case "fromTeam": from = try string(&r, "\(path()).transfer.fromTeam")
                    default: try r.skipValue()
                    }
                }
                if let on, let from { f.transfer = Transfer(on: on, fromTeam: from) } else {
                    problems.add("\(path()).transfer", "必须给出 on（日期）和 fromTeam（原单位班子）")
                }
            case "secondment":
                guard try isObject(&r, "\(path()).secondment") else { return }
                var s = Secondment()
                try r.readObject { r, k in
                    switch k {
                    case "fromLevel": s.fromLevel = try string(&r, "\(path()).secondment.fromLevel")
                    case "fromTeam": s.fromTeam = try string(&r, "\(path()).secondment.fromTeam")
                    case "monthsInHost":
                        if let m = try number(&r, "\(path()).secondment.monthsInHost") {
                            if m > 12 { problems.add("\(path()).secondment.monthsInHost", "必须在 0 到 12 之间") } else { s.monthsInHost = m }
                        }
                    default: try r.skipValue()
                    }
                }
                // R-E3/R-E4 decide by the months in the host: never assumed (a missing figure once read as 12).
                if s.monthsInHost == nil { problems.add("\(path()).secondment.monthsInHost", "必填：在挂职单位工作的月数（0 到 12）") }
                f.secondment = s
            default: try r.skipValue()
            }
        }
    }

    mutating func unit(_ r: inout JSONReader, _ i: Int) throws -> ResponsibilityUnit? {
        let path = "targetResponsibility.units[\(i)]"
        guard try isObject(&r, path) else { return nil }
        var u = ResponsibilityUnit(id: "", name: nil, headcount: 0, ledger: [])
        var hasHeadcount = false
        let kinds = Set((policy.targetResponsibility?.items ?? []).map(\.kind))
        try r.readObject { r, key in
            switch key {
            case "id": u.id = try string(&r, "\(path).id") ?? ""
            case "name": u.name = try string(&r, "\(path).name")
            case "headcount":
                if let h = try count(&r, "\(path).headcount") {
                    if h == 0 { problems.add("\(path).headcount", "必须是正整数") } else { u.headcount = h; hasHeadcount = true }
                }
            case "ledger":
                guard try isArray(&r, "\(path).ledger") else { return }
                try r.readArray { r, j in
                    let ep = "\(path).ledger[\(j)]"
                    guard try isObject(&r, ep) else { return }
                    var e = LedgerEntry(kind: "", count: 1, points: nil)
                    try r.readObject { r, k in
                        switch k {
                        case "kind": e.kind = try string(&r, "\(ep).kind") ?? ""
                        case "count": if let c = try number(&r, "\(ep).count") { e.count = c }
                        case "points":
                            if try r.peekKind() == .number { e.points = try r.readNumber().value } else {
                                problems.add("\(ep).points", "必须是数字"); try r.skipValue()
                            }
                        default: try r.skipValue()
                        }
                    }
                    if e.kind.isEmpty { problems.add("\(ep).kind", "缺少必填字段") } else if !kinds.contains(e.kind) {
                        problems.add("\(ep).kind", "未知的台账事项“\(e.kind)”")
                    }
                    u.ledger.append(e)
                }
            default: try r.skipValue()
            }
        }
        if u.id.isEmpty { problems.add("\(path).id", "缺少必填字段") }
        if !hasHeadcount { problems.add("\(path).headcount", "缺少必填字段") }
        if policy.targetResponsibility == nil { problems.add(path, "方案未定义目标责任考核（targetResponsibility）") }
        return u
    }

    mutating func scorecard(_ r: inout JSONReader, _ i: Int) throws -> Scorecard? {
        let path = "scorecards[\(i)]"
        guard try isObject(&r, path) else { return nil }
        var s = Scorecard(subject: "", month: nil, items: [])
        var hasItems = false
        try r.readObject { r, key in
            switch key {
            case "subject": s.subject = try string(&r, "\(path).subject") ?? ""
            case "month": s.month = try string(&r, "\(path).month")
            case "items":
                guard try isArray(&r, "\(path).items") else { return }
                hasItems = true
                try r.readArray { r, j in
                    if let v = try number(&r, "\(path).items[\(j)]") { s.items.append(v) } else { s.items.append(0) }
                }
            default: try r.skipValue()
            }
        }
        if s.subject.isEmpty { problems.add("\(path).subject", "缺少必填字段") }
        if let rules = policy.scorecard {
            if hasItems && s.items.count != rules.itemCount {
                problems.add("\(path).items", "必须有 \(rules.itemCount) 项指标（现为 \(s.items.count) 项）")
            }
            if !hasItems { problems.add("\(path).items", "缺少必填字段") }
            let total = s.items.reduce(0, +)
            if total > rules.maxTotal + 1e-9 { problems.add("\(path).items", "合计 \(formatDecimal(total, decimals: 2)) 分，超过满分 \(formatDecimal(rules.maxTotal, decimals: 2))") }
        } else {
            problems.add(path, "方案未定义廉政建设考核表（scorecard）")
        }
        return s
    }
}
