import Foundation
@testable import KaoheServer
import Testing

extension KaoheServerTests {
    @Suite("Configuration")
    struct ConfigurationTests {
        @Test("Defaults: SQLite file kaohe.sqlite under ./data")
        func defaults() throws {
            let s = try Settings.fromEnvironment([:])
            #expect(s.storage == .sqlite(path: "./data/kaohe.sqlite"))
            #expect(s.secureCookies == false)
            #expect(s.sessionIdleMinutes == 30)
        }

        @Test("DATABASE_URL selects PostgreSQL")
        func postgres() throws {
            let s = try Settings.fromEnvironment(["DATABASE_URL": "postgres://u:p@127.0.0.1:5432/kaohe"])
            #expect(s.storage == .postgres(url: "postgres://u:p@127.0.0.1:5432/kaohe"))
        }

        @Test("Scheduled backups: 02:00, 14 daily and 12 monthly by default; another time, off, or a bad value named")
        func backupSettings() throws {
            let d = try Settings.fromEnvironment([:])
            #expect(d.backupTime == .init(hour: 2, minute: 0) && d.backupKeepDaily == 14 && d.backupKeepMonthly == 12)
            #expect(d.backupDirectory == "./data/backups")
            let s = try Settings.fromEnvironment(["KAOHE_BACKUP_TIME": "23:30", "KAOHE_BACKUP_KEEP_DAILY": "7", "KAOHE_BACKUP_DIR": "/mnt/nas"])
            #expect(s.backupTime == .init(hour: 23, minute: 30) && s.backupKeepDaily == 7 && s.backupDirectory == "/mnt/nas")
            #expect(try Settings.fromEnvironment(["KAOHE_BACKUP_TIME": "off"]).backupTime == nil)
            for bad in ["2", "24:00", "02:60", "2:5", "two", "02:00:00"] {
                #expect(throws: ConfigurationError.self, "\(bad)") { try Settings.fromEnvironment(["KAOHE_BACKUP_TIME": bad]) }
            }
            #expect(throws: ConfigurationError.self) { try Settings.fromEnvironment(["KAOHE_BACKUP_KEEP_DAILY": "0"]) }
        }

        @Test("Every bad setting is listed in one error")
        func allProblemsListed() {
            let env = [
                "DATABASE_URL": "mysql://x", "KAOHE_SECURE_COOKIES": "maybe",
                "KAOHE_ADMIN_PASSWORD": "short", "KAOHE_SESSION_IDLE_MINUTES": "0",
            ]
            do {
                _ = try Settings.fromEnvironment(env)
                Issue.record("accepted bad settings")
            } catch let error as ConfigurationError {
                #expect(error.problems.count == 4)
                let text = error.description
                for key in ["DATABASE_URL", "KAOHE_SECURE_COOKIES", "KAOHE_ADMIN_PASSWORD", "KAOHE_SESSION_IDLE_MINUTES"] {
                    #expect(text.contains(key))
                }
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
