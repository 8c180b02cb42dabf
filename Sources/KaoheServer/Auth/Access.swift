import Fluent
import SQLKit
import Vapor

/// Requires a logged-in account; pages redirect to the login form, other requests get 401.
/// An account with a printed first password is sent to the password form until it changes it.
struct RequireAccount: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let account = request.account else {
            if request.method == .GET {
                let next = request.url.path + (request.url.query.map { "?\($0)" } ?? "")
                return request.redirect(to: SiteRoute.login(next: next).path)
            }
            throw Abort(.unauthorized, reason: "请先登录。")
        }
        if account.mustChangePassword,
           ![SiteRoute.password.path, SiteRoute.logout.path].contains(request.url.path) {
            if request.method == .GET { return request.redirect(to: SiteRoute.password.path) }
            throw Abort(.forbidden, reason: "请先修改初始密码。")
        }
        return try await next.respond(to: request)
    }
}

/// Requires one of the given roles.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>
    init(_ roles: Role...) { self.roles = Set(roles) }
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let role = request.account?.role, roles.contains(role) else {
            throw Abort(.forbidden, reason: "您的账号无权访问此页面。")
        }
        return try await next.respond(to: request)
    }
}

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
    /// The registry scope of the logged-in account, checked on the server for every route.
    func scope() async throws -> Scope {
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

    /// Whether the account may change registry data (units, cadres, posts) within its scope.
    var canEditRegistry: Bool {
        guard let role = account?.role else { return false }
        return role == .admin || role == .organisationDepartment || role == .unitAdmin
    }

    /// Loads a cadre if the account's scope covers it; otherwise 404, so that a URL reveals nothing.
    func scopedCadre(_ id: UUID) async throws -> Cadre {
        guard let cadre = try await Cadre.find(id, on: db) else { throw Abort(.notFound, reason: "找不到该干部。") }
        switch try await scope() {
        case .all:
            return cadre
        case .cadre(let own) where own == id:
            return cadre
        case .units(let ids) where !ids.isEmpty:
            let inScope = try await Post.query(on: db)
                .filter(\.$cadre.$id == id).filter(\.$endDate == nil).filter(\.$unit.$id ~~ ids).count()
            if inScope > 0 { return cadre }
        default:
            break
        }
        throw Abort(.notFound, reason: "找不到该干部。")
    }

    func scopedUnit(_ id: UUID) async throws -> Unit {
        guard let unit = try await Unit.find(id, on: db), try await scope().allowsUnit(id) else {
            throw Abort(.notFound, reason: "找不到该单位。")
        }
        return unit
    }
}
