import Fluent
import Foundation

/// Per-year status facts: leave days and secondment (R-E3, R-E4, R-E5).
final class CadreYearFact: Model, @unchecked Sendable {
    static let schema = "cadre_year_facts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "cadre_id") var cadre: Cadre
    @Field(key: "year") var year: Int
    @Field(key: "leave_days") var leaveDays: Int
    @OptionalField(key: "secondment_level") var secondmentLevel: String?
    @OptionalParent(key: "secondment_host_unit_id") var secondmentHost: Unit?
    @OptionalField(key: "secondment_months") var secondmentMonths: Int?
    init() {}

    var fields: YearFactFields {
        get {
            YearFactFields(cadreID: $cadre.id, year: year, leaveDays: leaveDays, secondmentLevel: secondmentLevel,
                           secondmentHostUnitID: $secondmentHost.id, secondmentMonths: secondmentMonths)
        }
        set {
            $cadre.id = newValue.cadreID; year = newValue.year; leaveDays = newValue.leaveDays
            secondmentLevel = newValue.secondmentLevel; $secondmentHost.id = newValue.secondmentHostUnitID
            secondmentMonths = newValue.secondmentMonths
        }
    }
}

/// One cadre's facts of one year as stored and audited.
struct YearFactFields: Sendable, Equatable {
    var cadreID: UUID
    var year: Int
    var leaveDays: Int
    var secondmentLevel: String? = nil
    var secondmentHostUnitID: UUID? = nil
    var secondmentMonths: Int? = nil

    /// What a year records, as a line: 「请假 3 天；挂职：县级，城关镇，6 个月」.
    func summary(unitName: (UUID?) -> String) -> String {
        var parts = ["请假 \(leaveDays) 天"]
        if let level = secondmentLevel {
            parts.append("挂职：\(level)级，\(unitName(secondmentHostUnitID))" + (secondmentMonths.map { "，\($0) 个月" } ?? ""))
        }
        return parts.joined(separator: "；")
    }

    /// The facts that differ: label, old and new value as shown (the host unit by name).
    static func differences(_ a: YearFactFields, _ b: YearFactFields, unitName: (UUID?) -> String) -> [(label: String, old: String, new: String)] {
        var out: [(String, String, String)] = []
        if a.leaveDays != b.leaveDays { out.append(("请假天数", String(a.leaveDays), String(b.leaveDays))) }
        if a.secondmentLevel != b.secondmentLevel { out.append(("挂职层级", a.secondmentLevel ?? "", b.secondmentLevel ?? "")) }
        if a.secondmentHostUnitID != b.secondmentHostUnitID {
            out.append(("挂职单位", unitName(a.secondmentHostUnitID), unitName(b.secondmentHostUnitID)))
        }
        if a.secondmentMonths != b.secondmentMonths {
            out.append(("挂职月数", a.secondmentMonths.map(String.init) ?? "", b.secondmentMonths.map(String.init) ?? ""))
        }
        return out
    }

    var auditSnapshot: [String: String] {
        [
            "cadreID": cadreID.uuidString, "year": String(year), "leaveDays": String(leaveDays),
            "secondmentLevel": secondmentLevel ?? "", "secondmentHostUnitID": secondmentHostUnitID?.uuidString ?? "",
            "secondmentMonths": secondmentMonths.map(String.init) ?? "",
        ]
    }
}
