import Crypto
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Why a backup or a restore did not happen, in the words the command prints.
struct BackupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `kaohe backup`: a consistent copy taken while the server runs and writes — SQLite: `VACUUM INTO`, one read
/// transaction, never a copy of a file in WAL mode; PostgreSQL: `pg_dump` of one snapshot — written under a temporary
/// name, checked (integrity and audit chain) and only then named `kaohe-YYYYMMDD-HHMMSS.sqlite` (`.dump`): a backup
/// killed halfway leaves no file under a final name.
enum Backup {
    struct Made: Sendable {
        var path: String
        var size: Int64
        var sha256: String
        var head: AuditChain.Head?
        /// The audit chain as found in the copy. A broken chain does not stop the backup (the copy is what there is,
        /// kept for the investigation); the command says so and exits 1.
        var chain: AuditChain.VerificationResult
    }

    /// `seal`: the audit key, to check the copy's seals (nil when the data directory has none).
    /// SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump` in custom format (`PostgresTools`).
    static func make(_ app: Application, into directory: String, seal: AuditSeal?) async throws -> Made {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupFailure("无法创建备份目录：\(directory)")
        }
        let stamp = "kaohe-\(app.clock.fileStamp(app.clock.now))"
        switch app.kaohe.settings.storage {
        case .sqlite(let database):
            // Never a new, empty database where the data directory was mistyped.
            guard FileManager.default.fileExists(atPath: database) else { throw BackupFailure("没有数据库：\(database)（KAOHE_DATA_DIR 是否正确？）") }
            return try await written(in: directory, name: stamp + ".sqlite") { partial in
                try await app.sql.raw("VACUUM INTO \(bind: partial)").run()
                try FileSync.sync(partial)
                return try await check(partial, seal: seal)
            }
        case .postgres(let url):
            let tool = try PostgresTools.locate("pg_dump")
            return try await written(in: directory, name: stamp + ".dump") { partial in
                // One snapshot for the dump and for the audit head and chain reported with it.
                try await app.db.transaction { tx in
                    let sql = tx as! any SQLDatabase
                    try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                    let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()!.decode(column: "id", as: String.self)
                    let head = try await AuditChain.head(on: sql)
                    let chain = try await AuditChain.verify(on: sql, seal: seal)
                    try await PostgresTools.run(tool, ["--format=custom", "--snapshot=\(snapshot)", "--file=\(partial)"], url: url)
                    try FileSync.sync(partial)
                    // An archive pg_restore can read.
                    try await PostgresTools.run(try PostgresTools.locate("pg_restore"), ["--list", partial], url: nil)
                    return (head, chain)
                }
            }
        }
    }

    /// Makes the file under a unique hidden name, readable by the server's account only from its first byte (the whole
    /// registry, 身份证号 included), and gives it its final name only once `fill` has written and checked it.
    private static func written(in directory: String, name: String,
                                fill: (String) async throws -> (head: AuditChain.Head?, chain: AuditChain.VerificationResult)) async throws -> Made {
        let final = (directory as NSString).appendingPathComponent(name)
        let partial = (directory as NSString).appendingPathComponent(".\(name).\(UUID().uuidString).partial")
        guard !FileManager.default.fileExists(atPath: final) else { throw BackupFailure("备份文件已存在：\(final)（请稍后再试）") }
        do {
            guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw BackupFailure("无法在备份目录中写入：\(directory)")
            }
            let (head, chain) = try await fill(partial)
            try FileSync.publish(partial, as: final)
            try FileSync.sync(directory)
            let size = (try FileManager.default.attributesOfItem(atPath: final)[.size] as? NSNumber)?.int64Value ?? 0
            return Made(path: final, size: size, sha256: try sha256(of: final), head: head, chain: chain)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// A copy's integrity (required) and its audit chain (seals checked with `seal`).
    static func check(_ path: String, seal: AuditSeal?) async throws -> (head: AuditChain.Head?, chain: AuditChain.VerificationResult) {
        try await SQLiteFile.with(path) { sql in
            if let problem = try await SQLiteFile.integrityProblem(sql) {
                throw BackupFailure("数据库文件损坏（integrity_check）：\(problem)")
            }
            return (try await AuditChain.head(on: sql), try await AuditChain.verify(on: sql, seal: seal))
        }
    }

    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupFailure("无法读取：\(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return AuditChain.hex(hasher.finalize())
    }
}

/// A database file on a connection of its own (a backup being checked, a file being restored), closed after.
enum SQLiteFile {
    static func with<T>(_ path: String, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            let result = try await body(connection.sql())
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// nil when `PRAGMA integrity_check` says ok; else its first findings.
    static func integrityProblem(_ sql: any SQLDatabase) async throws -> String? {
        let rows = try await sql.raw("PRAGMA integrity_check").all()
        let lines = rows.compactMap { try? $0.decode(column: "integrity_check", as: String.self) }
        return lines == ["ok"] ? nil : lines.prefix(5).joined(separator: "；")
    }

    /// Whether the file holds a Kaohe database (its migrations table and audit log).
    static func isKaohe(_ sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('_fluent_migrations', 'audit_head')").all()
        return rows.count == 2
    }
}

/// Durable file steps: data on disk before it gets its name, a name given at once and never over another file, the
/// directory entry on disk.
enum FileSync {
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BackupFailure("无法打开：\(path)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupFailure("无法写入磁盘（fsync）：\(path)") }
    }

    /// Gives `from` the name `to` at once, never replacing a file already there (two backups in one second, two
    /// restores into one directory at once): a hard link, then the temporary name removed.
    /// File systems without hard links (FAT/exFAT disks, some network mounts) get a rename after a check instead.
    static func publish(_ from: String, as to: String) throws {
        if link(from, to) == 0 {
            unlink(from)
            return
        }
        let failure = errno
        guard failure != EEXIST else { throw BackupFailure("\(to) 已存在，未覆盖") }
        guard [EPERM, ENOTSUP, EOPNOTSUPP, ENOSYS].contains(failure) else { throw BackupFailure("无法写入 \(to)（错误 \(failure)）") }
        guard !FileManager.default.fileExists(atPath: to) else { throw BackupFailure("\(to) 已存在，未覆盖") }
        guard rename(from, to) == 0 else { throw BackupFailure("无法写入 \(to)（错误 \(errno)）") }
    }
}

/// `kaohe backup [--to DIR]`: prints the file, its size, its SHA-256 and the audit head it contains.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "备份目录（默认：数据目录下的 backups）")
        var to: String?
    }
    var help: String { "备份数据库（运行中也可以）：一致的快照，校验后才以最终文件名保存，打印文件、大小、SHA-256 和操作日志链头" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let settings = app.kaohe.settings
        let directory = signature.to ?? settings.backupDirectory
        let started = app.clock.epochSeconds
        let outcome: Result<Backup.Made, any Error>
        do {
            // Reads only: no migration, no key, no administrator is created by a backup (it runs before an upgrade).
            let seal = FileManager.default.fileExists(atPath: settings.auditKeyFile) ? try AuditSeal.load(at: settings.auditKeyFile) : nil
            outcome = .success(try await Backup.make(app, into: directory, seal: seal))
        } catch {
            outcome = .failure(error)
        }
        // For the administrator's home page; a database not yet upgraded to keep this record is backed up all the same,
        // and a missing SQLite file is not created by it.
        if case .sqlite(let path) = settings.storage, !FileManager.default.fileExists(atPath: path) {} else {
            try? await BackupLog.record(.manual, started: started, finished: app.clock.epochSeconds, outcome: outcome, on: app.sql)
        }
        let made: Backup.Made
        switch outcome {
        case .success(let m): made = m
        case .failure(let error as BackupFailure):
            context.console.error("备份失败：\(error)")
            throw ExitCode(1)
        case .failure(let error as AuditSeal.KeyProblem):
            context.console.error("备份失败：\(error)")
            throw ExitCode(1)
        case .failure(let error): throw error
        }
        context.console.print("备份完成：\(made.path)")
        context.console.print("大小：\(made.size) 字节")
        context.console.print("SHA-256：\(made.sha256)")
        context.console.print("密钥文件 \(app.kaohe.settings.auditKeyFile) 不在备份中：请另行妥善保管，恢复时用 --key 指定。")
        switch made.chain {
        case .intact(let count):
            if let head = made.head {
                context.console.print("操作日志：共 \(count) 条，校验通过；链头 \(head.anchor)（恢复后用 kaohe audit verify --expect 核对）")
            }
        case .broken(let seq, let problem):
            context.console.error("警告：备份中的操作日志校验失败（第 \(seq) 条 — \(problem)）：备份已保存供调查，但不能据此恢复。")
            throw ExitCode(1)
        }
    }
}
