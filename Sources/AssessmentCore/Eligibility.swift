import Foundation

// Who is assessed, where, and whether graded (R-E*). Computed from the cadre's facts, the cut-off date
// and the policy's thresholds.

/// A cadre's status in the output (contract: graded, ungraded, pending, notAssessed).
public enum CadreStatus: String, Sendable {
    case graded
    /// R-E5: assessed, no grade (不确定等次).
    case ungraded
    /// R-E7: assessed, grade fixed after the case closes (待定).
    case pending
    /// R-E6, R-E9: not assessed this year.
    case notAssessed

    /// Counted in a quota's base (参加考核).
    var isAssessed: Bool { self != .notAssessed }
}

public struct Eligibility: Sendable {
    public var status: CadreStatus = .graded
    /// R-E4, R-E8, R-Q10: neither in the unit's base nor using its quota.
    public var excludedFromQuota = false
    /// R-E8: graded in the separate list.
    public var separateList = false
    /// R-E10: graded in the group entrusted to this supervising department, outside its base (R-Q10).
    public var entrustedTo: String?
    /// R-E6 (seed 003): takes no part in the democratic evaluation, so its votes are not used.
    public var votesIgnored = false
    public var reasons: [Reason] = []

    static func of(_ cadre: UnsafePointer<Cadre>, policy: Policy, cutoff: Day, yearStart: Day) -> Eligibility {
        var e = Eligibility()
        let rules = policy.eligibility
        let f = cadre.pointee.facts
        let half = rules.halfYearDays
        var notAssessed = false

        // R-E2: the post is the one held on the cut-off date.
        if let t = f.transfer {
            if let later = cadre.pointee.postAfterCutoff {
                e.reasons.append(Reason(rule: "R-E2", message: "于 \(t.on) 新提拔或交流到 \(later)，晚于截止日期 \(cutoff)，在原单位按原任职务考核"))
            } else {
                e.reasons.append(Reason(rule: "R-E2", message: "于 \(t.on) 新提拔或交流任职，不晚于截止日期 \(cutoff)，按现任职务考核，注意了解在原单位 \(t.fromTeam) 的工作情况"))
            }
        }

        // R-E9: resident village work teams are assessed under their own scheme.
        if rules.villageTeamNotAssessed && f.villageTeam {
            notAssessed = true
            e.reasons.append(Reason(rule: "R-E9", message: "驻村工作队员按驻村工作队考核方案参与考核，不在原单位考核"))
        }

        // R-E6: retirement.
        if let retired = f.retiredOn {
            switch rules.retirement {
            case .beforeCutoff:
                if retired <= cutoff {
                    notAssessed = true
                    e.reasons.append(Reason(rule: "R-E6", message: "于 \(retired) 退休，截止日期 \(cutoff) 前退休的不参加年度考核"))
                }
            case .halfYear:
                if retired < yearStart {
                    notAssessed = true
                    e.reasons.append(Reason(rule: "R-E6", message: "于 \(retired) 退休，早于考核年度，不参加年度考核"))
                } else if retired <= cutoff {
                    let worked = retired.daysSinceEpoch - yearStart.daysSinceEpoch + 1
                    if worked < half {
                        notAssessed = true
                        e.reasons.append(Reason(rule: "R-E6", message: "于 \(retired) 办理退休，年度内工作 \(worked) 天，不满半年（\(half) 天），不参加年度考核"))
                    } else if rules.retireesWithoutVotes {
                        e.votesIgnored = true
                        e.reasons.append(Reason(rule: "R-E6", message: "于 \(retired) 办理退休，年度内工作 \(worked) 天，满半年，参加年度考核但不参加民主测评，得票不计"))
                    } else {
                        e.reasons.append(Reason(rule: "R-E6", message: "于 \(retired) 办理退休，年度内工作 \(worked) 天，满半年，参加年度考核，由所在单位根据表现推荐等次"))
                    }
                }
            }
        }

        // R-E4 / R-E3: secondment.
        if let s = f.secondment {
            let level = s.fromLevel ?? ""
            let levelName = levelNames[level] ?? (level.isEmpty ? "未注明层级" : level)
            if rules.secondment.excludedLevels.contains(level) {
                e.excludedFromQuota = true
                e.reasons.append(Reason(rule: "R-E4", message: "\(levelName)下派挂职干部，在挂职单位考核，评为优秀的不占挂职单位优秀指标"))
                e.reasons.append(Reason(rule: "R-Q10", message: "不计入本单位考核基数，不占本单位优秀指标"))
            } else {
                let months = s.monthsInHost ?? 0  // the reader refuses a secondment without it
                let rule = level == "county" ? "R-E4" : "R-E3"
                let minMonths = rules.secondment.minMonthsInHost
                if months < minMonths {
                    // The reader moved the cadre to `fromTeam` (seed 001 §一(一)1: 工作不满6个月的在原单位考核).
                    let host = cadre.pointee.hostTeam.map { "（挂职单位 \($0)）" } ?? ""
                    e.reasons.append(Reason(rule: rule, message: "\(levelName)挂职干部在挂职单位工作 \(formatDecimal(months, decimals: 1)) 个月，不满 \(formatDecimal(minMonths, decimals: 1)) 个月，在原单位 \(cadre.pointee.team) 考核\(host)"))
                } else if minMonths > 0 {
                    e.reasons.append(Reason(rule: rule, message: "\(levelName)挂职干部在挂职单位工作 \(formatDecimal(months, decimals: 1)) 个月，在挂职单位考核，占挂职单位优秀指标"))
                }
            }
        }

        // R-E8: separate list.
        if rules.separateList && cadre.pointee.separateList {
            e.separateList = true
            e.excludedFromQuota = true
            e.reasons.append(Reason(rule: "R-E8", message: "乡镇党政正职、县直部门负责人单列考核，参与考核但不计算本单位考核基数"))
            e.reasons.append(Reason(rule: "R-Q10", message: "不占本单位优秀指标，在单列名单中评定"))
        }

        // R-E10 (seed 001 §一(一)4: 委托主管部门考核…不计算在行政主管部门): graded in the supervising department's
        // entrusted group, outside its own base and quota.
        if let by = cadre.pointee.entrustedBy, !e.excludedFromQuota,
           let q = policy.quotas.first(where: { $0.scope == .cadreEntrusted }) {
            e.entrustedTo = by
            e.excludedFromQuota = true
            let cap = q.percent.map { "不超过 \(formatDecimal($0, decimals: 0))% 的比例" } ?? ""
            e.reasons.append(Reason(rule: "R-E10", message: "委托 \(by) 考核，由其按\(cap)提出等次建议，不计算在行政主管部门考核基数"))
            e.reasons.append(Reason(rule: "R-Q10", message: "不计入本单位考核基数，不占本单位优秀指标，在 \(by) 委托考核干部中评定"))
        }

        if notAssessed {
            e.status = .notAssessed
            return e
        }
        // R-E7: under investigation → pending.
        if rules.investigationPending && f.underInvestigation {
            e.status = .pending
            e.reasons.append(Reason(rule: "R-E7", message: "被立案审查尚未结案，参加年度考核，受审查期间不确定等次，待结案后根据处理情况确定"))
        }
        // R-E5: leave of more than half a year → ungraded: more than half of that year's days (182.5 of 365, 183 of
        // 366), so 183 days in 2019 and 184 in the leap year 2020.
        let components = yearStart.components
        let yearDays = (Day(year: components.year + 1, month: 1, day: 1)?.daysSinceEpoch ?? yearStart.daysSinceEpoch + 365)
            - yearStart.daysSinceEpoch
        if rules.leaveUngraded && f.leaveDays * 2 > yearDays {
            if e.status == .graded { e.status = .ungraded }
            e.reasons.append(Reason(rule: "R-E5", message: "年度内病、事假累计 \(f.leaveDays) 天，超过半年（\(components.year) 年 \(yearDays) 天的一半），参加年度考核，不确定等次"))
        }
        return e
    }

    static let levelNames = ["central": "中央", "province": "省级", "city": "市级", "county": "县级"]
}

extension Eligibility {
    /// Who is assessed, where and how (R-E*), for one cadre of a campaign — as the engine decides it when grading;
    /// used before there are votes (the participants of a campaign, who is on a ballot).
    public static func assess(_ cadre: Cadre, policy: Policy, in dataset: Dataset) -> Eligibility {
        withUnsafePointer(to: cadre) { of($0, policy: policy, cutoff: dataset.cutoff, yearStart: dataset.yearStart) }
    }
}
