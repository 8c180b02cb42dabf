import Foundation

/// PostgreSQL's own programs (`pg_dump`, `pg_restore`) for backups of a PostgreSQL database: found on the PATH or
/// under /usr/lib/postgresql/*/bin (Debian keeps them there), given the connection in PG* variables — never the
/// password on a command line, where `ps` would show it.
enum PostgresTools {
    static func locate(_ tool: String) throws -> String {
        let fm = FileManager.default
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/\(tool)" }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) else {
            throw BackupFailure("找不到 \(tool)：备份和恢复 PostgreSQL 数据库需要 PostgreSQL 客户端程序，版本不低于数据库服务器（Debian/Ubuntu：apt install postgresql-client；其他系统见 docs/operations.md）")
        }
        return found
    }

    /// The connection of a `postgres://user:password@host:port/database?sslmode=…` URL as libpq variables.
    static func environment(url: String) throws -> [String: String] {
        guard let c = URLComponents(string: url), let host = c.host, c.path.count > 1 else {
            throw BackupFailure("DATABASE_URL 无法解析")
        }
        var env = ["PGHOST": host, "PGDATABASE": String(c.path.dropFirst())]
        if let port = c.port { env["PGPORT"] = String(port) }
        if let user = c.user { env["PGUSER"] = user.removingPercentEncoding ?? user }
        if let password = c.password { env["PGPASSWORD"] = password.removingPercentEncoding ?? password }
        if let mode = c.queryItems?.first(where: { ["sslmode", "tlsmode"].contains($0.name) })?.value { env["PGSSLMODE"] = mode }
        return env
    }

    /// Runs `tool` with `arguments` (connected to `url` when given) and waits for it; a non-zero exit throws with what
    /// it wrote to stderr.
    static func run(_ tool: String, _ arguments: [String], url: String?) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        if let url { env.merge(try environment(url: url)) { $1 } }
        process.environment = env
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-\(UUID().uuidString).stderr").path
        _ = FileManager.default.createFile(atPath: errors, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: errors) }
        guard let errorHandle = FileHandle(forWritingAtPath: errors) else { throw BackupFailure("无法运行 \(tool)") }
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                done.resume(throwing: BackupFailure("无法运行 \(tool)：\(error)"))
            }
        }
        try? errorHandle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            let name = (tool as NSString).lastPathComponent
            throw BackupFailure("\(name) 失败（退出码 \(process.terminationStatus)）：\(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))")
        }
    }
}
