using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// Links every new audit entry to the one before it at save time, inside the transaction that writes it.
/// </summary>
/// <remarks>
/// Why an interceptor reading the last link within the writing transaction: an entry is added to the caller's unit of
/// work long before the save, and two requests may add entries at the same moment, so the "previous" entry cannot be
/// known when <see cref="AuditLog.Add"/> runs. Here the last link is read after the save's transaction has begun.
/// Microsoft.Data.Sqlite begins transactions with <c>BEGIN IMMEDIATE</c>, which takes SQLite's write lock at once, so
/// no other writer can append between the read and the insert; should a caller hold a deferred transaction whose
/// snapshot is stale, SQLite refuses its write (SQLITE_BUSY_SNAPSHOT) rather than letting it fork the chain, and the
/// unique index on <see cref="AuditEntry.Sequence"/> refuses a second entry at the same position on any database.
/// The interceptor runs at <see cref="SaveStage.InTransactionLast"/>: after the search index's interceptor has begun
/// its transaction (so it joins it), and, when it had to begin one itself, it commits after theirs have written.
/// </remarks>
public sealed class AuditChainInterceptor : SaveChangesInterceptor, ISaveInterceptor
{
    public SaveStage Stage => SaveStage.InTransactionLast;

    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> owned = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && Added(db) is { Count: > 0 } added)
        {
            if (db.Database.CurrentTransaction is null)
            {
                owned.AddOrUpdate(db, await db.Database.BeginTransactionAsync(cancellationToken));
            }
            await AuditChain.LinkAsync(db, added, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is NewsDbContext db && Added(db) is { Count: > 0 } added)
        {
            if (db.Database.CurrentTransaction is null)
            {
                owned.AddOrUpdate(db, db.Database.BeginTransaction());
            }
            // SQLite's asynchronous calls complete synchronously; this only shares the code.
            AuditChain.LinkAsync(db, added, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && owned.TryGetValue(db, out var transaction))
        {
            owned.Remove(db);
            await using (transaction)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && owned.TryGetValue(db, out var transaction))
        {
            owned.Remove(db);
            using (transaction)
            {
                transaction.Commit();
            }
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        await RollBackAsync(eventData.Context);

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => RollBackAsync(eventData.Context).GetAwaiter().GetResult();

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        await RollBackAsync(eventData.Context);

    private async Task RollBackAsync(DbContext? db)
    {
        if (db is not null && owned.TryGetValue(db, out var transaction))
        {
            owned.Remove(db);
            await transaction.DisposeAsync();
        }
    }

    private static List<AuditEntry> Added(NewsDbContext db) =>
        db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
}

/// <summary>The chain's links, sealing of entries written before the chain existed, and its verification.</summary>
public static class AuditChain
{
    private const int BatchSize = 2000;

    /// <summary>The PostgreSQL advisory lock that queues audit appends ("audit" in ASCII, a constant of this app).</summary>
    public const long AppendLockKey = 0x6175646974;

    /// <summary>The last link: the newest entry, else the pruning anchor, else the genesis.</summary>
    public static async Task<(long Sequence, string? Hash)> TailAsync(NewsDbContext db, CancellationToken ct)
    {
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        if (last is not null)
        {
            return (last.Sequence, last.Hash);
        }
        return await AnchorAsync(db, ct);
    }

    /// <summary>Where a chain without earlier entries starts: the latest pruning anchor, else (0, genesis).</summary>
    public static async Task<(long Sequence, string Hash)> AnchorAsync(NewsDbContext db, CancellationToken ct)
    {
        var anchor = await db.AuditAnchors.AsNoTracking().OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
        return anchor is null ? (0, AuditHash.Genesis) : (anchor.Sequence, anchor.Hash);
    }

    /// <summary>Links <paramref name="added"/>, in the order they were added, after the chain's current tail.</summary>
    internal static async Task LinkAsync(NewsDbContext db, IReadOnlyList<AuditEntry> added, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL lets writers run side by side, where SQLite's BEGIN IMMEDIATE queues them: two saves would read
            // the same tail and one would fail on the unique sequence. This lock, held until the transaction ends,
            // queues the appenders; the tail read after it sees the entry the one before committed.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [AppendLockKey], ct);
        }
        var (sequence, hash) = await TailAsync(db, ct);
        if (hash is null && await SealAsync(db, ct) > 0)
        {
            (sequence, hash) = await TailAsync(db, ct);
        }
        if (hash is null)
        {
            // The newest entry lost its hash in a log that was already chained: someone changed the table. Refusing
            // would stop every save that audits (sign-ins included); linking to what its content hashes to keeps the
            // new entries chained, and verification still reports that entry as the first broken one.
            var tail = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == sequence, ct);
            hash = AuditHash.Compute(tail);
        }
        foreach (var entry in added)
        {
            AuditHash.Link(entry, sequence, hash!);
            (sequence, hash) = (entry.Sequence, entry.Hash);
        }
    }

    /// <summary>
    /// Chains the entries written before the chain existed (the migration <c>AuditChain</c> numbered them in id order
    /// and left their hashes empty). Runs at start and before every command; returns how many were sealed.
    /// </summary>
    /// <remarks>
    /// Only a log that was never chained is sealed (no entry has a hash, no anchor exists): an entry whose hash was
    /// removed later is tampering, which sealing must not cover up; verification reports it instead.
    /// </remarks>
    public static async Task<int> SealAsync(NewsDbContext db, CancellationToken ct)
    {
        // In this order: on a chained log the first row answers, on every start.
        if (await db.AuditEntries.AnyAsync(e => e.Hash != null, ct) || await db.AuditAnchors.AnyAsync(ct)
            || !await db.AuditEntries.AnyAsync(e => e.Hash == null, ct))
        {
            return 0;
        }
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var (sequence, hash) = (0L, AuditHash.Genesis);
            var sealedCount = 0;
            while (true)
            {
                var batch = await db.AuditEntries.AsNoTracking().Where(e => e.Hash == null).OrderBy(e => e.Sequence)
                    .Take(BatchSize).ToListAsync(ct);
                if (batch.Count == 0)
                {
                    break;
                }
                foreach (var entry in batch)
                {
                    AuditHash.Link(entry, sequence, hash);
                    (sequence, hash) = (entry.Sequence, entry.Hash!);
                    await db.AuditEntries.Where(e => e.Id == entry.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(e => e.Sequence, entry.Sequence)
                        .SetProperty(e => e.PreviousHash, entry.PreviousHash)
                        .SetProperty(e => e.Hash, entry.Hash), ct);
                    sealedCount++;
                }
            }
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
            return sealedCount;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Walks the chain in sequence order and stops at the first broken entry. <paramref name="newest"/>: check only the
    /// newest that many entries (their content and the links between them), for a bounded check on the admin page.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(NewsDbContext db, long? newest = null, CancellationToken ct = default)
    {
        var total = await db.AuditEntries.LongCountAsync(ct);
        var anchor = await AnchorAsync(db, ct);
        if (total == 0)
        {
            return new AuditVerification(true, 0, 0, false, anchor.Sequence, anchor.Hash, null);
        }
        var stats = new { Count = total, Max = await db.AuditEntries.MaxAsync(e => e.Sequence, ct) };
        // PostgreSQL keeps times to the microsecond, SQLite the 100 ns the hash was computed over.
        var microseconds = db.Database.IsNpgsql();

        var partial = newest is { } n && stats.Count > n;
        // Full: the first entry must follow the anchor (or the genesis). Partial: trust the first entry's link.
        var (expectedSequence, expectedPrevious) = partial ? ((long?)null, (string?)null) : (anchor.Sequence + 1, anchor.Hash);
        var after = partial ? await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Skip((int)Math.Min(newest!.Value, int.MaxValue) - 1)
            .Select(e => e.Sequence).FirstAsync(ct) - 1 : long.MinValue;
        long checkedCount = 0;
        string? head = null;
        while (true)
        {
            var batch = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence)
                .Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var entry in batch)
            {
                var problems = new List<AuditProblem>();
                if (expectedSequence is { } s && entry.Sequence != s)
                {
                    problems.Add(entry.Sequence > s ? AuditProblem.Missing : AuditProblem.OutOfOrder);
                }
                if (entry.Hash is null)
                {
                    problems.Add(AuditProblem.Unsealed);
                }
                else if (!AuditHash.Matches(entry, entry.Hash, microseconds))
                {
                    problems.Add(AuditProblem.ContentChanged);
                }
                if (expectedPrevious is not null && entry.PreviousHash != expectedPrevious)
                {
                    problems.Add(AuditProblem.LinkBroken);
                }
                if (problems.Count > 0)
                {
                    return new AuditVerification(false, checkedCount, stats.Count, partial, stats.Max, null,
                        new AuditBreak(entry.Id, entry.Sequence, expectedSequence, problems));
                }
                checkedCount++;
                expectedSequence = entry.Sequence + 1;
                expectedPrevious = entry.Hash;
                head = entry.Hash;
                after = entry.Sequence;
            }
        }
        return new AuditVerification(true, checkedCount, stats.Count, partial, stats.Max, head, null);
    }
}

public enum AuditProblem
{
    /// <summary>The content no longer gives the stored hash: the entry was changed.</summary>
    ContentChanged,

    /// <summary>The previous-hash does not match the entry before: entries removed, inserted or reordered.</summary>
    LinkBroken,

    /// <summary>Sequence numbers are missing before this entry: entries were deleted.</summary>
    Missing,

    /// <summary>The sequence is lower than expected (duplicated or reordered numbers).</summary>
    OutOfOrder,

    /// <summary>The entry has no hash at all.</summary>
    Unsealed,
}

/// <summary>The first broken entry: its id, its sequence, the sequence expected there and what is wrong.</summary>
public sealed record AuditBreak(long Id, long Sequence, long? ExpectedSequence, IReadOnlyList<AuditProblem> Problems)
{
    public string Describe() => string.Join("; ", Problems.Select(p => p switch
    {
        AuditProblem.ContentChanged => "content does not match its hash (the entry was changed)",
        AuditProblem.LinkBroken => "previous hash does not match the entry before it (entries removed, inserted or reordered)",
        AuditProblem.Missing => $"sequence {ExpectedSequence}–{Sequence - 1} missing (entries deleted)",
        AuditProblem.OutOfOrder => $"sequence {Sequence} where {ExpectedSequence} was expected (reordered or duplicated)",
        _ => "no hash (never sealed)",
    }));

    public string DescribeChinese() => string.Join("；", Problems.Select(p => p switch
    {
        AuditProblem.ContentChanged => "内容与哈希不符（记录被改动）",
        AuditProblem.LinkBroken => "前一哈希与上一条记录不符（记录被删除、插入或调换顺序）",
        AuditProblem.Missing => $"缺少序号 {ExpectedSequence}–{Sequence - 1} 的记录（记录被删除）",
        AuditProblem.OutOfOrder => $"序号为 {Sequence}，应为 {ExpectedSequence}（顺序被调换或序号重复）",
        _ => "没有哈希（未封存）",
    }));
}

/// <summary>
/// The outcome of <see cref="AuditChain.VerifyAsync"/>: whether the chain is intact, how many entries were checked of
/// how many, whether only the newest were checked, the last sequence, and the head hash (when intact) to note down.
/// </summary>
public sealed record AuditVerification(bool Intact, long Checked, long Total, bool Partial, long HeadSequence, string? HeadHash,
    AuditBreak? Break);
