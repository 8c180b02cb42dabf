import Foundation
@testable import KaoheServer
import Testing
import Vapor

/// The rules of the house (docs/ARCHITECTURE.md), checked on the source tree: one route table, one clock,
/// controllers that do not call each other, frozen migrations, rule IDs defined in docs/rules.md.
extension KaoheServerTests {
    @Suite("House rules")
    struct HouseRulesTests {
        static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()

        /// Relative path → text of every file under `folder` ending in `suffix`.
        static func files(_ folder: String, _ suffix: String) throws -> [(path: String, text: String)] {
            let base = root.appendingPathComponent(folder)
            let paths = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            return try paths.filter { $0.hasSuffix(suffix) }.sorted().map {
                (folder + "/" + $0, try String(contentsOf: base.appendingPathComponent($0), encoding: .utf8))
            }
        }

        static func matches(_ pattern: String, in text: String) -> [String] {
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range, in: text)!])
            }
        }

        @Test("Every route of the table is registered, and nothing else is")
        func routeTable() async throws {
            let app = try await Application.make(.testing)
            do {
                try configure(app, settings: testSettings(NSTemporaryDirectory() + "kaohe-routes-\(UUID().uuidString)"))
                let registered = Set(app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") })
                let table = Set(SiteRoute.Pattern.allCases.map(\.rawValue))
                #expect(registered == table, "registered but not in the table: \(registered.subtracting(table)); in the table but not registered: \(table.subtracting(registered))")
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }

        @Test("A route's path fills its pattern's parameters in order")
        func routePaths() {
            let a = UUID(), b = UUID()
            #expect(SiteRoute.cadrePostEnd(cadre: a, post: b).path == "/cadres/\(a.uuidString)/posts/\(b.uuidString)/end")
            #expect(SiteRoute.unitEdit(a).path == "/units/\(a.uuidString)/edit")
            #expect(SiteRoute.home.path == "/")
            #expect(SiteRoute.login(next: "/cadres?q=张").path.hasPrefix("/login?next=%2Fcadres%3Fq%3D"))
            #expect(SiteRoute.login(next: "//evil.example").path == "/login")
            #expect(SiteRoute.cadre(a).path(notice: .saved) == "/cadres/\(a.uuidString)?notice=saved")
        }

        @Test("No literal route path in templates or server code outside the route table")
        func noLiteralPaths() throws {
            var found: [String] = []
            for (path, text) in try Self.files("Resources/Views", ".leaf") {
                for m in Self.matches(#"(href|action)="/[^"]*""#, in: text) where !m.contains("=\"/css/") {
                    found.append("\(path): \(m)")
                }
            }
            for (path, text) in try Self.files("Sources/KaoheServer", ".swift") where !path.hasSuffix("Web/SiteRoute.swift") {
                // A string literal that starts like a path ("/units…"), or a route registered by string. (Not the
                // file system's /usr/…, where PostgreSQL's programs are looked for.)
                for m in Self.matches(#""/(?!usr/)[A-Za-z]|(?<!parameters)\.(get|post|on)\(\s*""#, in: text) { found.append("\(path): \(m)") }
            }
            #expect(found.isEmpty, "\(found)")
        }

        @Test("No controller refers to another controller type")
        func controllersIndependent() throws {
            var found: [String] = []
            for (path, text) in try Self.files("Sources/KaoheServer", ".swift") {
                let file = (path as NSString).lastPathComponent
                guard file.contains("Controller") else { continue }
                let own = String(file.prefix { $0 != "+" && $0 != "." })
                for name in Set(Self.matches(#"\b[A-Z][A-Za-z]*Controller\b"#, in: text)) where name != own {
                    found.append("\(path) → \(name)")
                }
            }
            #expect(found.isEmpty, "\(found)")
        }

        @Test("Nothing in the server reads the system time but the clock")
        func oneClock() throws {
            let found = try Self.files("Sources/KaoheServer", ".swift").filter {
                !$0.path.hasSuffix("App/OrganisationClock.swift") && $0.text.contains("Date()")
            }.map(\.path)
            #expect(found.isEmpty, "\(found)")
        }

        @Test("Every Leaf #if(…) and #elseif(…) is followed by an ASCII colon (without it, or with a full-width ：, the page fails when rendered)")
        func leafConditionsHaveColons() throws {
            var found: [String] = []
            for file in try Self.files("Resources/Views", ".leaf") {
                let chars = Array(file.text)
                var i = 0
                while i < chars.count {
                    let rest = String(chars[i..<min(i + 8, chars.count)])
                    guard rest.hasPrefix("#if(") || rest.hasPrefix("#elseif(") else { i += 1; continue }
                    var j = i + (rest.hasPrefix("#if(") ? 4 : 8), depth = 1
                    while j < chars.count && depth > 0 { if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1 }; j += 1 }
                    if j >= chars.count || chars[j] != ":" { found.append("\(file.path): \(String(chars[i..<min(j + 2, chars.count)]))") }
                    i = j
                }
            }
            #expect(found.isEmpty, "\(found)")
        }

        @Test("Migrations state their schema and seed data themselves (no models, no live constants)")
        func frozenMigrations() throws {
            let models = try Self.files("Sources/KaoheServer/Models", ".swift").flatMap {
                Self.matches(#"(?<=final class )[A-Za-z]+(?=: Model)"#, in: $0.text)
            }
            #expect(models.contains("Cadre") && models.contains("UnitCategory"))
            var found: [String] = []
            for (path, text) in try Self.files("Sources/KaoheServer/Migrations", ".swift") {
                for name in models + ["AuditChain", "Settings", "Role"] where !Self.matches(#"\b\#(name)\b"#, in: text).isEmpty {
                    found.append("\(path) uses \(name)")
                }
            }
            #expect(found.isEmpty, "\(found)")
        }

        @Test("Every rule ID the code and tests cite is defined in docs/rules.md")
        func ruleIDsDefined() throws {
            let rules = try String(contentsOf: Self.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
            let defined = Set(Self.matches(#"R-[A-Z]+[0-9]+"#, in: rules))
            var cited: Set<String> = []
            for folder in ["Sources", "Tests"] {
                for (_, text) in try Self.files(folder, ".swift") { cited.formUnion(Self.matches(#"R-[A-Z]+[0-9]+"#, in: text)) }
            }
            #expect(cited.count > 20)
            #expect(cited.subtracting(defined).isEmpty, "cited but not in docs/rules.md: \(cited.subtracting(defined).sorted())")
        }

        @Test("`kaohe routes` and `kaohe --help` open no database: no file, no administrator, no password printed")
        func printingCommandsTouchNoDatabase() async throws {
            for arguments in [["routes"], ["--help"], ["serve", "--help"]] {
                let dir = NSTemporaryDirectory() + "kaohe-print-\(UUID().uuidString)"
                let settings = Settings(dataDirectory: dir, storage: .sqlite(path: dir + "/kaohe.sqlite"))
                let code = await KaoheMain.execute(arguments, environment: Environment(name: "testing", arguments: ["kaohe"] + arguments),
                                                   settings: settings)
                #expect(code == 0, "\(arguments)")
                #expect(!FileManager.default.fileExists(atPath: dir), "\(arguments) created \(dir)")
            }
            #expect(KaoheMain.usesDatabase([]) && KaoheMain.usesDatabase(["serve", "--port", "8080"]))
            #expect(KaoheMain.usesDatabase(["import", "roster", "x.xlsx"]) && KaoheMain.usesDatabase(["audit", "verify"]))
            #expect(!KaoheMain.usesDatabase(["routes"]) && !KaoheMain.usesDatabase(["import", "--help"]))
        }
    }
}
