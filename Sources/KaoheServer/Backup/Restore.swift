import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// `kaohe restore FILE [--key KEYFILE]` (SQLite): into a data directory without a database only. The file is
/// copied under a temporary name beside the target, checked (`PRAGMA integrity_check`, a Kaohe database), migrated
/// to this version, its audit chain verified with the key; only then is it renamed into place (and the key copied
/// beside it when the directory had none). Any failure leaves the data directory as it was.
enum Restore {
    struct Restored: Sendable {
        var path: String
        var head: AuditChain.Head?
        var entries: Int
    }

    static func run(file: String, keyFile: String?, settings: Settings, environment: Environment) async throws -> Restored {
        guard case .sqlite(let target) = settings.storage else {
            throw BackupFailure("数据库为 PostgreSQL：请用 pg_restore 恢复到一个空数据库（见 docs/operations.md）")
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: file, isDirectory: &isDirectory) else { throw BackupFailure("找不到备份文件：\(file)") }
        guard !isDirectory.boolValue else { throw BackupFailure("\(file) 是目录，不是备份文件") }
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
            throw BackupFailure("数据目录已有数据库（\(target + suffix)）：恢复只写入没有数据库的数据目录，请另选目录（KAOHE_DATA_DIR）")
        }
        let keyPresent = fm.fileExists(atPath: settings.auditKeyFile)
        if let keyFile, keyPresent {
            guard try AuditSeal.load(at: keyFile).isSameKey(as: try AuditSeal.load(at: settings.auditKeyFile)) else {
                throw BackupFailure("数据目录已有另一个密钥文件（\(settings.auditKeyFile)），与 --key 不同")
            }
        }
        let directory = (target as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = (directory as NSString).appendingPathComponent(".restore-\(UUID().uuidString).sqlite")
        // The key the copy is checked with: the given one, the directory's, or — for a backup whose log carries no
        // seal yet — a new one, made beside the copy and kept only if the restore succeeds.
        let temporaryKey = temporary + ".key"
        var working = settings
        working.storage = .sqlite(path: temporary)
        working.auditKeyFile = keyFile ?? (keyPresent ? settings.auditKeyFile : temporaryKey)
        func removeTemporary() {
            for path in [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal", temporaryKey] { try? fm.removeItem(atPath: path) }
        }
        var keyPublished = false
        do {
            try fm.copyItem(atPath: file, toPath: temporary)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try await SQLiteFile.with(temporary) { sql in
                let problem: String?
                do { problem = try await SQLiteFile.integrityProblem(sql) } catch {
                    throw BackupFailure("不是 SQLite 数据库文件：\(file)")
                }
                if let problem { throw BackupFailure("备份文件损坏（integrity_check）：\(problem)") }
                guard try await SQLiteFile.isKaohe(sql) else { throw BackupFailure("不是 kaohe 的数据库备份：\(file)") }
            }
            let restored: (head: AuditChain.Head?, entries: Int)
            do {
                restored = try await migrateAndVerify(working, environment: environment)
            } catch is AuditSeal.KeyProblem where keyFile == nil {
                throw BackupFailure("备份中的操作日志已用密钥签名：请用 --key 指定备份时数据目录中的 audit.key")
            }
            // Closed: everything must be in the file itself now.
            let wal = (try? fm.attributesOfItem(atPath: temporary + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
            guard wal == 0 else { throw BackupFailure("恢复的副本仍有未写回的日志（-wal），未启用") }
            try FileSync.sync(temporary)
            if !keyPresent {
                // The key first, never over another: of two restores at once, the second finds it and compares.
                let source = working.auditKeyFile
                let copy = temporary + ".key-copy"
                guard fm.createFile(atPath: copy, contents: fm.contents(atPath: source), attributes: [.posixPermissions: 0o600]) else {
                    throw BackupFailure("无法写入密钥文件：\(settings.auditKeyFile)")
                }
                defer { try? fm.removeItem(atPath: copy) }
                if link(copy, settings.auditKeyFile) == 0 {
                    keyPublished = true
                } else if !(try AuditSeal.load(at: settings.auditKeyFile).isSameKey(as: try AuditSeal.load(at: source))) {
                    throw BackupFailure("数据目录已有另一个密钥文件（\(settings.auditKeyFile)）")
                }
            }
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
            _ = try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
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
            FileHandle.standardError.write(Data("恢复失败：\(error)（数据目录未改变）\n".utf8))
            return 1
        }
    }

    static func usage() -> Int32 {
        FileHandle.standardError.write(Data("用法：kaohe restore 备份文件 [--key 密钥文件]（恢复到 KAOHE_DATA_DIR，须为没有数据库的目录）\n".utf8))
        return 2
    }
}
