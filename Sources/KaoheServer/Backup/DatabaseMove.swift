import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Moving from the embedded SQLite to PostgreSQL (a pilot county's database joining the province's server):
/// `DATABASE_URL=postgres://… kaohe restore kaohe-….sqlite`. The SQLite backup is checked, migrated to this version
/// and its audit chain verified as a copy; the empty PostgreSQL database gets the same migrations; then every row of
/// every table is copied in one transaction (ids, times and the audit chain as they are), the row counts compared and
/// the chain verified again on PostgreSQL with the same key. Any failure leaves the PostgreSQL database empty.
enum DatabaseMove {
    static func run(file: String, into url: String, keys: KeyPlacement, settings: Settings, environment: Environment) async throws -> Restore.Restored {
        let fm = FileManager.default
        try await PostgresTarget.requireEmpty(settings: settings, environment: environment)
        try fm.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        let temporary = (settings.dataDirectory as NSString).appendingPathComponent(".move-\(UUID().uuidString).sqlite")
        var source = settings
        source.storage = .sqlite(path: temporary)
        source.auditKeyFile = keys.checkingKey(temporary: temporary + ".key")
        var target = settings
        target.auditKeyFile = source.auditKeyFile
        defer {
            for path in [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal", temporary + ".key"] { try? fm.removeItem(atPath: path) }
        }
        do {
            try fm.copyItem(atPath: file, toPath: temporary)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try await Restore.checkSQLite(temporary, named: file)
            let verified = try await keys.explainingMissingKey { try await Restore.migrateAndVerify(source, environment: environment) }
            let seal = try AuditSeal.load(at: source.auditKeyFile)
            let entries = try await PostgresTarget.with(settings: target, environment: environment) { app in
                try await MigrationRunner.migrate(app)
                let connection = try await SQLiteConnection.open(storage: .file(path: temporary))
                do {
                    try await app.db.transaction { tx in try await copy(from: connection, to: tx as! any SQLDatabase) }
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
                guard try await AuditChain.head(on: app.sql) == verified.head else {
                    throw BackupFailure("迁移后 PostgreSQL 中的操作日志链头与 SQLite 中的不同")
                }
                switch try await AuditChain.verify(on: app.sql, seal: seal) {
                case .intact(let count): return count
                case .broken(let seq, let problem): throw BackupFailure("迁移后操作日志校验失败：第 \(seq) 条 — \(problem)")
                }
            }
            _ = try keys.publish(from: source.auditKeyFile)  // the last step: nothing after it can fail
            return Restore.Restored(path: Settings.redacted(url), head: verified.head, entries: entries)
        } catch {
            try? await PostgresTarget.dropAllTables(settings: settings, environment: environment)
            throw error
        }
    }

    /// Every table of the (migrated) PostgreSQL schema but the migrations log, emptied of what the migrations seeded
    /// and filled from SQLite, parents before children, then the counts compared.
    static func copy(from sqlite: SQLiteConnection, to pg: any SQLDatabase) async throws {
        let tables = try await PostgresTarget.tables(pg).filter { $0 != "_fluent_migrations" }
        try await pg.raw("TRUNCATE TABLE \(SQLList(tables.map { SQLIdentifier($0) }))").run()
        let links = try await pg.raw("""
            SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS column
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND n.nspname = current_schema()
            """).all().map { (child: try $0.decode(column: "child", as: String.self), parent: try $0.decode(column: "parent", as: String.self),
                              column: try $0.decode(column: "column", as: String.self)) }
        for table in try order(tables, links: links.map { ($0.child, $0.parent) }) {
            let columns = try await pg.raw("""
                SELECT column_name AS name, data_type AS type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
                """).all().map { (name: try $0.decode(column: "name", as: String.self), type: try $0.decode(column: "type", as: String.self)) }
            let selfLink = links.first { $0.child == table && $0.parent == table }?.column
            let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            func insert(_ rows: [[SQLiteData]]) async throws {
                let batch = max(1, 20_000 / max(columns.count, 1))  // well under PostgreSQL's 65,535 parameters
                var start = rows.startIndex
                while start < rows.endIndex {
                    let insert = pg.insert(into: table).columns(columns.map(\.name))
                    for row in rows[start..<min(start + batch, rows.endIndex)] {
                        insert.values(try zip(columns, row).map { column, value in
                            try pgValue(value, type: column.type, at: "\(table).\(column.name)")
                        })
                    }
                    try await insert.run()
                    start += batch
                }
            }
            // Pages by rowid — or by the primary key of a WITHOUT ROWID table (ballots, codes) — for the audit log of
            // years and 100,000 cadres; except a table that refers to itself: that one whole, each row after the row
            // it refers to.
            let key = try await pagingKey(table, on: sqlite)
            var count = 0
            var after: SQLiteData?
            while true {
                let page: [SQLiteRow]
                do {
                    let select = "SELECT \(key) AS \"_key\", \(list) FROM \"\(table)\""
                    if selfLink != nil {
                        page = try await sqlite.query(select + " ORDER BY \(key)")
                    } else if let after {
                        page = try await sqlite.query(select + " WHERE \(key) > ? ORDER BY \(key) LIMIT 5000", [after])
                    } else {
                        page = try await sqlite.query(select + " ORDER BY \(key) LIMIT 5000")
                    }
                } catch {
                    throw BackupFailure("SQLite 备份中的表 \(table) 与本版本的结构不符：\(error)")
                }
                guard let last = page.last else { break }
                after = last.columns[0].data
                // Without the key column.
                let rows = page.map { $0.columns.dropFirst().map(\.data) }
                if let selfLink, let idIndex = columns.firstIndex(where: { $0.name == "id" }),
                   let linkIndex = columns.firstIndex(where: { $0.name == selfLink }) {
                    try await insert(parentsFirst(rows, id: idIndex, parent: linkIndex))
                } else {
                    try await insert(rows)
                }
                count += rows.count
                if selfLink != nil { break }
            }
            let copied = try await pg.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int64.self)
            guard copied == Int64(count) else { throw BackupFailure("表 \(table)：SQLite 有 \(count) 行，PostgreSQL 得到 \(copied) 行") }
        }
    }

    /// What orders a table's rows for paging: its rowid, or the single-column primary key of a WITHOUT ROWID table.
    static func pagingKey(_ table: String, on sqlite: SQLiteConnection) async throws -> String {
        if (try? await sqlite.query("SELECT rowid FROM \"\(table)\" LIMIT 1")) != nil { return "rowid" }
        let keys = try await sqlite.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [.text(table)])
        guard keys.count == 1, let name = keys[0].columns[0].data.string else {
            throw BackupFailure("表 \(table) 没有可用于分页的键")
        }
        return "\"\(name)\""
    }

    /// Tables with every table they refer to before them.
    static func order(_ tables: [String], links: [(child: String, parent: String)]) throws -> [String] {
        var done: [String] = [], placed = Set<String>()
        var rest = tables
        while !rest.isEmpty {
            let ready = rest.filter { t in links.allSatisfy { $0.child != t || $0.parent == t || placed.contains($0.parent) || !tables.contains($0.parent) } }
            guard !ready.isEmpty else { throw BackupFailure("表之间的引用成环，无法确定复制顺序：\(rest.joined(separator: "、"))") }
            done += ready
            placed.formUnion(ready)
            rest.removeAll { placed.contains($0) }
        }
        return done
    }

    /// Rows of a table that refers to itself (units under a parent unit): each after the row it refers to.
    static func parentsFirst(_ rows: [[SQLiteData]], id: Int, parent: Int) -> [[SQLiteData]] {
        func key(_ d: SQLiteData) -> String {
            switch d {
            case .blob(let b): return "b" + b.readableBytesView.map { String($0, radix: 16) }.joined(separator: ".")
            case .text(let s): return "t" + s
            default: return "\(d)"
            }
        }
        let ids = Set(rows.map { key($0[id]) })
        var placed = Set<String>(), result: [[SQLiteData]] = []
        var rest = rows
        while !rest.isEmpty {
            let before = result.count
            rest.removeAll { row in
                let p = row[parent]
                guard p == .null || placed.contains(key(p)) || !ids.contains(key(p)) else { return false }
                placed.insert(key(row[id]))
                result.append(row)
                return true
            }
            if result.count == before { return result + rest }  // a cycle: PostgreSQL will name it
        }
        return result
    }

    /// An SQLite value as the PostgreSQL column's type wants it.
    static func pgValue(_ data: SQLiteData, type: String, at place: String) throws -> any SQLExpression {
        if data == .null { return SQLLiteral.null }
        func fail() -> BackupFailure { BackupFailure("无法把 \(place) 的值转为 PostgreSQL 的 \(type)：\(data)") }
        switch type {
        case "uuid":
            switch data {
            case .blob(var buffer) where buffer.readableBytes == 16:
                let b = buffer.readBytes(length: 16)!
                return SQLBind(UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])))
            case .text(let s): guard let u = UUID(uuidString: s) else { throw fail() }; return SQLBind(u)
            default: throw fail()
            }
        case "boolean":
            guard let b = data.bool else { throw fail() }
            return SQLBind(b)
        case "bigint", "integer", "smallint":
            guard case .integer(let i) = data else { throw fail() }
            return type == "bigint" ? SQLBind(Int64(i)) : SQLBind(Int32(clamping: i))
        case "double precision", "real", "numeric":
            switch data {
            case .float(let d): return SQLBind(d)
            case .integer(let i): return SQLBind(Double(i))
            default: throw fail()
            }
        case "timestamp with time zone", "timestamp without time zone":
            guard let date = Date(sqliteData: data) else { throw fail() }
            return SQLBind(date)
        case "text", "character varying", "character":
            switch data {
            case .text(let s): return SQLBind(s)
            case .integer(let i): return SQLBind(String(i))
            case .float(let d): return SQLBind(String(d))
            default: throw fail()
            }
        case "bytea":
            switch data {
            case .blob(var buffer): return SQLBind(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
            case .text(let s): return SQLBind(Data(s.utf8))
            default: throw fail()
            }
        default:
            throw BackupFailure("不支持的列类型 \(type)（\(place)）")
        }
    }
}
