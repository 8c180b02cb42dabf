import Fluent
import FluentPostgresDriver
import NIOCore
import Foundation
import SQLKit
import Vapor

/// The backups made and failed (table `backup_runs`), for the administrator's home page and for the schedule.
enum BackupLog {
    enum Kind: String, Sendable { case scheduled, manual }

    struct Run: Decodable, Sendable {
        var kind: String
        var started_at: Double
        var finished_at: Double
        var ok: Bool
        var file: String?
        var size: Int64?
        var message: String?
    }

    /// Records a backup's outcome. Best effort for `kaohe backup` on a database not yet migrated to 010.
    static func record(_ kind: Kind, started: Double, finished: Double, outcome: Result<Backup.Made, any Error>,
                       on sql: any SQLDatabase) async throws {
        var made: Backup.Made?
        var message: String?
        switch outcome {
        case .success(let m): made = m
        case .failure(let error): message = String(String(describing: error).prefix(2000))
        }
        try await sql.insert(into: "backup_runs")
            .columns("id", "kind", "started_at", "finished_at", "ok", "file", "size", "sha256", "audit_head", "message")
            .values(SQLBind(UUID()), SQLBind(kind.rawValue), SQLBind(started), SQLBind(finished), SQLBind(made != nil),
                    SQLBind(made?.path), SQLBind(made?.size), SQLBind(made?.sha256), SQLBind(made?.head?.anchor), SQLBind(message))
            .run()
    }

    static func last(kind: Kind? = nil, ok: Bool? = nil, on sql: any SQLDatabase) async throws -> Run? {
        var query = sql.select().columns("kind", "started_at", "finished_at", "ok", "file", "size", "message").from("backup_runs")
        if let kind { query = query.where("kind", .equal, SQLBind(kind.rawValue)) }
        if let ok { query = query.where("ok", .equal, SQLBind(ok)) }
        return try await query.orderBy("started_at", .descending).limit(1).first(decoding: Run.self)
    }

    /// What the administrator's home page says about backups: the last one made, and a warning when it is older than
    /// two days, when the last try failed, or when there is none.
    struct Notice: Encodable, Sendable {
        var warning: Bool
        var text: String
    }

    static let staleAfter: Double = 2 * 24 * 3600

    static func notice(on sql: any SQLDatabase, clock: OrganisationClock, settings: Settings) async throws -> Notice {
        let lastGood = try await last(ok: true, on: sql)
        let lastTry = try await last(on: sql)
        let schedule = settings.backupTime.map { String(format: "每天 %02d:%02d 自动备份", $0.hour, $0.minute) } ?? "未设置自动备份（KAOHE_BACKUP_TIME=off）"
        if let lastTry, !lastTry.ok {
            let when = clock.localTime(Date(timeIntervalSince1970: lastTry.started_at))
            return Notice(warning: true, text: "备份失败（\(when)）：\(lastTry.message ?? "原因不明")。\(schedule)；请检查并用 kaohe backup 手动备份。")
        }
        guard let lastGood else {
            return Notice(warning: true, text: "尚无备份。\(schedule)；也可以用 kaohe backup 立即备份。")
        }
        let when = clock.localTime(Date(timeIntervalSince1970: lastGood.finished_at))
        let file = (lastGood.file.map { ($0 as NSString).lastPathComponent } ?? "")
        let size = ByteCountFormatter.string(fromByteCount: lastGood.size ?? 0, countStyle: .file)
        let kind = lastGood.kind == Kind.scheduled.rawValue ? "自动" : "手动"
        if clock.epochSeconds - lastGood.finished_at > staleAfter {
            return Notice(warning: true, text: "最近一次备份已超过两天：\(when)（\(kind)，\(file)，\(size)）。\(schedule)；请检查服务器和备份目录。")
        }
        return Notice(warning: false, text: "最近一次备份：\(when)（\(kind)，\(file)，\(size)）。\(schedule)。")
    }
}

/// Scheduled backups made by `kaohe serve`: once a day at the configured time in the organisation's time zone — or,
/// when the server was not running then (a PC switched off at night), as soon as it runs again — into
/// `backups/auto`, keeping the newest of each of the last 14 days and of the last 12 months (settings).
/// Several instances on one PostgreSQL make one backup: the one that takes the lock.
enum BackupSchedule {
    static let lockKey: Int64 = 0x4B616F6865 + 1

    /// The latest scheduled moment at or before `now`.
    static func slot(atOrBefore now: Date, time: Settings.BackupTime, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var c = calendar.dateComponents([.year, .month, .day], from: now)
        c.hour = time.hour
        c.minute = time.minute
        let today = calendar.date(from: c)!
        return today <= now ? today : calendar.date(byAdding: .day, value: -1, to: today)!
    }

    static func directory(_ settings: Settings) -> String {
        (settings.backupDirectory as NSString).appendingPathComponent("auto")
    }

    /// Makes the scheduled backup if none was tried since the last scheduled moment; returns whether it tried.
    @discardableResult
    static func runIfDue(_ app: Application) async throws -> Bool {
        guard let time = app.kaohe.settings.backupTime else { return false }
        let slot = slot(atOrBefore: app.clock.now, time: time, timeZone: app.clock.timeZone)
        @Sendable func due(_ sql: any SQLDatabase) async throws -> Bool {
            guard let last = try await BackupLog.last(kind: .scheduled, on: sql) else { return true }
            return last.started_at < slot.timeIntervalSince1970
        }
        guard try await due(app.sql) else { return false }
        if app.db is any PostgresDatabase {
            return try await app.db.transaction { tx in
                let sql = tx as! any SQLDatabase
                let locked = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: lockKey)) AS locked").first()!
                    .decode(column: "locked", as: Bool.self)
                guard locked, try await due(sql) else { return false }
                await make(app)
                return true
            }
        }
        await make(app)
        return true
    }

    /// One scheduled backup, recorded whatever its outcome; old ones pruned after a good one.
    static func make(_ app: Application) async {
        let started = app.clock.epochSeconds
        let outcome: Result<Backup.Made, any Error>
        do {
            let made = try await Backup.make(app, into: directory(app.kaohe.settings), seal: app.auditSeal)
            if case .broken(let seq, let problem) = made.chain {
                outcome = .failure(BackupFailure("备份中的操作日志校验失败（第 \(seq) 条 — \(problem)），备份已保存供调查：\(made.path)"))
            } else {
                outcome = .success(made)
                prune(app.kaohe.settings, now: app.clock.now, logger: app.logger)
            }
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let made): app.logger.info("自动备份完成：\(made.path)（\(made.size) 字节）")
        case .failure(let error): app.logger.error("自动备份失败：\(error)")
        }
        do {
            try await BackupLog.record(.scheduled, started: started, finished: app.clock.epochSeconds, outcome: outcome, on: app.sql)
        } catch {
            app.logger.error("无法记录自动备份：\(error)")
        }
    }

    /// Removes the scheduled backups the retention does not keep (only files named as the schedule names them), and
    /// partial files older than a day (a backup killed halfway; its pg_dump may have gone on writing).
    static func prune(_ settings: Settings, now: Date, logger: Logger) {
        let dir = directory(settings)
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: dir)) ?? []
        let stale = names.filter { name in
            guard name.hasPrefix("."), name.hasSuffix(".partial"),
                  let modified = try? fm.attributesOfItem(atPath: (dir as NSString).appendingPathComponent(name))[.modificationDate] as? Date
            else { return false }
            return now.timeIntervalSince(modified) > 24 * 3600
        }
        for name in BackupRetention.surplus(names, daily: settings.backupKeepDaily, monthly: settings.backupKeepMonthly) + stale {
            do { try FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(name)) } catch {
                logger.warning("无法删除旧的自动备份 \(name)：\(error)")
            }
        }
    }

    /// Checks every minute whether a backup is due while the server runs.
    struct Lifecycle: LifecycleHandler {
        final class Task: @unchecked Sendable { var repeated: RepeatedTask? }
        let task = Task()

        func didBoot(_ app: Application) throws {
            guard app.kaohe.settings.backupTime != nil else { return }
            task.repeated = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .minutes(1)) { _ in
                app.eventLoopGroup.next().makeFutureWithTask {
                    do { try await BackupSchedule.runIfDue(app) } catch { app.logger.error("自动备份检查失败：\(error)") }
                }
            }
        }

        func shutdown(_ app: Application) { task.repeated?.cancel() }
    }
}

/// Which scheduled backups to keep: the newest of each of the last `daily` days that have one, and the newest of each
/// of the last `monthly` months that have one. Names not of the form `kaohe-YYYYMMDD-HHMMSS.sqlite|.dump` are never
/// touched.
enum BackupRetention {
    static func surplus(_ names: [String], daily: Int, monthly: Int) -> [String] {
        let ours = names.filter { name in
            name.wholeMatch(of: /kaohe-[0-9]{8}-[0-9]{6}\.(sqlite|dump)/) != nil
        }.sorted(by: >)  // newest first: the stamp sorts as the time
        var keep = Set<String>()
        var days = Set<Substring>(), months = Set<Substring>()
        for name in ours {
            let day = name.dropFirst(6).prefix(8), month = day.prefix(6)
            if !days.contains(day), days.count < daily { days.insert(day); keep.insert(name) }
            if !months.contains(month), months.count < monthly { months.insert(month); keep.insert(name) }
        }
        return ours.filter { !keep.contains($0) }
    }
}
