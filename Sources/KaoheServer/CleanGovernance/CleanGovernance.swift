import Foundation
import AssessmentCore
import Fluent
import SQLKit

/// 党风廉政建设责任制检查考核 (seed 004, issue 13): a campaign of its own kind. Its checklist — the committee's 11
/// main-responsibility items (第一篇第四条), the discipline commission's 8 supervisory items (第五条), last year's
/// rectification (第六条) and the higher levels' deployments (第七条) — is the campaign's indicator system, so its
/// weights are edited per year on the indicators page and scored per unit as quantitative scores; the democratic
/// appraisal is the campaign's evaluation sessions (R-S5 vote-rate bands, R-S6); the ranking's bottom two are flagged
/// for admonition talks (R-T3); written feedback and rectification (R-R1) follow in `Rectification/`.
enum CleanGovernance {
    struct Item: Sendable { var name: String; var points: Double }

    /// The checklist with the preset's weights (100 points in all): seed 004 gives the items but no weights (第十一条:
    /// 科学制定检查考核指标体系及权重，并根据每年工作重点适当进行调整) — 5 points each main item, 4 each supervisory item,
    /// 8 for last year's rectification, 5 for the deployments; edit them per year.
    static let checklist: [Item] = [
        // 第四条 党委（党组）主体责任
        .init(name: "主体责任（一）加强对党风廉政建设领导", points: 5),
        .init(name: "主体责任（二）严明党的纪律", points: 5),
        .init(name: "主体责任（三）持续深入改进作风", points: 5),
        .init(name: "主体责任（四）落实中央八项规定精神，纠正“四风”问题", points: 5),
        .init(name: "主体责任（五）纠正部门和行业损害群众利益不正之风", points: 5),
        .init(name: "主体责任（六）防止选人用人上不正之风", points: 5),
        .init(name: "主体责任（七）领导和支持执纪执法机关查处违纪违法问题", points: 5),
        .init(name: "主体责任（八）建立权力运行制约和监督机制", points: 5),
        .init(name: "主体责任（九）建立健全并严格执行党风廉政建设法规制度", points: 5),
        .init(name: "主体责任（十）督促检查任务落实，对落实“两个责任”检查考核", points: 5),
        .init(name: "主体责任（十一）主要负责人管班子、带队伍、作表率", points: 5),
        // 第五条 纪委（纪检组）监督责任
        .init(name: "监督责任（一）协助党委加强党风建设和组织协调反腐败工作", points: 4),
        .init(name: "监督责任（二）对党的纪律执行情况开展执纪检查", points: 4),
        .init(name: "监督责任（三）对重大决策部署落实和职能部门履职开展监督检查", points: 4),
        .init(name: "监督责任（四）对八项规定精神和廉洁自律规定开展执纪监督", points: 4),
        .init(name: "监督责任（五）对同级党委和组成人员进行监督", points: 4),
        .init(name: "监督责任（六）审查和处置违反党纪政纪、涉嫌违法行为", points: 4),
        .init(name: "监督责任（七）严格党风廉政建设责任制责任追究", points: 4),
        .init(name: "监督责任（八）廉政宣传教育", points: 4),
        // 第六条、第七条
        .init(name: "上一年度检查考核发现问题的整改情况", points: 8),
        .init(name: "党风廉政建设和反腐败工作部署的落实情况", points: 5),
    ]

    /// 第十条: the ways a check may be made.
    static let methods = ["自查自评", "日常检查", "专项检查", "民主评议", "现场检查", "社会评价"]

    /// Adds the checklist as the campaign's indicators, inside the caller's audited transaction.
    static func seedChecklist(campaign: UUID, policy: Policy, db: any Database, audit: AuditRecorder) async throws {
        let part = Indicators.parts(of: policy)[0]
        for item in checklist {
            try await Indicators.add(part: part, name: item.name, max: item.points, scorer: nil, scorerLabel: "组织部", campaign: campaign,
                                     db: db, audit: audit)
        }
    }
}
