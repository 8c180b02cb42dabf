import AssessmentCore
import Foundation
import SQLKit

/// 实绩公示 (R-P6, seed 002 §三(二)2 考核工作开始前对领导班子工作实绩进行公示): the period a team's 实绩清单 is posted and
/// where opinions go. Where the policy asks for it, a unit's democratic evaluation is arranged only after its publicity
/// has ended.
enum Publicity {
    struct Entry: Decodable, Sendable { var starts_on: String; var ends_on: String; var contact: String }

    static func load(campaign: UUID, unit: UUID, on sql: any SQLDatabase) async throws -> Entry? {
        try await sql.raw("SELECT starts_on, ends_on, contact FROM publicity WHERE campaign_id = \(bind: campaign) AND unit_id = \(bind: unit)")
            .first(decoding: Entry.self)
    }

    /// Why `policy` does not let the unit's evaluation be held on `heldOn` yet (nil: it may).
    static func problem(policy: Policy, campaign: UUID, unit: UUID, unitName: String, heldOn: Day, on sql: any SQLDatabase) async throws -> String? {
        guard policy.materials?.publicity == true else { return nil }
        guard let entry = try await load(campaign: campaign, unit: unit, on: sql), let ends = Day(entry.ends_on) else {
            return "「\(unitName)」尚未进行实绩公示：考核工作开始前应对领导班子工作实绩进行公示（R-P6，seed 002 §三(二)2），请先在「考核材料」中安排公示。"
        }
        guard ends < heldOn else {
            return "「\(unitName)」的实绩公示 \(entry.ends_on) 结束，测评日期应在公示期结束之后（R-P6）。"
        }
        return nil
    }
}
