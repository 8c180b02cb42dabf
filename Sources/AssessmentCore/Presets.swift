import Foundation

// The built-in policies, each following one seed. Every number below comes from the seed's clause named
// beside it; where the seed gives none, `notes` says which default is used and why.

public enum Presets {
    public static var all: [Policy] {
        [lushan2022, county2019, puyang2020, puyangProbation2020, puyangSelection2020, regular2019, cleanGovernance, targetResponsibility]
    }

    public static func named(_ name: String) -> Policy? { all.first { $0.name == name } }

    // MARK: Shared pieces

    static let annualTeamScale = GradeScale(["优秀", "良好", "一般", "较差"])
    static let annualCadreScale = GradeScale(["优秀", "称职", "基本称职", "不称职"])
    /// Seeds 003/004: team ballot 好/较好/一般/差; points per R-S3.
    static let teamBallot = Ballot(options: [.init("好", 100), .init("较好", 80), .init("一般", 60), .init("差", 0)])
    /// Seeds 003/004: cadre ballot 优秀/称职/基本称职/不称职; points per R-S3 (优秀 100, 称职 80, 基本称职 60, 不称职 0).
    static let cadreBallot = Ballot(options: [.init("优秀", 100), .init("称职", 80), .init("基本称职", 60), .init("不称职", 0)])

    /// R-Q4 (seeds 001, 003): team 一般 → principal not 优秀; team 较差 → principal not 称职 or better.
    static let principalLimits = [
        PrincipalConstraint(teamGrade: "一般", maxGrade: "称职"),
        PrincipalConstraint(teamGrade: "较差", maxGrade: "基本称职"),
    ]
    /// R-T1 (seed 003 §五(三)2): 好+较好 < 2/3, or 一般 > 1/3.
    static let teamSpecialReport = VoteTrigger(positiveOptions: ["好", "较好"], positiveBelow: Fraction(2, 3),
                                               negativeOptions: ["一般"], negativeAbove: Fraction(1, 3))
    /// R-T2 (seed 003 §五(三)2): 优秀+称职 < 2/3, or 不称职 > 1/3.
    static let cadreSpecialReport = VoteTrigger(positiveOptions: ["优秀", "称职"], positiveBelow: Fraction(2, 3),
                                                negativeOptions: ["不称职"], negativeAbove: Fraction(1, 3))
    /// R-S4 (seed 004 second text): 优秀 95–100, 良好 80–94, 合格 60–79, 不合格 59 以下.
    static let scorecardBands = [Band("优秀", min: 95), Band("良好", min: 80), Band("合格", min: 60), Band("不合格", min: 0)]

    // MARK: lushan-2022 (seed 003)

    public static var lushan2022: Policy {
        Policy(
            name: "lushan-2022",
            title: "鲁山县科级领导班子及科级干部 2022 年度综合考核",
            source: "seed 003 §二、§三、§五(三)2、§五(四)1",
            notes: [
                "材料字数（R-P3，§五(一)）：领导班子工作总结 3500 字左右，述职述廉述学报告 2000 字左右；方案未给幅度，预设超出五分之一时提示（materials，只提示不拒收）。",
                "综合得分（R-S2）由综合考评、党建高质量考核、高质量发展考核三部分组成；方案未给权重，预设按等权（三部分权重相同，综合得分为三者的平均），请按本地权重修改。",
                "打分差异化（R-S7，§五(三)1“打分要有差异化”）：方案未给标准，预设为同一组 3 个及以上得分中最高与最低相差不足 1 分时提示（differentiation，可按本地要求修改）。",
                "排序（R-Q8、R-Q9）按打印精度（两位小数）比较得分，打印相同即并列；方案未规定其他排序依据（tieBreak），并列的由考核委员会研究确定。",
                "班子等次（R-Q9）：按量化得分在同类别内排序，前 30%（向下取整）建议为优秀；其余班子建议为良好，均为建议，待研究确定。民主测评触发专题报告（R-T1）的，按 §五(三)2 形成专题报告，不因此降低建议等次（方案未规定降等；一般、较差等次由考核委员会研究确定）。",
                "干部未获优秀的建议为称职（待研究确定）；班子为一般、较差的主要负责人按 R-Q4 限制。",
                "办理退休手续、工作满半年的参加考核但不参加民主测评（§二7），其得票不计。",
                "挂职干部由年度内工作半年以上的单位考核（§二4，R-E3）：在挂职单位工作不满 6 个月的，在原单位考核——输入须在 facts.secondment.fromTeam 给出原单位班子，引擎在该班子中排序、计入其基数；缺少时作为输入错误指出，不会默默不考核。",
                "专题报告（R-T1）按方案原文：“好”和“较好”得票率不到三分之二，或“一般”得票率超过三分之一；“差”票已在前一条件中计入（好+较好不到三分之二即一般+差超过三分之一）。",
            ],
            teamScale: annualTeamScale, cadreScale: annualCadreScale,
            teamBallot: teamBallot, cadreBallot: cadreBallot,
            composite: Composite(parts: [.init("综合考评", 1), .init("党建高质量考核", 1), .init("高质量发展考核", 1)]),
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: true, retirement: .halfYear,
                                          retireesWithoutVotes: true, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 6), separateList: false),
            teamGrading: TeamGrading(method: .fixed, defaultGrade: "良好"),
            cadreGrading: CadreGrading(defaultGrade: "称职"),
            quotas: [
                Quota(rule: "R-Q1", scope: .teamCategory, grade: "优秀", percent: 30),
                Quota(rule: "R-Q2", scope: .cadreTeamByGrade, grade: "优秀",
                      byTeamGrade: [.init("优秀", 30), .init("良好", 25), .init("一般", 20), .init("较差", 15)]),
                Quota(rule: "R-Q3", scope: .cadreAll, grade: "优秀", percent: 25),
            ],
            principalConstraints: principalLimits,
            triggers: TriggerRules(team: teamSpecialReport, cadre: cadreSpecialReport, interviewLead: true),
            differentiation: Differentiation(minGroupSize: 3, minSpread: 1),
            materials: MaterialRules(teamSummary: LengthRule(chars: 3500, atMost: false), cadreReport: LengthRule(chars: 2000, atMost: false))
        )
    }

    // MARK: county-2019 (seed 001)

    public static var county2019: Policy {
        Policy(
            name: "county-2019",
            title: "XX县 2019 年度县管领导班子和领导干部考核",
            source: "seed 001 §一(一)1–11、§一(三)5",
            notes: [
                "材料字数（R-P3，§三(三)1）：述职述法报告一般要求在 2500 字左右；方案未给幅度，预设超出五分之一时提示；班子工作总结未规定字数（materials）。",
                "班子优秀不超过参加考核班子总数的 30%（§一(三)5），不分类别。",
                "干部优秀比例按班子等次（R-Q2）：班子为优秀的，其成员优秀比例上调，最高不超过 25%（§一(三)5：“可以适当上调”，是对本单位 20% 的上调，不与之叠加）；班子为良好、一般的不超过 20%（各单位 20% 的一般标准）；较差的不超过 15%，其主要负责人按 R-Q4 限制。",
                "单列的乡镇党政正职和县直部门负责人（R-E8）：县委组织部汇总定量考核结果、综合酝酿考核等次，本单位考核结果作为其定量考核结果——按其班子的得分排序；方案未给单列的优秀比例，预设不设比例（本地规定比例的，在 quotas 中加 cadreSeparate）。",
                "挂职干部（§一(一)1，R-E4）：中央、省、市下派的在挂职单位考核，评为优秀的不占挂职单位指标；县内挂职满 6 个月的在挂职单位考核并占其指标，不满 6 个月的在原单位（facts.secondment.fromTeam）考核。",
                "委托主管部门考核的学校、医院、企业干部（§一(一)4，R-E10）：不计算在行政主管部门的考核基数和指标内，由主管部门按不超过 20% 的比例提出等次建议，在输出的 proposalLists 中按优秀程度从高到低列出；同一主管部门委托的干部在一起排序。",
                "未获优秀的班子建议为良好、干部建议为称职，均为建议，待研究确定。",
                "测评分值（R-S3）按 优秀 100、称职 80、基本称职 60、不称职 0 计，不低于 90 分方可建议优秀（R-Q5）。",
                "年度考核测评严格按照优秀 20% 比例（§二(一)）：一张测评票评为“优秀”的干部不超过票上干部人数的 20%（向下取整；cadreBallot.maxBestShare），超过的票由测评环节拒收并说明可评人数。",
                "方案未规定病事假，预设按《党政领导干部考核工作条例》及 seed 002/003：病、事假累计超过半年的不确定等次（R-E5）。",
                "R-Q6 只对提供了平时考核记录（regular）的干部适用：记录中无“优秀”的不得建议为优秀；未提供记录的不据此排除（missingRecordBlocks: false，可改为 true 按字面从严）。方案原文为“全年领导评价无‘优秀’”：只计来源（source）为“领导评价”的记录（sources），未注明来源的记录视为领导评价。",
            ],
            teamScale: annualTeamScale, cadreScale: annualCadreScale,
            teamBallot: teamBallot, cadreBallot: Ballot(options: cadreBallot.options, maxBestShare: 20),
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: true, retirement: .beforeCutoff,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: true,
                                          secondment: SecondmentRule(excludedLevels: ["central", "province", "city"], minMonthsInHost: 6),
                                          separateList: true),
            teamGrading: TeamGrading(method: .fixed, defaultGrade: "良好"),
            cadreGrading: CadreGrading(defaultGrade: "称职"),
            quotas: [
                Quota(rule: "R-Q1", scope: .teamAll, grade: "优秀", percent: 30),
                Quota(rule: "R-Q2", scope: .cadreTeamByGrade, grade: "优秀",
                      byTeamGrade: [.init("优秀", 25), .init("良好", 20), .init("一般", 20), .init("较差", 15)]),
                Quota(rule: "R-E10", scope: .cadreEntrusted, grade: "优秀", percent: 20),
            ],
            principalConstraints: principalLimits,
            prerequisites: Prerequisites(minVoteScore: 90,
                                         regular: RegularRequirement(excellentLabels: ["优秀"], missingRecordBlocks: false,
                                                                     sources: ["领导评价"])),
            disqualifyingEvents: ["massIncident", "heldAccountable", "partyBuildingLast", "majorCorruption"],
            triggers: TriggerRules(),
            materials: MaterialRules(cadreReport: LengthRule(chars: 2500, atMost: false))
        )
    }

    // MARK: puyang-2020 (seed 002)

    public static var puyang2020: Policy {
        Policy(
            name: "puyang-2020",
            title: "濮阳市市管领导班子和领导干部 2020 年度考核",
            source: "seed 002 §一1–7、§三(三)",
            notes: [
                "材料字数（R-P3，§三(一)）：领导班子工作总结不超过 3500 字，述职述廉述学报告不超过 3000 字，超过的提示（materials，只提示不拒收，由考核组退回修改）。",
                "实绩公示（R-P6，§三(二)2“考核工作开始前对领导班子工作实绩进行公示”）：公示期结束后才能安排该单位的民主测评（materials.publicity）；方案未规定公示天数，由组织部确定。",
                "通知只说“按照规定比例提出年度考核等次建议”，未给数字：班子优秀预设为不超过参加考核班子总数的 30%（seed 001、003 共同的比例），干部优秀预设为不超过 20%（seed 001 的干部比例，与公务员年度考核优秀比例一般掌握的 20% 一致）。",
                "退休：实际工作不满半年的不考核；超过半年的参加考核，由所在单位根据表现推荐等次（§一6），引擎的等次为供单位参考的建议。",
                "立案审查尚未结案的“按照有关规定进行”（§一7），预设按条例：参加考核，暂不确定等次（待定）。",
                "挂职干部由当年工作半年以上的单位考核（§一4，R-E3）：在挂职单位不满 6 个月的，在原单位（facts.secondment.fromTeam）考核。",
                "未获优秀的班子建议为良好、干部建议为称职，均为建议，待研究确定。",
            ],
            teamScale: annualTeamScale, cadreScale: annualCadreScale,
            teamBallot: teamBallot, cadreBallot: cadreBallot,
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: true, retirement: .halfYear,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 6), separateList: false),
            teamGrading: TeamGrading(method: .fixed, defaultGrade: "良好"),
            cadreGrading: CadreGrading(defaultGrade: "称职"),
            quotas: [
                Quota(rule: "R-Q1", scope: .teamAll, grade: "优秀", percent: 30),
                Quota(rule: "R-Q3", scope: .cadreAll, grade: "优秀", percent: 20),
            ],
            principalConstraints: principalLimits,
            triggers: TriggerRules(),
            materials: MaterialRules(teamSummary: LengthRule(chars: 3500, atMost: true), cadreReport: LengthRule(chars: 3000, atMost: true),
                                     publicity: true)
        )
    }

    // MARK: puyang-2020-probation (seed 002 §二3, R-P4)

    public static var puyangProbation2020: Policy {
        let ballot = Ballot(options: [.init("胜任", 100), .init("基本胜任", 60), .init("不胜任", 0)])
        return Policy(
            name: "puyang-2020-probation",
            title: "濮阳市市管干部试用期满考核（2020）",
            source: "seed 002 §二3、§三(二)4",
            notes: [
                "考核对象（R-P4，§二3“市管干部试用期满考核”）：组织部在考核中列出试用期满的干部（subjects = probationCadres），只评定干部；班子不评定（班子等次只有“不评定”一项，干部所在单位仅作为其班子列出）。",
                "测评与谈话（§三(二)4“有试用期满干部的需谈话了解干部试用期间的工作表现”）：测评票对每名干部设总体评价和德、能、勤、绩、廉五项，选项为胜任、基本胜任、不胜任；个别谈话记录在本考核中。",
                "等次界限：通知未规定。预设假定：测评得分（胜任 100、基本胜任 60、不胜任 0，R-S3 的算法）不低于 80 分的建议为胜任；“不胜任”票超过三分之一的建议为不胜任（参照 R-S6）；其余建议为基本胜任；均为建议，由组织部研究认定。",
                "专题报告：通知未规定。预设参照 R-T2：“胜任”票不到三分之二或“不胜任”票超过三分之一，或谈话反映严重问题线索的，形成专题报告。",
                "结果运用：胜任的正式任职，不胜任的免去试任职务、一般按照试任前职级安排工作（《党政领导干部选拔任用工作条例》关于任职试用期的规定）；基本胜任的条例未单列，预设为正式任职并由组织部谈话提醒、明确改进要求（cadreConsequences，可按本地规定修改）。",
                "退休、请假、立案审查等情况按本市年度考核（puyang-2020）的口径处理。",
            ],
            teamScale: GradeScale(["不评定"]), cadreScale: GradeScale(["胜任", "基本胜任", "不胜任"]),
            teamBallot: teamBallot, cadreBallot: ballot,
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: true, retirement: .halfYear,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 6), separateList: false),
            teamGrading: TeamGrading(method: .fixed, defaultGrade: "不评定"),
            cadreGrading: CadreGrading(defaultGrade: "基本胜任", unfit: UnfitRule(options: ["不胜任"], moreThan: Fraction(1, 3), grade: "不胜任")),
            prerequisites: Prerequisites(minVoteScore: 80),
            triggers: TriggerRules(cadre: VoteTrigger(positiveOptions: ["胜任"], positiveBelow: Fraction(2, 3),
                                                      negativeOptions: ["不胜任"], negativeAbove: Fraction(1, 3)),
                                   interviewLead: true),
            materials: MaterialRules(cadreReport: LengthRule(chars: 3000, atMost: true)),
            subjects: .probationCadres,
            cadreConsequences: [
                GradeConsequence("胜任", "正式任职，试用期满"),
                GradeConsequence("基本胜任", "正式任职，由组织部谈话提醒、明确改进要求（预设，见说明）"),
                GradeConsequence("不胜任", "免去试任职务，一般按照试任前职级安排工作"),
            ]
        )
    }

    // MARK: puyang-2020-selection (seed 002 §二2, R-P5)

    public static var puyangSelection2020: Policy {
        Policy(
            name: "puyang-2020-selection",
            title: "濮阳市市管领导班子干部选拔任用工作“一报告两评议”（2020）",
            source: "seed 002 §二2",
            notes: [
                "一报告两评议（R-P5，§二2）：党委（党组）报告年度干部选拔任用工作（考核材料中的“干部选拔任用工作报告”），参加人员对选人用人工作和新选拔任用干部分别评议（subjects = selectionReview）。通知未规定评议的内容和标准，以下均为预设。",
                "新选拔任用干部：截止日期在任、本年度 1 月 1 日以来开始担任主要职务的干部（按干部名册的任职日期；非新选拔任用的调整请组织部用“不参加”调整）。",
                "选人用人工作评议：测评票的“选人用人工作”一项设总体评价和三项具体评价（执行干部选拔任用政策法规、选人用人风气、整治选人用人不正之风），选项为好、较好、一般、差；不评定班子等次（班子等次只有“不评定”）。",
                "新选拔任用干部评议：每人一项总体评价，选项为认可、基本认可、不认可（未设“不了解”：它不计入测评得分的算法，需要时请修改）。",
                "评议结果：测评得分（认可 100、基本认可 60、不认可 0）不低于 80 分的为认可；“不认可”票超过三分之一的为不认可（参照 R-S6）；其余为基本认可。",
                "需要核查的情形（参照 R-T1、R-T2）：选人用人工作“好”和“较好”不到三分之二或“差”超过三分之一；新选拔任用干部“认可”不到三分之二或“不认可”超过三分之一——形成专题报告。",
            ],
            teamScale: GradeScale(["不评定"]), cadreScale: GradeScale(["认可", "基本认可", "不认可"]),
            teamBallot: Ballot(options: teamBallot.options, aspects: ["执行干部选拔任用政策法规", "选人用人风气", "整治选人用人不正之风"],
                               title: "选人用人工作"),
            cadreBallot: Ballot(options: [.init("认可", 100), .init("基本认可", 60), .init("不认可", 0)], aspects: []),
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: false, retirement: .beforeCutoff,
                                          retireesWithoutVotes: false, investigationPending: false, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 0), separateList: false),
            teamGrading: TeamGrading(method: .fixed, defaultGrade: "不评定"),
            cadreGrading: CadreGrading(defaultGrade: "基本认可", unfit: UnfitRule(options: ["不认可"], moreThan: Fraction(1, 3), grade: "不认可")),
            prerequisites: Prerequisites(minVoteScore: 80),
            triggers: TriggerRules(team: VoteTrigger(positiveOptions: ["好", "较好"], positiveBelow: Fraction(2, 3),
                                                     negativeOptions: ["差"], negativeAbove: Fraction(1, 3)),
                                   cadre: VoteTrigger(positiveOptions: ["认可"], positiveBelow: Fraction(2, 3),
                                                      negativeOptions: ["不认可"], negativeAbove: Fraction(1, 3))),
            subjects: .selectionReview,
            cadreConsequences: [GradeConsequence("不认可", "组织部门调查核实，有问题的按规定处理")]
        )
    }

    // MARK: regular-2019 (seed 000)

    public static var regular2019: Policy {
        Policy(
            name: "regular-2019",
            title: "本溪高新区领导班子领导干部日常考核（平时考核）",
            source: "seed 000 第六条",
            notes: [
                "日常考核评价：班子分好、较好、一般三个等次，干部分优秀、良好、一般三种意见（第六条）。",
                "办法不设比例、不给分数线：预设班子按得分分档（好 ≥ 90、较好 ≥ 75、其余一般），干部测评分（好/优秀 100、较好/良好 80、一般 60）不低于 90 的建议为优秀（借用 seed 001 的 90 分），不低于 70 的为良好，其余为一般；均为建议，由考核组在专项报告结论中确定。",
            ],
            teamScale: GradeScale(["好", "较好", "一般"]),
            cadreScale: GradeScale(["优秀", "良好", "一般"]),
            teamBallot: Ballot(options: [.init("好", 100), .init("较好", 80), .init("一般", 60)]),
            cadreBallot: Ballot(options: [.init("优秀", 100), .init("良好", 80), .init("一般", 60)]),
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: false, retirement: .halfYear,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 0), separateList: false),
            teamGrading: TeamGrading(method: .scoreBands, defaultGrade: "较好",
                                     scoreBands: [Band("好", min: 90), Band("较好", min: 75), Band("一般", min: 0)]),
            cadreGrading: CadreGrading(defaultGrade: "良好", voteScoreBands: [Band("良好", min: 70), Band("一般", min: 0)]),
            prerequisites: Prerequisites(minVoteScore: 90),
            triggers: TriggerRules()
        )
    }

    // MARK: clean-governance (seed 004, third text)

    public static var cleanGovernance: Policy {
        Policy(
            name: "clean-governance",
            title: "党风廉政建设责任制检查考核",
            source: "seed 004 第三篇第八条；第一篇第十七条；第二篇三3",
            notes: [
                "班子按“优秀、合格”得票率分档（R-S5）：90% 以上为好，70–89% 较好，50–69% 一般，不足 50% 为差；下限含本数，89.5% 属较好。",
                "干部不称职票超过三分之一的，建议为不称职，经组织考核认定（R-S6）。",
                "办法未规定干部优秀的条件：预设测评分（优秀 100、称职 80、基本称职 60、不称职 0）不低于 90 分的建议为优秀（借用 seed 001 的 90 分），其余建议为称职。",
                "年度考核排名后两位的单位领导班子实施约谈（第一篇第十七条，R-T3），排名按班子得分，无得分时按测评分。",
                "廉政建设考核表 14 项指标、累计 100 分，优秀 95–100、良好 80–94、合格 60–79、不合格 59 以下（第二篇，R-S9、R-S4）；分数含小数时按下限归档：94.5 属良好。",
            ],
            teamScale: GradeScale(["好", "较好", "一般", "差"]),
            cadreScale: annualCadreScale,
            teamBallot: Ballot(options: [.init("优秀", 100), .init("合格", 80), .init("不合格", 0)]),
            cadreBallot: cadreBallot,
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: false, retirement: .halfYear,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 0), separateList: false),
            teamGrading: TeamGrading(method: .voteRateBands, defaultGrade: "差",
                                     voteRate: VoteRateBands(options: ["优秀", "合格"],
                                                             bands: [Band("好", min: 90), Band("较好", min: 70), Band("一般", min: 50), Band("差", min: 0)])),
            cadreGrading: CadreGrading(defaultGrade: "称职",
                                       unfit: UnfitRule(options: ["不称职"], moreThan: Fraction(1, 3), grade: "不称职")),
            prerequisites: Prerequisites(minVoteScore: 90),
            triggers: TriggerRules(admonition: AdmonitionRule(bottom: 2)),
            scorecard: ScorecardRules(itemCount: 14, maxTotal: 100, bands: scorecardBands)
        )
    }

    // MARK: target-responsibility (seed 004, fourth text)

    public static var targetResponsibility: Policy {
        Policy(
            name: "target-responsibility",
            title: "机关目标责任考核（量化计分）",
            source: "seed 004 第四篇 四、考核指标",
            notes: [
                "共性工作指标 40 分、工作目标 40 分按事项扣减，扣完为止（不低于 0）；日常工作指标按事项累计、不设上限，除以本机构实际工作人员人数；工作创新是日常工作指标的第 5 项，其加分（主任会议决定的按台账录入）计入日常工作指标后同样除以人数（R-S8）。",
                "“请假超过 15 天”按每人多请一天记一次 extraLeaveDay；“以上环节每缺一项扣 1 分”记 missingStep。",
                "办法只用于排序和表彰，不设等次；班子等次借用第二篇的分档（优秀 ≥ 95、良好 ≥ 80、合格 ≥ 60），仅供参考。",
            ],
            teamScale: GradeScale(["优秀", "良好", "合格", "不合格"]),
            cadreScale: annualCadreScale,
            teamBallot: teamBallot, cadreBallot: cadreBallot,
            eligibility: EligibilityRules(halfYearDays: 183, leaveUngraded: false, retirement: .halfYear,
                                          retireesWithoutVotes: false, investigationPending: true, villageTeamNotAssessed: false,
                                          secondment: SecondmentRule(excludedLevels: [], minMonthsInHost: 0), separateList: false),
            teamGrading: TeamGrading(method: .scoreBands, defaultGrade: "合格", scoreBands: scorecardBands),
            cadreGrading: CadreGrading(defaultGrade: "称职"),
            prerequisites: Prerequisites(minVoteScore: 90),
            triggers: TriggerRules(),
            targetResponsibility: TargetResponsibilityRules(commonBase: 40, targetBase: 40, floorAtZero: true, items: ledgerItems)
        )
    }

    static let ledgerItems: [LedgerItem] = [
        // 共性工作指标（40 分）
        .init("studyAbsenceWithLeave", "因私请假不参加学习（每人每次）", .common, -0.2),
        .init("studyAbsenceWithoutLeave", "无故不参加学习（每人每次）", .common, -0.5),
        .init("extraLeaveDay", "全年请假超过 15 天（每人每多一天）", .common, -0.5),
        .init("truancyDay", "无故旷工（每人每天）", .common, -1),
        .init("conductViolation", "违反规定被查处通报（每次）", .common, -3),
        .init("partyActivityAbsenceWithLeave", "因私不参加支部活动（每人每次）", .common, -0.2),
        .init("partyActivityAbsenceWithoutLeave", "无故不参加支部活动（每人每次）", .common, -0.5),
        .init("disciplinaryCase", "违纪被纪检部门查处（每起）", .common, -5),
        // 工作目标（40 分）
        .init("missedTarget", "未完成预定考核指标（每缺一项）", .target, -5),
        // 日常工作指标（累计，不设上限，除以人数）
        .init("regulationFirstReading", "起草法规草案提请一审", .daily, 10),
        .init("regulationSecondReading", "二审通过并报批", .daily, 10),
        .init("regulationToCongress", "决定提请代表大会审议", .daily, 5),
        .init("specialWorkReport", "听取审议专项工作报告（每个）", .daily, 5),
        .init("satisfactionVote", "开展满意度测评", .daily, 2),
        .init("specialInquiry", "开展专题询问", .daily, 8),
        .init("majorDecision", "讨论、决定重大事项（每项）", .daily, 5),
        .init("lawEnforcementInspection", "执法检查（每项）", .daily, 5),
        .init("lawEnforcementResearch", "执法调研（每项）", .daily, 3),
        .init("thematicResearch", "专题调研（每项）", .daily, 2),
        .init("deputyInspectionLead", "组织代表视察调研（每次）", .daily, 5),
        .init("deputyInspectionAssist", "协调代表视察调研（每次）", .daily, 2),
        .init("personnelItem", "人事任免等事项（每项）", .daily, 1),
        .init("otherWorkReport", "其他专项工作汇报类事项（每项）", .daily, 2),
        .init("otherListItem", "名单、参会情况汇报等（每项）", .daily, 1),
        .init("standingCommitteeSession", "组织常委会会议（每次）", .daily, 3),
        .init("standingCommitteeSessionLong", "组织一天以上的常委会会议（每次）", .daily, 5),
        .init("directorsMeeting", "组织主任会议（每次）", .daily, 2),
        .init("partyGroupMeeting", "组织党组会议、中心组学习、主任办公会议（每次）", .daily, 1),
        .init("cityMeetingLead", "组织全市性大型会议（每次）", .daily, 2),
        .init("cityMeetingAssist", "协办全市性大型会议（每次）", .daily, 1),
        .init("cityMeetingExtraDay", "全市性会议一天以上（每机构再加）", .daily, 1),
        .init("studyProgramLarge", "组织 60 人以上、5 天以上研修学习", .daily, 5),
        .init("studyProgramSmall", "组织其他研修学习", .daily, 3),
        .init("deputyTrainingLarge", "组织 100 人以上、2 天以上代表培训", .daily, 5),
        .init("deputyTrainingLargeAssist", "协助大型代表培训", .daily, 2),
        .init("deputyTrainingSmall", "组织其他代表培训", .daily, 3),
        .init("deputyTrainingSmallAssist", "协助其他代表培训", .daily, 1),
        .init("lecture", "组织专题讲座（每次）", .daily, 2),
        .init("studyVisit", "赴其他地市考察学习并形成报告（每次）", .daily, 2),
        .init("receptionNational", "承办全国、省人大副部级以上领导活动（每次）", .daily, 3),
        .init("receptionNationalCoordinate", "协调服务上述活动（每次）", .daily, 1),
        .init("receptionProvincial", "承办省人大机构、兄弟地市活动（每次）", .daily, 1),
        .init("receptionProvincialCoordinate", "协调服务上述活动（每次）", .daily, 0.5),
        .init("leadingGroupMember", "担任全市性领导组成员并履职（每项）", .daily, 5),
        .init("congressService", "全国、省人代会会务服务（每人次）", .daily, 1),
        .init("filingRegistration", "规范性文件接受登记、初审分送（每件）", .daily, 0.2),
        .init("filingReview", "规范性文件审查（每件）", .daily, 1),
        .init("filingCorrection", "执行纠正或撤销程序（每件）", .daily, 1),
        .init("letterRegistered", "群众来信登记、转办（每件）", .daily, 0.1),
        .init("visitRegistered", "群众来访登记、转办（每件）", .daily, 0.2),
        .init("petitionResolved", "督促群众诉求得到解决（每件）", .daily, 2),
        .init("documentManagement", "文件管理（全年）", .daily, 5),
        .init("personnelManagement", "人事管理（全年）", .daily, 5),
        .init("financeManagement", "财务管理（全年）", .daily, 5),
        .init("informationArticle", "编发信息（每篇）", .daily, 0.5),
        .init("informationLate", "重大活动信息未及时编发（每次）", .daily, -0.5),
        .init("magazineIssue", "编辑《运城人大》（每期）", .daily, 5),
        .init("articleNational", "国家级刊物发表研究文章（每件）", .daily, 3),
        .init("articleProvincial", "省级刊物发表研究文章（每件）", .daily, 2),
        .init("articleCity", "市级刊物发表研究文章（每件）", .daily, 1),
        .init("newsReport", "新闻刊物刊发报道（每件）", .daily, 0.5),
        .init("speechMedium", "起草讲话、报告 1000–2500 字（每篇）", .daily, 1),
        .init("speechLong", "起草讲话、报告 2500 字以上（每篇）", .daily, 2),
        .init("serviceError", "会议组织、文件、人事、财务等出现失误（每次）", .daily, -1),
        .init("missingStep", "考核要求环节每缺一项", .daily, -1),
        // 工作创新
        .init("regulationCommittee", "起草常委会规章制度并审议通过（每项）", .innovation, 5),
        .init("regulationCommitteeAmend", "起草常委会规章制度修订案并通过（每项）", .innovation, 3),
        .init("regulationOffice", "起草机关规章制度并经主任会议通过（每项）", .innovation, 3),
        .init("regulationOfficeAmend", "起草机关规章制度修订案并通过（每项）", .innovation, 2),
        .init("otherInnovation", "其他工作创新（主任会议决定的分值，录入 points）", .innovation, 0),
    ]
}
