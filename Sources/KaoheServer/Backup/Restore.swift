import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// `kaohe restore FILE [--key KEYFILE]`: into an empty target only — a data directory without a database (an SQLite
/// backup), an empty PostgreSQL database (a `pg_dump` backup, or an SQLite backup moved to PostgreSQL: `DatabaseMove`).
/// SQLite: the file is copied under a temporary name beside the target, checked (`PRAGMA integrity_check`, a Kaohe
/// database), migrated to this version, its audit chain verified with the key; only then is it renamed into place (and
/// the key copied beside it when the directory had none). Any failure leaves the target as it was.
enum Restore {
    struct Restored: Sendable {
        var path: String
        var head: AuditChain.Head?
        var entries: Int
    }

    /// What a backup file is, by its first bytes.
    enum FileKind { case sqlite, postgresDump, other }

    static func kind(of file: String) -> FileKind {
        guard let handle = FileHandle(forReadingAtPath: file) else { return .other }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 16)) ?? Data()
        if start.starts(with: Data("SQLite format 3\u{0}".utf8)) { return .sqlite }
        if start.starts(with: Data("PGDMP".utf8)) { return .postgresDump }
        return .other
    }

    static func run(file: String, keyFile: String?, settings: Settings, environment: Environment) async throws -> Restored {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: file, isDirectory: &isDirectory) else { throw BackupFailure("找不到备份文件：\(file)") }
        guard !isDirectory.boolValue else { throw BackupFailure("\(file) 是目录，不是备份文件") }
        let keys = try KeyPlacement(keyFile: keyFile, settings: settings)
        switch (settings.storage, kind(of: file)) {
        case (.sqlite(let target), .sqlite):
            return try await sqlite(file: file, into: target, keys: keys, settings: settings, environment: environment)
        case (.postgres(let url), .postgresDump):
            return try await postgres(file: file, into: url, keys: keys, settings: settings, environment: environment)
        case (.postgres(let url), .sqlite):
            return try await DatabaseMove.run(file: file, into: url, keys: keys, settings: settings, environment: environment)
        case (.sqlite, .postgresDump):
            throw BackupFailure("这是 PostgreSQL 数据库的备份（pg_dump），只能恢复到 PostgreSQL：请设置 DATABASE_URL 指向一个空数据库")
        case (_, .other):
            throw BackupFailure("不是 kaohe 的数据库备份（既不是 SQLite 文件，也不是 pg_dump 的备份）：\(file)")
        }
    }

    /// Into an SQLite data directory without a database.
    static func sqlite(file: String, into target: String, keys: KeyPlacement, settings: Settings, environment: Environment) async throws -> Restored {
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
            throw BackupFailure("数据目录已有数据库（\(target + suffix)）：恢复只写入没有数据库的数据目录，请另选目录（KAOHE_DATA_DIR）")
        }
        let directory = (target as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = (directory as NSString).appendingPathComponent(".restore-\(UUID().uuidString).sqlite")
        var working = settings
        working.storage = .sqlite(path: temporary)
        working.auditKeyFile = keys.checkingKey(temporary: temporary + ".key")
        func removeTemporary() {
            for path in [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal", temporary + ".key"] { try? fm.removeItem(atPath: path) }
        }
        var keyPublished = false
        do {
            try fm.copyItem(atPath: file, toPath: temporary)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try await checkSQLite(temporary, named: file)
            let restored = try await keys.explainingMissingKey { try await migrateAndVerify(working, environment: environment) }
            // Closed: everything must be in the file itself now.
            let wal = (try? fm.attributesOfItem(atPath: temporary + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
            guard wal == 0 else { throw BackupFailure("恢复的副本仍有未写回的日志（-wal），未启用") }
            try FileSync.sync(temporary)
            keyPublished = try keys.publish(from: working.auditKeyFile)
            try FileSync.publish(temporary, as: target)
            removeTemporary()
            try? FileSync.sync(directory)  // in place now: nothing to undo
            return Restored(path: target, head: restored.head, entries: restored.entries)
        } catch {
            removeTemporary()
            if keyPublished { try? fm.removeItem(atPath: settings.auditKeyFile) }
            throw error
        }
    }

    /// A file that is whole (`PRAGMA integrity_check`) and holds a Kaohe database.
    static func checkSQLite(_ path: String, named file: String) async throws {
        try await SQLiteFile.with(path) { sql in
            let problem: String?
            do { problem = try await SQLiteFile.integrityProblem(sql) } catch {
                throw BackupFailure("不是 SQLite 数据库文件：\(file)")
            }
            if let problem { throw BackupFailure("备份文件损坏（integrity_check）：\(problem)") }
            guard try await SQLiteFile.isKaohe(sql) else { throw BackupFailure("不是 kaohe 的数据库备份：\(file)") }
        }
    }

    /// A `pg_dump` archive into an empty PostgreSQL database: read whole by `pg_restore --list` first, restored in one
    /// transaction, migrated and verified; if anything fails after the restore, the tables it made are dropped again,
    /// so the database is as empty as it was.
    static func postgres(file: String, into url: String, keys: KeyPlacement, settings: Settings, environment: Environment) async throws -> Restored {
        let restoreTool = try PostgresTools.locate("pg_restore")
        try await PostgresTarget.requireEmpty(settings: settings, environment: environment)
        try await PostgresTools.run(restoreTool, ["--list", file], url: nil)
        var working = settings
        let temporaryKey = (settings.dataDirectory as NSString).appendingPathComponent(".restore-\(UUID().uuidString).key")
        working.auditKeyFile = keys.checkingKey(temporary: temporaryKey)
        defer { try? FileManager.default.removeItem(atPath: temporaryKey) }
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        do {
            try await PostgresTools.run(restoreTool, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                                                      "--dbname=\(try PostgresTools.environment(url: url)["PGDATABASE"]!)", file], url: url)
            let restored = try await keys.explainingMissingKey { try await migrateAndVerify(working, environment: environment) }
            _ = try keys.publish(from: working.auditKeyFile)  // the last step: nothing after it can fail
            return Restored(path: Settings.redacted(url), head: restored.head, entries: restored.entries)
        } catch {
            try? await PostgresTarget.dropAllTables(settings: settings, environment: environment)
            throw error
        }
    }

    /// Opens the copy as the server would (schema no newer than this binary, pending migrations, the key),
    /// verifies the audit chain, and leaves everything in the main file.
    static func migrateAndVerify(_ settings: Settings, environment: Environment) async throws -> (head: AuditChain.Head?, entries: Int) {
        let app = try await Application.make(environment)
        do {
            try configure(app, settings: settings)
            try await prepareDatabase(app)
            let sql = app.sql
            let result: (AuditChain.Head?, Int)
            switch try await AuditChain.verify(on: sql, seal: app.auditSeal) {
            case .intact(let count): result = (try await AuditChain.head(on: sql), count)
            case .broken(let seq, let problem): throw BackupFailure("操作日志校验失败：第 \(seq) 条 — \(problem)")
            }
            if case .sqlite = settings.storage { _ = try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all() }
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The command line: `restore FILE [--key KEYFILE]`; prints what it did; returns the exit code.
    static func command(_ arguments: [String], settings: Settings, environment: Environment) async -> Int32 {
        var rest = Array(arguments.dropFirst())
        var keyFile: String?
        if let k = rest.firstIndex(of: "--key") {
            guard k + 1 < rest.count else { return usage() }
            keyFile = rest[k + 1]
            rest.removeSubrange(k...(k + 1))
        }
        guard rest.count == 1, !rest[0].hasPrefix("-") else { return usage() }
        do {
            let restored = try await run(file: rest[0], keyFile: keyFile, settings: settings, environment: environment)
            print("恢复完成：\(restored.path)")
            if let head = restored.head {
                print("操作日志：共 \(restored.entries) 条，校验通过；链头 \(head.anchor)（应与备份时打印的一致）")
            }
            return 0
        } catch {
            // PostgreSQL's errors describe themselves only when reflected (no password is in them).
            let text = error is BackupFailure ? "\(error)" : String(reflecting: error)
            FileHandle.standardError.write(Data("恢复失败：\(text)（目标未改变）\n".utf8))
            return 1
        }
    }

    static func usage() -> Int32 {
        FileHandle.standardError.write(Data("用法：kaohe restore 备份文件 [--key 密钥文件]（恢复到 KAOHE_DATA_DIR，须为没有数据库的目录）\n".utf8))
        return 2
    }
}

/// The audit key a restore checks the copy with, and leaves beside the restored database: the one given with `--key`,
/// the data directory's, or — for a backup whose log carries no seal yet — a new one, kept only if the restore succeeds.
struct KeyPlacement {
    let given: String?
    let target: String
    let present: Bool

    init(keyFile: String?, settings: Settings) throws {
        given = keyFile
        target = settings.auditKeyFile
        present = FileManager.default.fileExists(atPath: target)
        if let keyFile, present {
            guard try AuditSeal.load(at: keyFile).isSameKey(as: try AuditSeal.load(at: target)) else {
                throw BackupFailure("数据目录已有另一个密钥文件（\(target)），与 --key 不同")
            }
        }
    }

    func checkingKey(temporary: String) -> String { given ?? (present ? target : temporary) }

    /// A sealed log without a key: say which key is wanted.
    func explainingMissingKey<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch is AuditSeal.KeyProblem where given == nil {
            throw BackupFailure("备份中的操作日志已用密钥签名：请用 --key 指定备份时数据目录中的 audit.key")
        }
    }

    /// Puts the key the copy was checked with in the data directory when it has none — never over another: of two
    /// restores at once, the second finds it and compares. Returns whether it put one there (to remove on failure).
    func publish(from source: String) throws -> Bool {
        guard !present else { return false }
        let fm = FileManager.default
        let copy = (target as NSString).deletingLastPathComponent + "/.key-\(UUID().uuidString)"
        guard fm.createFile(atPath: copy, contents: fm.contents(atPath: source), attributes: [.posixPermissions: 0o600]) else {
            throw BackupFailure("无法写入密钥文件：\(target)")
        }
        defer { try? fm.removeItem(atPath: copy) }
        if link(copy, target) == 0 { return true }
        guard try AuditSeal.load(at: target).isSameKey(as: try AuditSeal.load(at: source)) else {
            throw BackupFailure("数据目录已有另一个密钥文件（\(target)）")
        }
        return false
    }
}

/// An empty PostgreSQL database to restore into, reached through an application of its own (no migration run).
enum PostgresTarget {
    static func with<T>(settings: Settings, environment: Environment, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(environment)
        do {
            try configure(app, settings: settings)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """).all().map { try $0.decode(column: "name", as: String.self) }
    }

    static func requireEmpty(settings: Settings, environment: Environment) async throws {
        let found = try await with(settings: settings, environment: environment) { try await tables($0.sql) }
        guard found.isEmpty else {
            throw BackupFailure("目标数据库不是空的（已有 \(found.count) 个表，如 \(found.prefix(3).joined(separator: "、"))）：恢复只写入空数据库，请新建一个（createdb）并让 DATABASE_URL 指向它")
        }
    }

    /// Back to empty after a failed restore into a database that was empty before it.
    static func dropAllTables(settings: Settings, environment: Environment) async throws {
        try await with(settings: settings, environment: environment) { app in
            for table in try await tables(app.sql) { try await app.sql.raw("DROP TABLE IF EXISTS \(ident: table) CASCADE").run() }
        }
    }
}
