import Fluent
import Vapor

/// What registry data an account may see: everything, a set of units, or one cadre.
enum Scope: Sendable, Equatable {
    case all
    case units(Set<UUID>)
    case cadre(UUID?)
    case none

    var unitIDs: Set<UUID>? {
        if case .units(let ids) = self { return ids }
        return nil
    }

    func allowsUnit(_ id: UUID) -> Bool {
        switch self {
        case .all: true
        case .units(let ids): ids.contains(id)
        case .cadre, .none: false
        }
    }

    var canSeeRegistry: Bool {
        switch self {
        case .all, .units: true
        case .cadre, .none: false
        }
    }
}

extension Request {
    private struct ScopeKey: StorageKey { typealias Value = Scope }

    /// The registry scope of the logged-in account, checked on the server for every route. Computed once per
    /// request (a group member's scope is a query) and kept for the rest of it.
    func scope() async throws -> Scope {
        if let cached = storage[ScopeKey.self] { return cached }
        let scope = try await computeScope()
        storage[ScopeKey.self] = scope
        return scope
    }

    private func computeScope() async throws -> Scope {
        guard let account else { return .none }
        switch account.role {
        case .admin, .organisationDepartment:
            return .all
        case .unitAdmin:
            return account.$unit.id.map { .units([$0]) } ?? .none
        case .groupMember:
            let rows = try await AssessmentGroupUnit.query(on: db)
                .join(AssessmentGroupMember.self, on: \AssessmentGroupUnit.$group.$id == \AssessmentGroupMember.$group.$id)
                .filter(AssessmentGroupMember.self, \.$account.$id == account.requireID())
                .all()
            return .units(Set(rows.map { $0.$unit.id }))
        case .cadre:
            return .cadre(account.$cadre.id)
        case .scoringUnit:
            return .none
        }
    }

    /// The record id in the path; a malformed one is a record that does not exist (404, in the record's words).
    func pathID(_ record: RequestFailure.Record, _ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw RequestFailure.notFound(record) }
        return id
    }

    var isDepartmentWide: Bool { account?.role.isDepartmentWide ?? false }

    /// The units an account works on: nil for the organisation department (all), its units for a unit's account;
    /// 403 for accounts with no units (a cadre, a scoring unit).
    func workingUnits() async throws -> Set<UUID>? {
        switch try await scope() {
        case .all: return nil
        case .units(let ids): return ids
        default: throw RequestFailure.forbidden(.page)
        }
    }

    /// Whether the account may change registry data (units, cadres, posts) within its scope.
    var canEditRegistry: Bool {
        guard let role = account?.role else { return false }
        return role == .admin || role == .organisationDepartment || role == .unitAdmin
    }

    /// The scope of registry lists; 403 for accounts that see no registry (干部 see their own record only).
    func requireRegistryScope() async throws -> Scope {
        let scope = try await scope()
        guard scope.canSeeRegistry else { throw RequestFailure.forbidden(.registryView) }
        return scope
    }

    func requireDepartmentWide() throws {
        guard isDepartmentWide else { throw RequestFailure.forbidden(.unitMaintenance) }
    }

    func requireRegistryEditor() throws {
        guard canEditRegistry else { throw RequestFailure.forbidden(.registryEdit) }
    }

    /// Loads a cadre if the account's scope covers it; otherwise 404, so that a URL reveals nothing.
    func scopedCadre(_ id: UUID) async throws -> Cadre {
        guard let cadre = try await Cadre.find(id, on: db) else { throw RequestFailure.notFound(.cadre) }
        switch try await scope() {
        case .all:
            return cadre
        case .cadre(let own) where own == id:
            return cadre
        case .units(let ids) where !ids.isEmpty:
            if try await holdsOpenPost(cadreID: id, in: ids) { return cadre }
        default:
            break
        }
        throw RequestFailure.notFound(.cadre)
    }

    func scopedUnit(_ id: UUID) async throws -> Unit {
        guard let unit = try await Unit.find(id, on: db), try await scope().allowsUnit(id) else {
            throw RequestFailure.notFound(.unit)
        }
        return unit
    }

    /// Whether the account may change this cadre: an editor role, and (单位管理员) the cadre holds an open post in scope.
    func mayEditCadre(_ cadreID: UUID) async throws -> Bool {
        guard canEditRegistry else { return false }
        switch try await scope() {
        case .all: return true
        case .units(let ids) where !ids.isEmpty: return try await holdsOpenPost(cadreID: cadreID, in: ids)
        default: return false
        }
    }

    /// Loads a cadre for a change: 404 when out of scope, 403 when the account may not edit.
    func editableCadre(_ id: UUID) async throws -> Cadre {
        let cadre = try await scopedCadre(id)
        guard try await mayEditCadre(id) else { throw RequestFailure.forbidden(.cadreEdit) }
        return cadre
    }

    /// In scope = holds an open post (main or concurrent) in one of the units; the cadre list applies the same rule in SQL.
    private func holdsOpenPost(cadreID: UUID, in units: Set<UUID>) async throws -> Bool {
        try await Post.query(on: db).filter(\.$cadre.$id == cadreID).filter(\.$endDate == nil)
            .filter(\.$unit.$id ~~ units).count() > 0
    }
}
