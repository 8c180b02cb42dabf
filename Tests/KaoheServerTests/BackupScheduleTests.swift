import Fluent
import FluentSQLiteDriver
import Foundation
import OfficeDocuments
import SQLKit
import Testing
import Vapor
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 14, second part: scheduled backups and the administrator's warning; PostgreSQL backups (pg_dump) and
    /// restores; moving an SQLite database to PostgreSQL.
    @Suite("Scheduled backups, PostgreSQL backups and the move to PostgreSQL (issue 14)")
    struct BackupScheduleTests {
        static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

        @Test("Retention keeps the newest backup of each of the last 14 days and of the last 12 months, and only its own files")
        func retention() {
            var names: [String] = []
            // Two a day from 2026-01-01 to 2026-12-02 (the schedule and a retry), and files the schedule did not name.
            var day = Self.at("2026-01-01T12:00:00Z")
            while day <= Self.at("2026-12-02T12:00:00Z") {
                let f = DateFormatter()
                f.dateFormat = "yyyyMMdd"
                f.timeZone = TimeZone(identifier: "UTC")
                names += ["kaohe-\(f.string(from: day))-020000.sqlite", "kaohe-\(f.string(from: day))-093000.sqlite"]
                day = day.addingTimeInterval(86400)
            }
            names += ["notes.txt", "kaohe-20260101-010101.sqlite.partial", ".kaohe-20261202-020000.sqlite.X.partial"]
            let removed = Set(BackupRetention.surplus(names, daily: 14, monthly: 12))
            let kept = names.filter { !removed.contains($0) }.sorted()
            let daily = (19...30).map { "kaohe-202611\($0)-093000.sqlite" } + ["kaohe-20261201-093000.sqlite", "kaohe-20261202-093000.sqlite"]
            #expect(Set(kept).isSuperset(of: daily))
            // The last of each month, January to October (November's and December's are among the daily ones).
            for month in 1...10 {
                let last = Calendar(identifier: .gregorian).range(of: .day, in: .month, for: Self.at(String(format: "2026-%02d-15T00:00:00Z", month)))!.count
                #expect(kept.contains(String(format: "kaohe-2026%02d%02d-093000.sqlite", month, last)))
            }
            #expect(kept.filter { $0.hasPrefix("kaohe-2026") && $0.hasSuffix(".sqlite") }.count == 14 + 10)
            #expect(kept.contains("notes.txt") && kept.contains("kaohe-20260101-010101.sqlite.partial"))
            #expect(!removed.contains { $0.hasSuffix("020000.sqlite") == false && !$0.hasSuffix("093000.sqlite") })
            // Nothing kept beyond what is asked: one a day for 3 days, no months.
            #expect(BackupRetention.surplus(["kaohe-20261201-020000.dump", "kaohe-20261202-020000.dump", "kaohe-20261130-020000.dump"],
                                            daily: 2, monthly: 0) == ["kaohe-20261130-020000.dump"])
        }

        @Test("The scheduled backup is made once a day at 02:00 (at start when 02:00 was missed), recorded, pruned; the administrator's home page shows it and warns when it is old or failed")
        func scheduledBackups() async throws {
            try await withTestApp { app in
                let zone = Settings.defaultTimeZone
                #expect(BackupSchedule.slot(atOrBefore: Self.at("2026-12-02T01:00:00+08:00"), time: .init(hour: 2, minute: 0), timeZone: zone)
                        == Self.at("2026-12-01T02:00:00+08:00"))
                #expect(BackupSchedule.slot(atOrBefore: Self.at("2026-12-02T02:00:00+08:00"), time: .init(hour: 2, minute: 0), timeZone: zone)
                        == Self.at("2026-12-02T02:00:00+08:00"))
                let (clock, set) = OrganisationClock.manual(Self.at("2026-12-02T01:00:00+08:00"), timeZone: zone)
                app.clock = clock
                // Sessions end as the clock moves on: a fresh login for each look at the page.
                func adminHome() async throws -> String {
                    let admin = Browser(app)
                    try await admin.login("admin", testAdminPassword)
                    return try await admin.get("/").body.string
                }
                var home = try await adminHome()
                #expect(home.contains("class=\"warning\" id=\"backup-status\">尚无备份。每天 02:00 自动备份"))

                // The server started at 01:00: yesterday's 02:00 backup was missed, so it is made now, once.
                #expect(try await BackupSchedule.runIfDue(app))
                #expect(try await !BackupSchedule.runIfDue(app))
                let auto = BackupSchedule.directory(app.kaohe.settings)
                let ext = usingPostgres ? "dump" : "sqlite"
                #expect(try FileManager.default.contentsOfDirectory(atPath: auto) == ["kaohe-20261202-010000.\(ext)"])
                set(Self.at("2026-12-02T01:59:00+08:00"))
                #expect(try await !BackupSchedule.runIfDue(app))
                set(Self.at("2026-12-02T02:00:30+08:00"))
                #expect(try await BackupSchedule.runIfDue(app))
                // The newest of the day is kept; the earlier one of the same day goes.
                #expect(try FileManager.default.contentsOfDirectory(atPath: auto) == ["kaohe-20261202-020030.\(ext)"])
                home = try await adminHome()
                #expect(home.contains("class=\"notice\" id=\"backup-status\">最近一次备份：2026-12-02 02:00（自动，kaohe-20261202-020030.\(ext)"))

                // Two days and more without one: a warning.
                set(Self.at("2026-12-04T02:01:00+08:00"))
                home = try await adminHome()
                #expect(home.contains("class=\"warning\" id=\"backup-status\">最近一次备份已超过两天：2026-12-02 02:00"))

                // A backup that cannot be written is recorded as failed, and the page says why.
                let blocker = app.kaohe.settings.dataDirectory + "/not-a-directory"
                _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
                app.kaohe.settings.backupDirectory = blocker + "/backups"
                #expect(try await BackupSchedule.runIfDue(app))
                home = try await adminHome()
                #expect(home.contains("class=\"warning\" id=\"backup-status\">备份失败（2026-12-04 02:01）：无法创建备份目录"))
                #expect(try await app.count("backup_runs") == 3)

                // Only the administrator sees it.
                _ = try await app.makeAccount("clerk", role: .organisationDepartment)
                let clerk = Browser(app)
                try await clerk.login("clerk", "password-1234")
                #expect(try await !clerk.get("/").body.string.contains("backup-status"))

                // A manual backup counts too (kaohe backup records itself).
                app.kaohe.settings.backupDirectory = app.kaohe.settings.dataDirectory + "/backups"
                let code = try await Self.runBackupCommand(app)
                #expect(code == 0)
                home = try await adminHome()
                #expect(home.contains("class=\"notice\" id=\"backup-status\">最近一次备份：2026-12-04 02:01（手动"))
            }
        }

        @Test("Without PostgreSQL's client programs, a PostgreSQL backup fails saying what to install; the password never goes on a command line")
        func postgresToolsMissing() throws {
            let missing = #expect(throws: BackupFailure.self) { try PostgresTools.locate("pg_dump_not_installed") }
            #expect(missing?.description.contains("apt install postgresql-client") == true)
            let env = try PostgresTools.environment(url: "postgres://kaohe:p%40ss@db.example:5433/county?sslmode=require")
            #expect(env == ["PGHOST": "db.example", "PGPORT": "5433", "PGDATABASE": "county", "PGUSER": "kaohe", "PGPASSWORD": "p@ss", "PGSSLMODE": "require"])
        }

        /// `kaohe backup` as the command runs it, on this application.
        static func runBackupCommand(_ app: Application) async throws -> Int32 {
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["kaohe", "backup"]))
            context.application = app
            do {
                try await BackupCommand().run(using: context, signature: try BackupCommand.Signature(from: &context.input))
                return 0
            } catch let exit as ExitCode { return exit.code }
        }

        /// A new, empty PostgreSQL database beside the test's, dropped after.
        static func withEmptyPostgresDatabase<T>(_ app: Application, _ body: (String) async throws -> T) async throws -> T {
            guard case .postgres(let url) = app.kaohe.settings.storage, var c = URLComponents(string: url) else { throw BackupFailure("no PostgreSQL") }
            let name = "kaohe_restore_\(UUID().uuidString.prefix(8).lowercased())"
            try await app.sql.raw("CREATE DATABASE \(ident: name)").run()
            c.path = "/" + name
            do {
                let result = try await body(c.string!)
                try await app.sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run()
                return result
            } catch {
                try? await app.sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run()
                throw error
            }
        }

        static func postgresSettings(_ url: String) -> Settings {
            let dir = BackupTests.emptyDirectory()
            var settings = Settings(dataDirectory: dir, storage: .postgres(url: url), adminPassword: testAdminPassword)
            settings.backupTime = nil
            return settings
        }

        @Test("PostgreSQL: kaohe backup runs pg_dump on one snapshot while 1,000 audited changes are written; the dump restores into an empty database as a prefix of them with the same audit head")
        func postgresBackupUnderWrites() async throws {
            guard usingPostgres else { return }
            try await withTestApp { app in
                let writer = Task { for k in 0..<1000 { try await BackupTests.write(k, app) } }
                while try await app.count("accounts") < 51 { try await Task.sleep(for: .milliseconds(2)) }
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                try await writer.value
                #expect(try made.path.hasSuffix(".dump") && made.sha256 == Backup.sha256(of: made.path))
                #expect(try FileManager.default.contentsOfDirectory(atPath: app.kaohe.settings.dataDirectory + "/backups")
                        == [(made.path as NSString).lastPathComponent])
                guard case .intact(let count) = made.chain, let head = made.head else { Issue.record("chain \(made.chain)"); return }
                #expect(count > 50 && count < 1001)
                let source = try await BackupTests.entries(app.sql)

                try await Self.withEmptyPostgresDatabase(app) { url in
                    let settings = Self.postgresSettings(url)
                    let restored = try await Restore.run(file: made.path, keyFile: app.kaohe.settings.auditKeyFile, settings: settings, environment: .testing)
                    #expect(restored.head == head && restored.entries == count)
                    #expect(!restored.path.contains("kaohe:kaohe@"))  // the password is not printed
                    let copy = try await PostgresTarget.with(settings: settings, environment: .testing) { try await BackupTests.entries($0.sql) }
                    #expect(copy == Array(source.prefix(copy.count)) && copy.last == head.anchor)
                    // The key came along into the new data directory.
                    #expect(try AuditSeal.load(at: settings.auditKeyFile).isSameKey(as: app.auditSeal!))

                    // Now it is not empty: a second restore is refused and changes nothing.
                    let refused = await #expect(throws: BackupFailure.self) {
                        _ = try await Restore.run(file: made.path, keyFile: app.kaohe.settings.auditKeyFile, settings: settings, environment: .testing)
                    }
                    #expect(refused?.description.contains("不是空的") == true)
                    let again = try await PostgresTarget.with(settings: settings, environment: .testing) { try await BackupTests.entries($0.sql) }
                    #expect(again == copy)
                }
            }
        }

        @Test("PostgreSQL: a damaged dump, or a dump restored with another key, leaves the empty database empty and no key behind")
        func postgresRestoreFailuresLeaveNothing() async throws {
            guard usingPostgres else { return }
            try await withTestApp { app in
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                var bytes = try Data(contentsOf: URL(fileURLWithPath: made.path))
                bytes.removeLast(bytes.count / 3)
                let damaged = app.kaohe.settings.dataDirectory + "/damaged.dump"
                try bytes.write(to: URL(fileURLWithPath: damaged))
                try await Self.withEmptyPostgresDatabase(app) { url in
                    let settings = Self.postgresSettings(url)
                    await #expect(throws: BackupFailure.self) {
                        _ = try await Restore.run(file: damaged, keyFile: app.kaohe.settings.auditKeyFile, settings: settings, environment: .testing)
                    }
                    #expect(try await PostgresTarget.with(settings: settings, environment: .testing) { try await PostgresTarget.tables($0.sql) }.isEmpty)
                    // Restored with another key: the seals do not verify, and the restored tables are dropped again.
                    let otherKey = app.kaohe.settings.dataDirectory + "/other.key"
                    _ = try AuditSeal.loadOrCreate(at: otherKey, mayCreate: true)
                    await #expect(throws: (any Error).self) {
                        _ = try await Restore.run(file: made.path, keyFile: otherKey, settings: settings, environment: .testing)
                    }
                    #expect(try await PostgresTarget.with(settings: settings, environment: .testing) { try await PostgresTarget.tables($0.sql) }.isEmpty)
                    #expect(!FileManager.default.fileExists(atPath: settings.auditKeyFile))
                }
            }
        }

        @Test("Moving to PostgreSQL: an SQLite backup restored into an empty PostgreSQL database keeps every row, the units' hierarchy and the audit chain")
        func moveSQLiteToPostgres() async throws {
            guard usingPostgres else { return }
            try await withTestApp { pgApp in
                // A county's SQLite database: units (a child created before its parent), a roster, audited changes.
                let dir = BackupTests.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: dir) }
                let county = try await Application.make(.testing)
                let file: String, head: AuditChain.Head?, before: [String: String]
                var ballots = 0, codes = 0
                do {
                    try configure(county, settings: BackupTests.sqliteSettings(dir))
                    try await prepareDatabase(county)
                    try await county.skipFirstPasswordChange()
                    // A campaign with closed evaluations: ballots and codes in WITHOUT ROWID tables.
                    #expect(try await DemoTests.runDemo(county) == 0)
                    let child = try await county.makeUnit("U02", "城关镇财政所")
                    let parent = try await county.makeUnit("U01", "城关镇")
                    try await county.sql.raw("UPDATE units SET parent_id = \(bind: parent) WHERE id = \(bind: child)").run()
                    _ = try await county.importRoster(try Roster.xlsx((1...40).map {
                        Roster.cadre(String(format: "C%03d", $0), "干部\($0)", unit: $0 % 2 == 0 ? "U01" : "U02",
                                     extra: [.partyJoined: "1999.07", .ethnicity: "汉族"])
                    }))
                    for k in 0..<30 { try await BackupTests.write(k, county) }
                    // More rows than one page of the copy (5,000), with text ids as Fluent writes them.
                    try await county.sql.raw("""
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12345)
                        INSERT INTO login_attempts (id, username, succeeded, at, client)
                        SELECT printf('%08X-0000-4000-8000-%012X', i, i), 'u' || i, i % 2, 1790000000.25 + i, '10.0.0.1' FROM n
                        """).run()
                    before = try await Self.snapshot(county.db)
                    ballots = try await county.count("ballots")
                    codes = try await county.count("ballot_codes")
                    let made = try await Backup.make(county, into: dir + "/backups", seal: county.auditSeal)
                    file = made.path
                    head = made.head
                    try await county.asyncShutdown()
                } catch {
                    try? await county.asyncShutdown()
                    throw error
                }

                try await Self.withEmptyPostgresDatabase(pgApp) { url in
                    let settings = Self.postgresSettings(url)
                    let restored = try await Restore.run(file: file, keyFile: dir + "/audit.key", settings: settings, environment: .testing)
                    #expect(restored.head == head && head != nil)
                    try await PostgresTarget.with(settings: settings, environment: .testing) { app in
                        #expect(try await Self.snapshot(app.db) == before)
                        #expect(try await app.count("cadres") == 190)
                        #expect(try await app.count("ballots") == ballots && ballots > 300)
                        #expect(try await app.count("ballot_codes") == codes)
                        #expect(try await app.count("login_attempts") == 12345)
                        struct A: Decodable { var n: Int; var total: Double }
                        let sums = try await app.sql.raw("SELECT COUNT(*) AS n, SUM(at) AS total FROM login_attempts WHERE succeeded").first(decoding: A.self)
                        var total = 0.0
                        for i in stride(from: 1, through: 12345, by: 2) { total += 1790000000.25 + Double(i) }
                        #expect(sums?.n == 6173)
                        #expect(abs((sums?.total ?? 0) - total) < 0.01)  // times kept to the fraction (summed in any order)
                        struct P: Decodable { var code: String }
                        let parentCode = try await app.sql.raw("SELECT p.code FROM units c JOIN units p ON p.id = c.parent_id WHERE c.code = 'U02'").first(decoding: P.self)
                        #expect(parentCode?.code == "U01")
                        // The server starts on it: migrations are all applied, the chain verifies with the same key.
                        try await prepareDatabase(app)
                        #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: restored.entries))
                    }
                }
            }
        }

        /// The registry as the server reads it, in a form to compare across databases (times to the second).
        static func snapshot(_ db: any Database) async throws -> [String: String] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encoder.dateEncodingStrategy = .iso8601
            func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
            return [
                "units": try text(try await Unit.query(on: db).sort(\.$code).all()),
                "cadres": try text(try await Cadre.query(on: db).sort(\.$code).all()),
                "posts": try text(try await Post.query(on: db).all().sorted { "\($0.id!)" < "\($1.id!)" }),
                "accounts": try text(try await Account.query(on: db).sort(\.$username).all().map { [$0.username, $0.displayName, $0.passwordHash, $0.role.rawValue] }),
                "categories": try text(try await UnitCategory.query(on: db).sort(\.$name).all()),
            ]
        }
    }
}
