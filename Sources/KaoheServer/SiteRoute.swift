import Foundation

/// Every page path comes from here, so a link cannot be mistyped.
enum SiteRoute: Sendable {
    case home
    case healthz
    case login(next: String?)
    case logout
    case password
    case units
    case unitNew
    case unit(UUID)
    case unitEdit(UUID)
    case cadres
    case cadreNew
    case cadre(UUID)
    case cadreEdit(UUID)
    case cadrePosts(UUID)
    case cadreFacts(UUID)
    case cadrePostEnd(cadre: UUID, post: UUID)
    case unitCategories
    case rosterImport
    case rosterTemplate
    case rosterExport
    case accounts
    case accountNew
    case account(UUID)
    case groups
    case audit

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .login(let next):
            if let next, next != "/", next.hasPrefix("/"), !next.hasPrefix("//"),
               let q = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                "/login?next=\(q)"
            } else {
                "/login"
            }
        case .logout: "/logout"
        case .password: "/password"
        case .units: "/units"
        case .unitNew: "/units/new"
        case .unit(let id): "/units/\(id.uuidString)"
        case .unitEdit(let id): "/units/\(id.uuidString)/edit"
        case .cadres: "/cadres"
        case .cadreNew: "/cadres/new"
        case .cadre(let id): "/cadres/\(id.uuidString)"
        case .cadreEdit(let id): "/cadres/\(id.uuidString)/edit"
        case .cadrePosts(let id): "/cadres/\(id.uuidString)/posts"
        case .cadreFacts(let id): "/cadres/\(id.uuidString)/facts"
        case .cadrePostEnd(let cadre, let post): "/cadres/\(cadre.uuidString)/posts/\(post.uuidString)/end"
        case .unitCategories: "/units/categories"
        case .rosterImport: "/roster/import"
        case .rosterTemplate: "/roster/template.xlsx"
        case .rosterExport: "/roster/export.xlsx"
        case .accounts: "/accounts"
        case .accountNew: "/accounts/new"
        case .account(let id): "/accounts/\(id.uuidString)"
        case .groups: "/groups"
        case .audit: "/audit"
        }
    }
}
