import Fluent
import Foundation
import SQLKit

/// 领导干部. `code` (干部编号) is the stable key used by roster re-imports.
final class Cadre: Model, @unchecked Sendable {
    static let schema = "cadres"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "gender") var gender: String
    @OptionalField(key: "birth_date") var birthDate: String?
    @Field(key: "political_status") var politicalStatus: String
    @Field(key: "education") var education: String
    @Field(key: "rank") var rank: String
    // Status facts (DOMAIN.md §3) that are not per year.
    @OptionalField(key: "retired_on") var retiredOn: String?
    @Field(key: "under_investigation") var underInvestigation: Bool
    @Field(key: "village_team") var villageTeam: Bool
    @Field(key: "awaiting_assignment") var awaitingAssignment: Bool
    // 干部任免审批表 fields (migration 008): empty when not known.
    @Field(key: "ethnicity") var ethnicity: String
    @Field(key: "native_place") var nativePlace: String
    @Field(key: "birth_place") var birthPlace: String
    @Field(key: "work_start") var workStart: String
    @Field(key: "party_joined") var partyJoined: String
    @Field(key: "rank_since") var rankSince: String
    @Field(key: "full_time_education") var fullTimeEducation: String
    @Field(key: "full_time_degree") var fullTimeDegree: String
    @Field(key: "part_time_education") var partTimeEducation: String
    @Field(key: "part_time_degree") var partTimeDegree: String
    @Field(key: "id_number") var idNumber: String
    @Children(for: \.$cadre) var posts: [Post]
    // Set from the organisation's clock by each writer (not Fluent's timestamps, which read the system time): a
    // roster preview compares `updatedAt` with the file's save time.
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?
    init() {}

    var fields: CadreFields {
        get {
            CadreFields(code: code, name: name, gender: gender, birthDate: birthDate, politicalStatus: politicalStatus,
                        education: education, rank: rank, retiredOn: retiredOn, underInvestigation: underInvestigation,
                        villageTeam: villageTeam, awaitingAssignment: awaitingAssignment, ethnicity: ethnicity,
                        nativePlace: nativePlace, birthPlace: birthPlace, workStart: workStart, partyJoined: partyJoined,
                        rankSince: rankSince, fullTimeEducation: fullTimeEducation, fullTimeDegree: fullTimeDegree,
                        partTimeEducation: partTimeEducation, partTimeDegree: partTimeDegree, idNumber: idNumber)
        }
        set {
            code = newValue.code; name = newValue.name; gender = newValue.gender; birthDate = newValue.birthDate
            politicalStatus = newValue.politicalStatus; education = newValue.education; rank = newValue.rank
            retiredOn = newValue.retiredOn; underInvestigation = newValue.underInvestigation
            villageTeam = newValue.villageTeam; awaitingAssignment = newValue.awaitingAssignment
            ethnicity = newValue.ethnicity; nativePlace = newValue.nativePlace; birthPlace = newValue.birthPlace
            workStart = newValue.workStart; partyJoined = newValue.partyJoined; rankSince = newValue.rankSince
            fullTimeEducation = newValue.fullTimeEducation; fullTimeDegree = newValue.fullTimeDegree
            partTimeEducation = newValue.partTimeEducation; partTimeDegree = newValue.partTimeDegree; idNumber = newValue.idNumber
        }
    }
}

extension Cadre {
    /// Marks cadres' records as changed now (posts and yearly facts included): a roster saved before this moment is
    /// older than the record, and its preview says so.
    static func touch(_ ids: [UUID], now: Date, on sql: any SQLDatabase) async throws {
        for chunk in SQLBatch.chunks(ids) {
            try await sql.update("cadres").set("updated_at", to: SQLBind(now)).where("id", .in, SQLBind.group(Array(chunk))).run()
        }
    }
}

/// A cadre's personal data and standing status facts: what `CadreRules` produces from the form or a roster
/// row, what the database stores and what the audit log records (one snapshot shape for every writer, so a
/// re-import of unchanged data writes nothing).
struct CadreFields: Sendable, Equatable {
    var code: String
    var name: String
    var gender: String
    var birthDate: String?
    var politicalStatus: String
    var education: String
    var rank: String
    var retiredOn: String?
    var underInvestigation: Bool
    var villageTeam: Bool
    var awaitingAssignment: Bool
    // 干部任免审批表 (empty: not known); see `recordFields`.
    var ethnicity = ""
    var nativePlace = ""
    var birthPlace = ""
    var workStart = ""
    var partyJoined = ""
    var rankSince = ""
    var fullTimeEducation = ""
    var fullTimeDegree = ""
    var partTimeEducation = ""
    var partTimeDegree = ""
    var idNumber = ""

    /// The 干部任免审批表 fields, read, stored, audited and shown alike: text columns, empty when not known.
    struct RecordField: Sendable {
        enum Kind: Sendable { case text, monthDate, idNumber }
        var column: RosterColumn
        /// Snapshot key and form field name.
        var key: String
        var sqlColumn: String
        var path: WritableKeyPath<CadreFields, String> & Sendable
        var kind: Kind = .text
        var label: String { column.rawValue }
    }

    static let recordFields: [RecordField] = [
        .init(column: .idNumber, key: "idNumber", sqlColumn: "id_number", path: \.idNumber, kind: .idNumber),
        .init(column: .ethnicity, key: "ethnicity", sqlColumn: "ethnicity", path: \.ethnicity),
        .init(column: .nativePlace, key: "nativePlace", sqlColumn: "native_place", path: \.nativePlace),
        .init(column: .birthPlace, key: "birthPlace", sqlColumn: "birth_place", path: \.birthPlace),
        .init(column: .partyJoined, key: "partyJoined", sqlColumn: "party_joined", path: \.partyJoined, kind: .monthDate),
        .init(column: .workStart, key: "workStart", sqlColumn: "work_start", path: \.workStart, kind: .monthDate),
        .init(column: .fullTimeEducation, key: "fullTimeEducation", sqlColumn: "full_time_education", path: \.fullTimeEducation),
        .init(column: .fullTimeDegree, key: "fullTimeDegree", sqlColumn: "full_time_degree", path: \.fullTimeDegree),
        .init(column: .partTimeEducation, key: "partTimeEducation", sqlColumn: "part_time_education", path: \.partTimeEducation),
        .init(column: .partTimeDegree, key: "partTimeDegree", sqlColumn: "part_time_degree", path: \.partTimeDegree),
        .init(column: .rankSince, key: "rankSince", sqlColumn: "rank_since", path: \.rankSince, kind: .monthDate),
    ]

    /// The fields in form order with their Chinese labels, as snapshot keys (previews, the audit page).
    static let labels: [(key: String, label: String)] = [
        ("code", "干部编号"), ("name", "姓名"), ("gender", "性别"), ("birthDate", "出生日期"), ("politicalStatus", "政治面貌"),
        ("education", "学历"), ("rank", "职级"), ("retiredOn", "退休日期"), ("underInvestigation", "立案审查"),
        ("villageTeam", "驻村工作队"), ("awaitingAssignment", "免职待安排"),
    ] + recordFields.map { ($0.key, $0.label) }

    /// The fields that differ, in form order: label, old and new value as shown (身份证号 masked: previews are
    /// shown to unit administrators too).
    static func differences(_ a: CadreFields, _ b: CadreFields) -> [(label: String, old: String, new: String)] {
        let x = a.auditSnapshot, y = b.auditSnapshot
        return labels.compactMap { f in
            guard x[f.key] != y[f.key] else { return nil }
            let old = x[f.key] ?? "", new = y[f.key] ?? ""
            return f.key == "idNumber" ? (f.label, IDNumber.masked(old), IDNumber.masked(new)) : (f.label, old, new)
        }
    }

    /// Every field in a fixed order, unambiguously separated (a plan's digest).
    var canonical: String {
        ([code, name, gender, birthDate ?? "\u{0}", politicalStatus, education, rank, retiredOn ?? "\u{0}",
          underInvestigation ? "1" : "0", villageTeam ? "1" : "0", awaitingAssignment ? "1" : "0"]
            + Self.recordFields.map { self[keyPath: $0.path] }).joined(separator: "\u{1}")
    }

    var auditSnapshot: [String: String] {
        var s = [
            "code": code, "name": name, "gender": gender, "birthDate": birthDate ?? "",
            "politicalStatus": politicalStatus, "education": education, "rank": rank,
            "retiredOn": retiredOn ?? "", "underInvestigation": underInvestigation ? "是" : "否",
            "villageTeam": villageTeam ? "是" : "否", "awaitingAssignment": awaitingAssignment ? "是" : "否",
        ]
        // Record fields only when known: older snapshots (before 008) compare equal to unchanged new ones.
        for f in Self.recordFields where !self[keyPath: f.path].isEmpty { s[f.key] = self[keyPath: f.path] }
        return s
    }
}

/// A cadre's personal fields as one roster row gives them: each field kept, set or cleared. A blank cell never
/// erases a stored value; clearing is explicit (「（清空）」). On a new cadre, kept fields are empty (flags 否).
struct CadrePatch: Sendable, Equatable {
    enum Edit<T: Sendable & Equatable>: Sendable, Equatable {
        case keep, set(T), clear

        func applied(to value: T, empty: T) -> T {
            switch self {
            case .keep: value
            case .set(let v): v
            case .clear: empty
            }
        }
    }

    var code: String
    var name: Edit<String>
    var gender: Edit<String>
    var birthDate: Edit<String>
    var politicalStatus: Edit<String>
    var education: Edit<String>
    var rank: Edit<String>
    var retiredOn: Edit<String>
    var underInvestigation: Edit<Bool>
    var villageTeam: Edit<Bool>
    var awaitingAssignment: Edit<Bool>
    /// The 干部任免审批表 fields, in `CadreFields.recordFields` order.
    var record: [Edit<String>] = Array(repeating: .keep, count: CadreFields.recordFields.count)

    /// The fields after the patch, on a stored record or (nil) on a new one.
    func applied(to base: CadreFields?) -> CadreFields {
        let b = base ?? CadreFields(code: code, name: "", gender: "", birthDate: nil, politicalStatus: "", education: "", rank: "",
                                    retiredOn: nil, underInvestigation: false, villageTeam: false, awaitingAssignment: false)
        func optional(_ e: Edit<String>, _ v: String?) -> String? {
            switch e {
            case .keep: v
            case .set(let x): x
            case .clear: nil
            }
        }
        var out = b
        out.code = code; out.name = name.applied(to: b.name, empty: ""); out.gender = gender.applied(to: b.gender, empty: "")
        out.birthDate = optional(birthDate, b.birthDate); out.politicalStatus = politicalStatus.applied(to: b.politicalStatus, empty: "")
        out.education = education.applied(to: b.education, empty: ""); out.rank = rank.applied(to: b.rank, empty: "")
        out.retiredOn = optional(retiredOn, b.retiredOn)
        out.underInvestigation = underInvestigation.applied(to: b.underInvestigation, empty: false)
        out.villageTeam = villageTeam.applied(to: b.villageTeam, empty: false)
        out.awaitingAssignment = awaitingAssignment.applied(to: b.awaitingAssignment, empty: false)
        for (i, f) in CadreFields.recordFields.enumerated() { out[keyPath: f.path] = record[i].applied(to: b[keyPath: f.path], empty: "") }
        return out
    }

    /// The personal columns this row gives (sets or clears).
    var givenColumns: [RosterColumn] {
        func given<T>(_ e: Edit<T>) -> Bool { e != .keep }
        let all: [(RosterColumn, Bool)] = [
            (.name, given(name)), (.gender, given(gender)), (.birthDate, given(birthDate)), (.politicalStatus, given(politicalStatus)),
            (.education, given(education)), (.rank, given(rank)), (.retiredOn, given(retiredOn)),
            (.underInvestigation, given(underInvestigation)), (.villageTeam, given(villageTeam)),
            (.awaitingAssignment, given(awaitingAssignment)),
        ] + zip(CadreFields.recordFields, record).map { ($0.column, given($1)) }
        return all.filter(\.1).map(\.0)
    }

    /// The personal columns where this row and `other` (another row of the same cadre) give different values.
    func conflicts(with other: CadrePatch) -> [RosterColumn] {
        func differ<T>(_ a: Edit<T>, _ b: Edit<T>) -> Bool { a != .keep && b != .keep && a != b }
        var out: [RosterColumn] = []
        if differ(name, other.name) { out.append(.name) }
        if differ(gender, other.gender) { out.append(.gender) }
        if differ(birthDate, other.birthDate) { out.append(.birthDate) }
        if differ(politicalStatus, other.politicalStatus) { out.append(.politicalStatus) }
        if differ(education, other.education) { out.append(.education) }
        if differ(rank, other.rank) { out.append(.rank) }
        if differ(retiredOn, other.retiredOn) { out.append(.retiredOn) }
        if differ(underInvestigation, other.underInvestigation) { out.append(.underInvestigation) }
        if differ(villageTeam, other.villageTeam) { out.append(.villageTeam) }
        if differ(awaitingAssignment, other.awaitingAssignment) { out.append(.awaitingAssignment) }
        for (i, f) in CadreFields.recordFields.enumerated() where differ(record[i], other.record[i]) { out.append(f.column) }
        return out
    }

    /// What two rows of one cadre give together (they do not conflict): each field from whichever row gives it.
    func merged(with other: CadrePatch) -> CadrePatch {
        func pick<T>(_ a: Edit<T>, _ b: Edit<T>) -> Edit<T> { a == .keep ? b : a }
        return CadrePatch(
            code: code, name: pick(name, other.name), gender: pick(gender, other.gender), birthDate: pick(birthDate, other.birthDate),
            politicalStatus: pick(politicalStatus, other.politicalStatus), education: pick(education, other.education),
            rank: pick(rank, other.rank), retiredOn: pick(retiredOn, other.retiredOn),
            underInvestigation: pick(underInvestigation, other.underInvestigation), villageTeam: pick(villageTeam, other.villageTeam),
            awaitingAssignment: pick(awaitingAssignment, other.awaitingAssignment), record: zip(record, other.record).map(pick))
    }

    /// The columns a new cadre must have but this patch leaves blank.
    var missingForNew: [RosterColumn] {
        (name == .keep ? [.name] : []) + (gender == .keep ? [.gender] : [])
    }
}
