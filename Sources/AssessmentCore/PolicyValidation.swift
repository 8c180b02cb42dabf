import Foundation

// Validation of a policy: every problem is listed with its path and a Chinese message.

extension Policy {
    public func validate() -> [ValidationProblem] {
        var p = ProblemList()
        if name.isEmpty { p.add("name", "不能为空") }
        for (field, text) in [("name", name), ("title", title), ("source", source)]
        where text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            p.add(field, "含有控制字符")
        }
        checkScale(teamScale, "teamScale", &p)
        checkScale(cadreScale, "cadreScale", &p)
        checkBallot(teamBallot, "teamBallot", &p)
        checkBallot(cadreBallot, "cadreBallot", &p)
        var consequenceGrades = Set<String>()
        for (i, c) in cadreConsequences.enumerated() {
            checkGrade(c.grade, cadreScale, "cadreConsequences[\(i)].grade", &p)
            if !consequenceGrades.insert(c.grade).inserted { p.add("cadreConsequences[\(i)].grade", "重复的等次“\(c.grade)”") }
            if c.text.trimmingCharacters(in: .whitespaces).isEmpty || c.text.count > 200 { p.add("cadreConsequences[\(i)].text", "应为 1 到 200 个字") }
        }
        if subjects != .teamsAndCadres && teamScale.grades.count != 1 {
            p.add("teamScale", "试用期满考核、一报告两评议（subjects = \(subjects.rawValue)）不评定班子，班子等次应只有一个（如“不评定”）")
        }

        if let composite {
            if composite.parts.isEmpty { p.add("composite.parts", "至少需要一个组成部分") }
            var names = Set<String>()
            for (i, part) in composite.parts.enumerated() {
                if part.name.isEmpty { p.add("composite.parts[\(i)].name", "不能为空") }
                if !names.insert(part.name).inserted { p.add("composite.parts[\(i)].name", "重复的组成部分“\(part.name)”") }
                if !(part.weight > 0 && part.weight <= 100) { p.add("composite.parts[\(i)].weight", "必须在 0 到 100 之间且大于 0") }
            }
            checkWeightSum(composite.parts.map(\.weight), "composite.parts", &p)
        }

        let e = eligibility
        if !(1...366).contains(e.halfYearDays) { p.add("eligibility.halfYearDays", "必须在 1 到 366 之间") }
        if !(0...12).contains(e.secondment.minMonthsInHost) { p.add("eligibility.secondment.minMonthsInHost", "必须在 0 到 12 之间") }

        // Team grading (R-Q9, R-S5).
        let tg = teamGrading
        checkGrade(tg.defaultGrade, teamScale, "teamGrading.defaultGrade", &p)
        if teamScale.grades.count > 1 && tg.defaultGrade == teamScale.best {
            p.add("teamGrading.defaultGrade", "不能为最高等次“\(teamScale.best)”（最高等次只能在比例内按排名产生）")
        }
        if let g = tg.triggeredGrade {
            checkGrade(g, teamScale, "teamGrading.triggeredGrade", &p)
            if g == teamScale.best { p.add("teamGrading.triggeredGrade", "不能为最高等次“\(teamScale.best)”") }
        }
        switch tg.method {
        case .triggerSplit:
            if tg.triggeredGrade == nil { p.add("teamGrading.triggeredGrade", "方法 triggerSplit 需要此字段") }
            if triggers.team == nil { p.add("triggers.team", "方法 triggerSplit 需要班子专题报告触发条件（R-T1）") }
        case .scoreBands:
            if tg.scoreBands == nil { p.add("teamGrading.scoreBands", "方法 scoreBands 需要此字段") }
        case .voteRateBands:
            if tg.voteRate == nil { p.add("teamGrading.voteRate", "方法 voteRateBands 需要此字段") }
        case .fixed: break
        }
        if let bands = tg.scoreBands { checkBands(bands, teamScale, "teamGrading.scoreBands", &p) }
        if let vr = tg.voteRate {
            checkOptions(vr.options, teamBallot, "teamGrading.voteRate.options", &p)
            checkBands(vr.bands, teamScale, "teamGrading.voteRate.bands", &p)
            for (i, b) in vr.bands.enumerated() where !(0...100).contains(b.min) {
                p.add("teamGrading.voteRate.bands[\(i)].min", "必须在 0 到 100 之间")
            }
        }

        // Cadre grading.
        let cg = cadreGrading
        checkGrade(cg.defaultGrade, cadreScale, "cadreGrading.defaultGrade", &p)
        if cg.defaultGrade == cadreScale.best && !cadreScale.grades.isEmpty {
            p.add("cadreGrading.defaultGrade", "不能为最高等次“\(cadreScale.best)”（最高等次只能在比例内按排名产生）")
        }
        if let bands = cg.voteScoreBands {
            checkBands(bands, cadreScale, "cadreGrading.voteScoreBands", &p)
            for (i, b) in bands.enumerated() where b.grade == cadreScale.best {
                p.add("cadreGrading.voteScoreBands[\(i)].grade", "不能为最高等次“\(cadreScale.best)”")
            }
        }
        if let u = cg.unfit {
            checkOptions(u.options, cadreBallot, "cadreGrading.unfit.options", &p)
            checkFraction(u.moreThan, "cadreGrading.unfit.moreThan", &p)
            checkGrade(u.grade, cadreScale, "cadreGrading.unfit.grade", &p)
            if u.grade == cadreScale.best { p.add("cadreGrading.unfit.grade", "不能为最高等次“\(cadreScale.best)”") }
        }

        // Quotas (R-Q1, R-Q2, R-Q3, R-E8, R-E10, R-Q8).
        for (i, q) in quotas.enumerated() {
            let path = "quotas[\(i)]"
            if q.rule.isEmpty { p.add("\(path).rule", "不能为空") }
            let isTeam = q.scope == .teamCategory || q.scope == .teamAll
            let scale = isTeam ? teamScale : cadreScale
            if scale.index(of: q.grade) == nil {
                p.add("\(path).grade", "不是\(isTeam ? "班子" : "干部")等次中的等次“\(q.grade)”")
            } else if q.grade != scale.best {
                p.add("\(path).grade", "目前只支持对最高等次“\(scale.best)”设比例上限")
            } else if scale.grades.count < 2 {
                p.add("\(path).grade", "等次只有一个时不能设比例上限")
            }
            if q.scope == .cadreTeamByGrade {
                if q.percent != nil { p.add("\(path).percent", "按班子等次的指标请使用 byTeamGrade") }
                guard let list = q.byTeamGrade, !list.isEmpty else {
                    p.add("\(path).byTeamGrade", "按班子等次的指标必须列出各班子等次的比例"); continue
                }
                var seen = Set<String>()
                for (j, entry) in list.enumerated() {
                    if teamScale.index(of: entry.teamGrade) == nil {
                        p.add("\(path).byTeamGrade[\(j)].teamGrade", "不是班子等次中的等次“\(entry.teamGrade)”")
                    }
                    if !seen.insert(entry.teamGrade).inserted { p.add("\(path).byTeamGrade[\(j)].teamGrade", "重复") }
                    if !(0...100).contains(entry.percent) { p.add("\(path).byTeamGrade[\(j)].percent", "必须在 0 到 100 之间") }
                }
            } else {
                if q.byTeamGrade != nil { p.add("\(path).byTeamGrade", "只用于 cadreTeamByGrade") }
                if let pc = q.percent {
                    if !(0...100).contains(pc) { p.add("\(path).percent", "必须在 0 到 100 之间") }
                } else {
                    p.add("\(path).percent", "缺少比例")
                }
            }
        }

        for (i, c) in principalConstraints.enumerated() {
            checkGrade(c.teamGrade, teamScale, "principalConstraints[\(i)].teamGrade", &p)
            checkGrade(c.maxGrade, cadreScale, "principalConstraints[\(i)].maxGrade", &p)
        }
        if let m = prerequisites.minVoteScore, !(0...100).contains(m) { p.add("prerequisites.minVoteScore", "必须在 0 到 100 之间") }
        if let r = prerequisites.regular, r.excellentLabels.isEmpty { p.add("prerequisites.regular.excellentLabels", "至少需要一个等次") }
        for (i, ev) in disqualifyingEvents.enumerated() where ev.isEmpty { p.add("disqualifyingEvents[\(i)]", "不能为空") }

        if let t = triggers.team { checkTrigger(t, teamBallot, "triggers.team", &p) }
        if let t = triggers.cadre { checkTrigger(t, cadreBallot, "triggers.cadre", &p) }
        if let a = triggers.admonition, a.bottom < 1 { p.add("triggers.admonition.bottom", "必须是正整数") }
        if let d = differentiation {
            if d.minGroupSize < 2 { p.add("differentiation.minGroupSize", "至少为 2") }
            if d.minSpread < 0 { p.add("differentiation.minSpread", "不能为负数") }
        }
        if let s = scorecard {
            if s.itemCount < 1 { p.add("scorecard.itemCount", "必须是正整数") }
            if !(s.maxTotal > 0) { p.add("scorecard.maxTotal", "必须大于 0") }
            if s.bands.isEmpty { p.add("scorecard.bands", "至少需要一个等次") }
            checkDescending(s.bands, "scorecard.bands", &p)
        }
        if let t = targetResponsibility {
            if t.commonBase < 0 { p.add("targetResponsibility.commonBase", "不能为负数") }
            if t.targetBase < 0 { p.add("targetResponsibility.targetBase", "不能为负数") }
            var kinds = Set<String>()
            for (i, item) in t.items.enumerated() {
                if item.kind.isEmpty { p.add("targetResponsibility.items[\(i)].kind", "不能为空") }
                if !kinds.insert(item.kind).inserted { p.add("targetResponsibility.items[\(i)].kind", "重复的类型“\(item.kind)”") }
            }
        }
        return p.items
    }

    private func checkScale(_ s: GradeScale, _ path: String, _ p: inout ProblemList) {
        if s.grades.isEmpty { p.add("\(path).grades", "至少需要一个等次") }
        var seen = Set<String>()
        for (i, g) in s.grades.enumerated() {
            if g.isEmpty { p.add("\(path).grades[\(i)]", "不能为空") }
            if !seen.insert(g).inserted { p.add("\(path).grades[\(i)]", "重复的等次“\(g)”") }
        }
    }

    private func checkBallot(_ b: Ballot, _ path: String, _ p: inout ProblemList) {
        if b.options.isEmpty { p.add("\(path).options", "至少需要一个选项") }
        var seen = Set<String>()
        for (i, o) in b.options.enumerated() {
            if o.label.isEmpty { p.add("\(path).options[\(i)].label", "不能为空") }
            if !seen.insert(o.label).inserted { p.add("\(path).options[\(i)].label", "重复的选项“\(o.label)”") }
            if !(0...100).contains(o.points) { p.add("\(path).options[\(i)].points", "必须在 0 到 100 之间") }
        }
        if let cats = b.voterCategories {
            var names = Set<String>()
            for (i, c) in cats.enumerated() {
                if c.name.isEmpty { p.add("\(path).voterCategories[\(i)].name", "不能为空") }
                if !names.insert(c.name).inserted { p.add("\(path).voterCategories[\(i)].name", "重复的类别“\(c.name)”") }
                if !(c.weight > 0 && c.weight <= 100) { p.add("\(path).voterCategories[\(i)].weight", "必须在 0 到 100 之间且大于 0") }
            }
            if !cats.isEmpty { checkWeightSum(cats.map(\.weight), "\(path).voterCategories", &p) }
        }
        if let share = b.maxBestShare, !(share > 0 && share <= 100) { p.add("\(path).maxBestShare", "必须在 0 到 100 之间且大于 0") }
        if let aspects = b.aspects {
            if aspects.count > 10 { p.add("\(path).aspects", "最多 10 项") }
            var names = Set<String>()
            for (i, a) in aspects.enumerated() {
                if a.trimmingCharacters(in: .whitespaces).isEmpty || a.count > 20 { p.add("\(path).aspects[\(i)]", "应为 1 到 20 个字") }
                else if a.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { p.add("\(path).aspects[\(i)]", "含有控制字符") }
                else if !names.insert(a).inserted { p.add("\(path).aspects[\(i)]", "重复的测评项目“\(a)”") }
            }
        }
        if let title = b.title, title.trimmingCharacters(in: .whitespaces).isEmpty || title.count > 20
            || title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            p.add("\(path).title", "应为 1 到 20 个字")
        }
    }

    /// Weights sum to 100% — or are all equal (equal weights need not be written as 33.34/33.33/33.33, whose extra
    /// hundredth would decide ranks).
    private func checkWeightSum(_ weights: [Double], _ path: String, _ p: inout ProblemList) {
        let sum = weights.reduce(0, +)
        if abs(sum - 100) > 1e-9 && Set(weights).count > 1 { p.add(path, "权重之和必须为 100%（各部分等权时可写相同的权重）（现为 \(formatDecimal(sum, decimals: 4))%）") }
    }

    private func checkGrade(_ g: String, _ scale: GradeScale, _ path: String, _ p: inout ProblemList) {
        if scale.index(of: g) == nil { p.add(path, "未知的等次“\(g)”（可选：\(scale.grades.joined(separator: "、"))）") }
    }

    private func checkOptions(_ options: [String], _ ballot: Ballot, _ path: String, _ p: inout ProblemList) {
        if options.isEmpty { p.add(path, "至少需要一个选项") }
        for (i, o) in options.enumerated() where ballot.index(of: o) == nil {
            p.add("\(path)[\(i)]", "未知的测评选项“\(o)”")
        }
    }

    private func checkBands(_ bands: [Band], _ scale: GradeScale, _ path: String, _ p: inout ProblemList) {
        if bands.isEmpty { p.add(path, "至少需要一个档次") }
        for (i, b) in bands.enumerated() { checkGrade(b.grade, scale, "\(path)[\(i)].grade", &p) }
        checkDescending(bands, path, &p)
    }

    private func checkDescending(_ bands: [Band], _ path: String, _ p: inout ProblemList) {
        for i in bands.indices.dropFirst() where !(bands[i].min < bands[i - 1].min) {
            p.add("\(path)[\(i)].min", "各档下限必须从高到低严格递减")
        }
    }

    private func checkFraction(_ f: Fraction, _ path: String, _ p: inout ProblemList) {
        if f.denominator <= 0 { p.add("\(path).denominator", "必须是正整数") }
        if f.numerator < 0 || f.numerator > f.denominator { p.add("\(path).numerator", "必须在 0 到分母之间") }
    }

    private func checkTrigger(_ t: VoteTrigger, _ ballot: Ballot, _ path: String, _ p: inout ProblemList) {
        checkOptions(t.positiveOptions, ballot, "\(path).positiveOptions", &p)
        checkOptions(t.negativeOptions, ballot, "\(path).negativeOptions", &p)
        checkFraction(t.positiveBelow, "\(path).positiveBelow", &p)
        checkFraction(t.negativeAbove, "\(path).negativeAbove", &p)
    }
}
