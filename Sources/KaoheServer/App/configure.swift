import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import SQLKit
import Vapor

extension Application {
    struct KaoheKey: StorageKey { typealias Value = KaoheState }
    struct KaoheState: Sendable { var settings: Settings }
    var kaohe: KaoheState {
        get { storage[KaoheKey.self]! }
        set { storage[KaoheKey.self] = newValue }
    }
}

/// Largest upload accepted (roster files), read only on the upload route after login and role are checked.
let maxUploadBytes = 64 * 1024 * 1024
/// Largest body of any other request (forms).
let formBodyBytes = 1024 * 1024

/// Configures the application: database connection (opened lazily), clock, migrations list, views, middleware,
/// routes and commands. Touches no database and no file: `kaohe --help` and `kaohe routes` only print.
/// `prepareDatabase` does the rest before a command that uses the database.
public func configure(_ app: Application, settings: Settings) throws {
    app.kaohe = .init(settings: settings)
    app.clock = .system(timeZone: settings.timeZone)
    app.cadreListCache = CadreListCache()
    app.campaignGradings = VersionedMemo(capacity: 2)
    app.voteThrottle = VoteThrottle()
    app.ballotSheets = BallotSheetCache()
    app.codeDirectory = CodeDirectory()

    switch settings.storage {
    case .sqlite(let path):
        // No SQL in the logs, at any level: the binds of a vote would put a code's hash beside its ballot.
        // Four connections per event loop: readers (WAL) do not wait while a batch of ballots is being written.
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 4, sqlLogLevel: nil), as: .sqlite)
    case .postgres(let url):
        try app.databases.use(
            // SQL (with its binds) only at trace level: never run a voting server with LOG_LEVEL=trace (docs/operations.md).
            .postgres(configuration: .init(url: url), maxConnectionsPerEventLoop: 8, sqlLogLevel: .trace), as: .psql)
    }

    app.ballotBox = BallotBox(logger: app.logger) { app.db }
    app.migrations.add(kaoheMigrations())
    app.asyncCommands.use(KaoheMigrateCommand(), as: "migrate")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(DemoCommand(), as: "demo")

    if app.environment == .testing {
        app.passwords.use(.bcrypt(cost: 4))
    } else {
        app.passwords.use(.bcrypt(cost: 12))
    }

    app.views.use(.leaf)

    app.routes.defaultMaxBodySize = ByteCount(value: formBodyBytes)
    app.middleware = .init()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(KaoheErrorMiddleware())
    app.middleware.use(PublicFilesMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(DatabaseSessionMiddleware())
    app.middleware.use(CSRFMiddleware(maxBodySize: formBodyBytes, uploads: [.rosterImport, .campaignScoresImport, .campaignMaterials, .archiveImport]))
    app.middleware.use(NULMiddleware())

    // Request bodies are taken as sent: no client of ours compresses them, and a gzip body is a zip bomb waiting to
    // happen (and its decompressor cost every request time).
    app.http.server.configuration.requestDecompression = .disabled
    if let host = settings.hostname { app.http.server.configuration.hostname = host }
    if let port = settings.port { app.http.server.configuration.port = port }

    try routes(app)
}

/// Every migration of this version, in order. A database that ran one this list does not name was written by a newer
/// version (`SchemaVersion`).
func kaoheMigrations() -> [any Migration] {
    [CreateRegistry(), SeedUnitCategories(), CreateAccounts(), CreateAuditLog(), AddLoginAttemptClient(), AddAuditSeal(),
     CreateRosterDrafts(), AddPostOrder(), AddCadreRecordFields(), AddListIndexes(), CreateBackupRuns(), CreateCampaigns(), CreatePaperSheets(), CreateParticipationChanges(),
     CreateGradeDecisions(), CreateCampaignWorkflow(), CreateIndicators(), CreateFeedback(), CreateMaterials(), CreatePublicity(),
     CreateProbationSubjects(), CreateRegistrationForms(), CreateMaterialFiles(), CreateArchive(),
     CreateRegularAssessment(), CreateRectification(), CreateLedger(), CreateScorecards(), NarrowBallotCodeIndex()]
}

/// Refuses a database whose schema is newer than this binary, instead of running against it.
enum SchemaVersion {
    struct TooNew: Error, CustomStringConvertible { var description: String }

    /// On PostgreSQL run under the migration lock (`MigrationRunner`), so an instance of an older version starting
    /// while a newer one migrates sees the newer schema.
    static func refuseNewer(_ sql: any SQLDatabase) async throws {
        let exists = sql.dialect.name == "postgresql"
            ? try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS present").first()?.decode(column: "present", as: Bool.self) ?? false
            : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'").first() != nil
        guard exists else { return }  // a new database
        let applied = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at").all()
            .map { try $0.decode(column: "name", as: String.self) }
        let known = kaoheMigrations().map(\.name)
        let unknown = applied.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return }
        throw TooNew(description: "数据库的结构比本程序新：数据库已执行 \(applied.count) 个迁移，其中 \(unknown.joined(separator: "、")) 本程序不认识（本程序共 \(known.count) 个，最新 \(known.last ?? "")）。请使用写入该数据库的版本或更新的 kaohe，不要用旧版本打开。")
    }
}

/// Opens the database for use: the SQLite file's folder and WAL mode, pending migrations (serialised between
/// instances), the first administrator. Run before any command that reads or writes data.
public func prepareDatabase(_ app: Application) async throws {
    if case .sqlite(let path) = app.kaohe.settings.storage {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // WAL is a property of the file: set once, kept. Foreign keys are on for every connection (SQLiteKit default).
        _ = try await app.sql.raw("PRAGMA journal_mode=WAL").all()
    }
    try await MigrationRunner.migrate(app)
    let sealed = try await AuditChain.isSealed(on: app.sql)
    let seal = try AuditSeal.loadOrCreate(at: app.kaohe.settings.auditKeyFile, mayCreate: !sealed)
    try await AuditChain.sealHeadIfUnsealed(seal, on: app.sql)
    app.auditSeal = seal
    try await Bootstrap.ensureAdministrator(app)
}

/// Runs pending migrations, after refusing a database newer than this binary. On PostgreSQL an advisory lock makes
/// instances that start together wait for each other instead of racing; on SQLite the file has one writer at a time.
enum MigrationRunner {
    static let advisoryLockKey: Int64 = 0x4B616F6865 // "Kaohe"

    static func migrate(_ app: Application) async throws {
        if app.db is any PostgresDatabase {
            // The transaction pins one connection holding the lock; migrations run on others of the pool.
            try await app.db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(\(bind: advisoryLockKey))").run()
                try await SchemaVersion.refuseNewer(tx as! any SQLDatabase)
                try await app.autoMigrate()
            }
        } else {
            try await SchemaVersion.refuseNewer(app.sql)
            try await app.autoMigrate()
        }
    }
}
