import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 14: backups taken while the server writes, restores that change nothing unless they succeed whole.
    @Suite("Backup and restore (issue 14)")
    struct BackupTests {
        /// One audited change: an account created in its own transaction.
        static func write(_ k: Int, _ app: Application) async throws {
            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                let a = Account(username: "w\(k)", displayName: "写入\(k)", passwordHash: "x", role: .cadre)
                try await a.create(on: tx)
                audit.record(.init(action: .create, entity: .account, entityID: a.id!.uuidString, after: ["username": "w\(k)"]))
            }
        }

        static func entries(_ sql: any SQLDatabase) async throws -> [String] {
            try await sql.raw("SELECT seq, hash FROM audit_entries ORDER BY seq").all()
                .map { "\(try $0.decode(column: "seq", as: Int64.self)):\(try $0.decode(column: "hash", as: String.self))" }
        }

        static func emptyDirectory() -> String {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-restore-\(UUID().uuidString)").path
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            return dir
        }

        static func sqliteSettings(_ dir: String) -> Settings {
            Settings(dataDirectory: dir, storage: .sqlite(path: dir + "/kaohe.sqlite"), adminPassword: testAdminPassword)
        }

        @Test("A backup taken while 1,000 audited changes are written restores to a prefix of them, its audit chain verifying")
        func backupUnderWrites() async throws {
            guard !usingPostgres else { return }  // PostgreSQL: `BackupScheduleTests.postgresBackupUnderWrites`
            try await withTestApp { app in
                let writer = Task { for k in 0..<1000 { try await Self.write(k, app) } }
                // The administrator and 50 writes.
                while try await app.count("accounts") < 51 { try await Task.sleep(for: .milliseconds(2)) }
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                try await writer.value
                #expect(made.path.hasSuffix(".sqlite") && (made.path as NSString).lastPathComponent.hasPrefix("kaohe-"))
                #expect(try Backup.sha256(of: made.path) == made.sha256 && made.sha256.count == 64)
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: app.kaohe.settings.dataDirectory + "/backups")
                #expect(leftovers == [(made.path as NSString).lastPathComponent])  // no partial file left
                let perms = try FileManager.default.attributesOfItem(atPath: made.path)[.posixPermissions] as? NSNumber
                #expect(perms?.intValue == 0o600)

                let target = Self.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: target) }
                let restored = try await Restore.run(file: made.path, keyFile: app.kaohe.settings.auditKeyFile,
                                                     settings: Self.sqliteSettings(target), environment: .testing)
                #expect(restored.head == made.head)
                let source = try await Self.entries(app.sql)
                let seal = try AuditSeal.load(at: target + "/audit.key")
                try await SQLiteFile.with(restored.path) { sql in
                    let copy = try await Self.entries(sql)
                    #expect(copy == Array(source.prefix(copy.count)))  // a prefix of what was written, in order
                    #expect(try await AuditChain.verify(on: sql, seal: seal) == .intact(count: copy.count))
                    let names = try await sql.raw("SELECT username FROM accounts WHERE username LIKE 'w%'").all()
                        .map { try $0.decode(column: "username", as: String.self) }
                    #expect(names.count >= 50 && names.count <= 1000, "\(names.count) writes in the backup")
                    #expect(Set(names) == Set((0..<names.count).map { "w\($0)" }))  // the first n writes, each once
                    // Every write in the copy has its audit entry there, and no entry without its write.
                    let written = try await sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE after LIKE '%\"username\":\"w%'").first()
                    #expect(try written?.decode(column: "n", as: Int.self) == names.count)
                }
            }
        }

        @Test("Restore refuses a data directory that has a database, a damaged file, a missing or wrong key — and leaves the directory as it was")
        func restoreRefuses() async throws {
            guard !usingPostgres else { return }
            try await withTestApp { app in
                try await Self.write(1, app)
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                let key = app.kaohe.settings.auditKeyFile
                func restore(_ file: String, into dir: String, key: String?) async -> String? {
                    do {
                        _ = try await Restore.run(file: file, keyFile: key, settings: Self.sqliteSettings(dir), environment: .testing)
                        return nil
                    } catch { return "\(error)" }
                }
                // A directory with a database: refused, the database untouched.
                let occupied = Self.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: occupied) }
                FileManager.default.createFile(atPath: occupied + "/kaohe.sqlite", contents: Data("mine".utf8))
                #expect(await restore(made.path, into: occupied, key: key)?.contains("已有数据库") == true)
                #expect(FileManager.default.contents(atPath: occupied + "/kaohe.sqlite") == Data("mine".utf8))

                // Damaged, without the key, with another key: each refused, nothing written.
                let damaged = made.path + ".damaged"
                var bytes = try Data(contentsOf: URL(fileURLWithPath: made.path))
                for i in stride(from: 4096 + 100, to: min(bytes.count, 4096 * 6), by: 7) { bytes[i] ^= 0x5A }
                try bytes.write(to: URL(fileURLWithPath: damaged))
                let otherKey = Self.emptyDirectory() + "/other.key"
                FileManager.default.createFile(atPath: otherKey, contents: Data((String(repeating: "ab", count: 32) + "\n").utf8))
                let noise = made.path + ".noise"
                try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: URL(fileURLWithPath: noise))
                let cases: [(file: String, key: String?, says: String)] = [
                    (damaged, key, "integrity_check"), (made.path, nil, "--key"), (made.path, otherKey, "操作日志校验失败"),
                    (noise, key, "既不是 SQLite 文件，也不是 pg_dump"), (NSTemporaryDirectory(), key, "是目录"),
                ]
                for c in cases {
                    let empty = Self.emptyDirectory()
                    defer { try? FileManager.default.removeItem(atPath: empty) }
                    let problem = await restore(c.file, into: empty, key: c.key)
                    #expect(problem != nil && problem!.contains(c.says), "\(problem ?? "restored")")
                    #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "\(c.file) left files")
                }
            }
        }

        @Test("A backup whose log carries no seal yet restores without --key: sealed with a new key kept beside it")
        func unsealedRestore() async throws {
            guard !usingPostgres else { return }
            try await withTestApp { app in
                try await Self.write(1, app)
                // A log from before the key existed (the state migration 005 found).
                try await app.sql.raw("UPDATE audit_entries SET mac = NULL").run()
                try await app.sql.raw("UPDATE audit_head SET mac = NULL").run()
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: nil)
                #expect(made.chain == .intact(count: 2))
                let target = Self.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: target) }
                let restored = try await Restore.run(file: made.path, keyFile: nil, settings: Self.sqliteSettings(target), environment: .testing)
                #expect(Set(try FileManager.default.contentsOfDirectory(atPath: target)) == ["kaohe.sqlite", "audit.key"])
                let key = try AuditSeal.load(at: target + "/audit.key")
                #expect(!key.isSameKey(as: app.auditSeal!))
                let (head, chain) = try await Backup.check(restored.path, seal: key)
                #expect(chain == .intact(count: 2) && head?.mac != nil)
            }
        }

        @Test("Two backups at once: each a whole database under its own name, or refused; never one file from two")
        func concurrentBackups() async throws {
            guard !usingPostgres else { return }
            try await withTestApp { app in
                try await Self.write(1, app)
                let dir = app.kaohe.settings.dataDirectory + "/backups"
                async let a = try? await Backup.make(app, into: dir, seal: app.auditSeal)
                async let b = try? await Backup.make(app, into: dir, seal: app.auditSeal)
                let made = await [a, b].compactMap { $0 }
                #expect(!made.isEmpty)
                let files = try FileManager.default.contentsOfDirectory(atPath: dir)
                #expect(Set(files) == Set(made.map { ($0.path as NSString).lastPathComponent }), "\(files)")  // no partial left
                for m in made {
                    #expect(try Backup.sha256(of: m.path) == m.sha256)
                    #expect(try await Backup.check(m.path, seal: app.auditSeal).chain == m.chain)
                }
            }
        }

        @Test("Two restores into one directory at once: one lands, the other is refused, nothing is overwritten")
        func concurrentRestores() async throws {
            guard !usingPostgres else { return }
            try await withTestApp { app in
                try await Self.write(1, app)
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                let target = Self.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: target) }
                let key = app.kaohe.settings.auditKeyFile
                async let a: Bool = (try? await Restore.run(file: made.path, keyFile: key, settings: Self.sqliteSettings(target), environment: .testing)) != nil
                async let b: Bool = (try? await Restore.run(file: made.path, keyFile: key, settings: Self.sqliteSettings(target), environment: .testing)) != nil
                let outcomes = await [a, b]
                #expect(outcomes.filter { $0 }.count == 1, "\(outcomes)")
                #expect(Set(try FileManager.default.contentsOfDirectory(atPath: target)) == ["kaohe.sqlite", "audit.key"])
                let (head, chain) = try await Backup.check(target + "/kaohe.sqlite", seal: try AuditSeal.load(at: target + "/audit.key"))
                #expect(head == made.head && chain == made.chain)
            }
        }

        @Test("The server refuses a database whose schema is newer than itself, naming both")
        func newerSchemaRefused() async throws {
            try await withTestApp { app in
                try await MigrationLog(name: "KaoheServer.FromTheFuture", batch: 99).create(on: app.db)
                let tooNew = await #expect(throws: SchemaVersion.TooNew.self) { try await prepareDatabase(app) }
                #expect(tooNew?.description.contains("KaoheServer.FromTheFuture") == true)
                #expect(tooNew?.description.contains(kaoheMigrations().last!.name.replacingOccurrences(of: "KaoheServer.", with: "")) == true)
                guard !usingPostgres else { return }
                // A backup of that database is not restored by this binary, and nothing is left behind.
                let made = try await Backup.make(app, into: app.kaohe.settings.dataDirectory + "/backups", seal: app.auditSeal)
                let target = Self.emptyDirectory()
                defer { try? FileManager.default.removeItem(atPath: target) }
                await #expect(throws: SchemaVersion.TooNew.self) {
                    _ = try await Restore.run(file: made.path, keyFile: app.kaohe.settings.auditKeyFile,
                                              settings: Self.sqliteSettings(target), environment: .testing)
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
            }
        }
    }
}
