import Foundation

/// Configuration read once at start from the environment. Keys are the environment variable names.
/// Every bad setting is reported together, so an operator fixes them in one go.
public struct Settings: Sendable {
    public enum Storage: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var dataDirectory: String
    public var storage: Storage
    public var adminPassword: String?
    public var secureCookies: Bool
    public var sessionIdleMinutes: Int
    public var loginMaxFailures: Int
    public var loginWindowMinutes: Int
    public var hostname: String?
    public var port: Int?
    /// The organisation's time zone: what "today" means for dates, deadlines and ballot windows.
    public var timeZone: TimeZone
    /// A session ends this long after login, however busy (absolute lifetime).
    public var sessionMaxHours = 12
    /// Failed logins from one client address (any usernames) that pause further tries from it within the window.
    public var loginMaxFailuresPerClient = 20
    /// Behind a reverse proxy: its `X-Forwarded-For` / `X-Forwarded-Proto` name the client and the scheme.
    public var behindProxy = false
    /// The secret that keys the audit chain (HMAC); kept outside the database.
    public var auditKeyFile: String
    /// Where `kaohe backup` writes by default; the scheduled backups go to its `auto` folder.
    public var backupDirectory: String
    /// The time of day (organisation's time zone) of the scheduled backup made by `kaohe serve`; nil: none.
    public var backupTime: BackupTime? = BackupTime(hour: 2, minute: 0)
    /// How many scheduled backups are kept: the newest of each of the last `daily` days and of the last `monthly` months.
    public var backupKeepDaily = 14
    public var backupKeepMonthly = 12

    public struct BackupTime: Sendable, Equatable {
        public var hour: Int
        public var minute: Int
        public init(hour: Int, minute: Int) { self.hour = hour; self.minute = minute }
    }

    public static let minimumPasswordLength = 10

    public init(
        dataDirectory: String, storage: Storage, adminPassword: String? = nil, secureCookies: Bool = false,
        sessionIdleMinutes: Int = 30, loginMaxFailures: Int = 5, loginWindowMinutes: Int = 15,
        hostname: String? = nil, port: Int? = nil, timeZone: TimeZone = Settings.defaultTimeZone
    ) {
        self.dataDirectory = dataDirectory
        self.storage = storage
        self.adminPassword = adminPassword
        self.secureCookies = secureCookies
        self.sessionIdleMinutes = sessionIdleMinutes
        self.loginMaxFailures = loginMaxFailures
        self.loginWindowMinutes = loginWindowMinutes
        self.hostname = hostname
        self.port = port
        self.timeZone = timeZone
        self.auditKeyFile = (dataDirectory as NSString).appendingPathComponent("audit.key")
        self.backupDirectory = (dataDirectory as NSString).appendingPathComponent("backups")
    }

    public static let defaultTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// Reads the settings; throws `ConfigurationError` listing every problem.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var problems: [String] = []
        let dataDir = nonEmpty(env["KAOHE_DATA_DIR"]) ?? "./data"

        var storage = Storage.sqlite(path: (dataDir as NSString).appendingPathComponent("kaohe.sqlite"))
        if let url = nonEmpty(env["DATABASE_URL"]) {
            if let comps = URLComponents(string: url), ["postgres", "postgresql"].contains(comps.scheme ?? ""),
               let host = comps.host, !host.isEmpty, comps.path.count > 1 {
                storage = .postgres(url: url)
            } else {
                problems.append("DATABASE_URL: 必须形如 postgres://用户:密码@主机:端口/数据库（现为「\(redacted(url))」）")
            }
        }

        let adminPassword = nonEmpty(env["KAOHE_ADMIN_PASSWORD"])
        if let p = adminPassword, p.count < minimumPasswordLength {
            problems.append("KAOHE_ADMIN_PASSWORD: 密码至少 \(minimumPasswordLength) 个字符")
        }

        func flag(_ key: String) -> Bool {
            guard let raw = nonEmpty(env[key]) else { return false }
            switch raw.lowercased() {
            case "1", "true", "yes": return true
            case "0", "false", "no": return false
            default: problems.append("\(key): 只能是 1 或 0（现为「\(raw)」）"); return false
            }
        }
        let secure = flag("KAOHE_SECURE_COOKIES")

        func integer(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let raw = nonEmpty(env[key]) else { return value }
            guard let n = Int(raw), range.contains(n) else {
                problems.append("\(key): 必须是 \(range.lowerBound) 到 \(range.upperBound) 之间的整数（现为「\(raw)」）")
                return value
            }
            return n
        }
        let idle = integer("KAOHE_SESSION_IDLE_MINUTES", default: 30, range: 1...1440)
        let failures = integer("KAOHE_LOGIN_MAX_FAILURES", default: 5, range: 1...100)
        let window = integer("KAOHE_LOGIN_WINDOW_MINUTES", default: 15, range: 1...1440)

        var timeZone = defaultTimeZone
        if let raw = nonEmpty(env["KAOHE_TIME_ZONE"]) {
            if let zone = TimeZone(identifier: raw) { timeZone = zone } else {
                problems.append("KAOHE_TIME_ZONE: 不是时区名称，应形如 Asia/Shanghai（现为「\(raw)」）")
            }
        }

        let maxHours = integer("KAOHE_SESSION_MAX_HOURS", default: 12, range: 1...168)
        let perClient = integer("KAOHE_LOGIN_MAX_FAILURES_PER_CLIENT", default: 20, range: 1...10_000)
        let behindProxy = flag("KAOHE_BEHIND_PROXY")

        var backupTime: BackupTime? = BackupTime(hour: 2, minute: 0)
        if let raw = nonEmpty(env["KAOHE_BACKUP_TIME"]) {
            if raw.lowercased() == "off" { backupTime = nil } else {
                let parts = raw.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                   (0...23).contains(h), (0...59).contains(m) {
                    backupTime = BackupTime(hour: h, minute: m)
                } else {
                    problems.append("KAOHE_BACKUP_TIME: 应为每天的时间如 02:00，或 off 表示不自动备份（现为「\(raw)」）")
                }
            }
        }
        let keepDaily = integer("KAOHE_BACKUP_KEEP_DAILY", default: 14, range: 1...3660)
        let keepMonthly = integer("KAOHE_BACKUP_KEEP_MONTHLY", default: 12, range: 0...1200)

        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        var settings = Settings(
            dataDirectory: dataDir, storage: storage, adminPassword: adminPassword, secureCookies: secure,
            sessionIdleMinutes: idle, loginMaxFailures: failures, loginWindowMinutes: window, timeZone: timeZone
        )
        settings.sessionMaxHours = maxHours
        settings.loginMaxFailuresPerClient = perClient
        settings.behindProxy = behindProxy
        if let keyFile = nonEmpty(env["KAOHE_AUDIT_KEY_FILE"]) { settings.auditKeyFile = keyFile }
        if let directory = nonEmpty(env["KAOHE_BACKUP_DIR"]) { settings.backupDirectory = directory }
        settings.backupTime = backupTime
        settings.backupKeepDaily = keepDaily
        settings.backupKeepMonthly = keepMonthly
        return settings
    }

    /// A database URL with its password replaced, fit for an error message or a log.
    static func redacted(_ url: String) -> String {
        url.replacingOccurrences(of: #"(://[^/@]*?:)[^@/]*@"#, with: "$1***@", options: .regularExpression)
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s = s?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        return s
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public var description: String {
        "配置有误，Kaohe 无法启动：\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
