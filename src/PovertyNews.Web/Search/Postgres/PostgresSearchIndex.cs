using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Search.Postgres;

/// <summary>
/// Search on PostgreSQL: one row per article holding a <c>tsvector</c> of <see cref="Text.ChineseText"/>'s tokens
/// (<see cref="TsText"/>) under a GIN index, and the article's <see cref="SearchKey"/> under a b-tree, so newest
/// first and date ranges are key order and key ranges as on SQLite. The query is a <c>tsquery</c> of the same
/// tokens (phrases with <c>&lt;-&gt;</c>); ranking, counting and highlighting are the shared C# pieces, fed the same
/// candidates as on SQLite, so both databases give the same hits.
/// </summary>
public sealed class PostgresSearchIndex(IOptions<SearchOptions> options, ILogger<PostgresSearchIndex> logger) : ISearchIndex
{
    public const string Table = "ArticleSearch";

    /// <summary>The table a rebuild fills beside the live one, renamed over it at the end.</summary>
    public const string BuildSuffix = "_new";

    /// <summary>Articles saved while a rebuild runs, indexed again by it just before the swap.</summary>
    public const string ChangesTable = "ArticleSearchChanges" + BuildSuffix;

    /// <summary>
    /// Session advisory lock held by a running rebuild, in whatever process: a second rebuild is refused, and a start
    /// drops a build table only when nobody holds it. PostgreSQL releases it when the connection ends, however it ends.
    /// </summary>
    public const long RebuildLockKey = 0x506E_5365_6172_6301; // "PnSearc" + 1

    /// <summary>
    /// Saves take this advisory lock shared (until their commit) before they write the index; a rebuild takes it
    /// exclusively when it starts listing changes and when it swaps, so no save falls between its reads and its list.
    /// </summary>
    public const long WritesLockKey = 0x506E_5365_6172_6302;

    /// <summary>The index's table and indexes, named with <paramref name="suffix"/>; the indexes of a build come later.</summary>
    public static string CreateTableSql(string suffix) =>
        $"""
        CREATE TABLE "{Table}{suffix}" ("ArticleId" integer NOT NULL, "SearchKey" bigint NOT NULL, "Document" tsvector NOT NULL,
            "Positions" tsvector,
            CONSTRAINT "PK_{Table}{suffix}" PRIMARY KEY ("ArticleId"))
            WITH (toast_tuple_target = 128);
        """;

    public static string CreateIndexesSql(string suffix) =>
        $"""
        CREATE INDEX "IX_{Table}{suffix}_SearchKey" ON "{Table}{suffix}" ("SearchKey");
        CREATE INDEX "IX_{Table}{suffix}_Document" ON "{Table}{suffix}" USING gin ("Document");
        """;

    /// <summary>
    /// The <see cref="Text.ChineseText.AnalyzerVersion"/> an index was built with, kept as its table's comment: it goes
    /// with the table through the rebuild's rename and through dumps. A table without one is from before the version
    /// was kept, version 1.
    /// </summary>
    private static string StampSql(string suffix) => $"""COMMENT ON TABLE "{Table}{suffix}" IS '{Stamp}';""";

    /// <summary>
    /// The comment of a table built by this code: the analyzer's version, "months" for documents that hold their
    /// month lexeme (<see cref="TsText.MonthPrefix"/>) and "positions" for rows whose <c>Positions</c> column holds
    /// their positional lexemes (<see cref="TsText.Vectors"/>); searches use those only when the table says so.
    /// </summary>
    internal static string Stamp => $"analyzer {Text.ChineseText.AnalyzerVersion}; {MonthsMark}; {PositionsMark}";

    private const string MonthsMark = "months";
    private const string PositionsMark = "positions";

    private static readonly string DropBuildSql =
        $"""DROP TABLE IF EXISTS "{ChangesTable}"; DROP TABLE IF EXISTS "{Table}{BuildSuffix}";""";

    public async Task UpdateAsync(NewsDbContext db, IReadOnlyCollection<int> articleIds, CancellationToken ct)
    {
        if (articleIds.Count == 0)
        {
            return;
        }
        var parents = await ChannelParentsAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var ids = articleIds.Distinct().ToArray();
            await ExecuteAsync(db, $"SELECT pg_advisory_xact_lock_shared({WritesLockKey})", ct);
            await ReindexAsync(db, ids, parents, suffix: "", ct);
            // One catalogue lookup when no rebuild runs; the shared lock above keeps a starting rebuild from
            // creating its list between this look and the commit.
            await ExecuteAsync(db,
                $"""
                DO $$ BEGIN
                  IF to_regclass('"{ChangesTable}"') IS NOT NULL THEN
                    INSERT INTO "{ChangesTable}" ("ArticleId") SELECT unnest(ARRAY[{string.Join(",", ids)}]::integer[]) ON CONFLICT DO NOTHING;
                  END IF;
                END $$;
                """, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Removes <paramref name="ids"/> from the table named by <paramref name="suffix"/> and adds those that exist as
    /// they are now. The caller has opened the connection.
    /// </summary>
    private static async Task ReindexAsync(NewsDbContext db, IReadOnlyList<int> ids, IReadOnlyDictionary<int, int?> parents,
        string suffix, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            var sources = await SearchSources.LoadAsync(db, db.Articles.Where(a => chunk.Contains(a.Id)), ct);
            var vectors = Vectors(sources, parents, ct);
            var found = sources.Select(s => s.Id).ToHashSet();
            var gone = chunk.Where(id => !found.Contains(id)).ToArray();
            if (gone.Length > 0)
            {
                await ExecuteAsync(db, $"""DELETE FROM "{Table}{suffix}" WHERE "ArticleId" = ANY(@ids)""", ct, ("ids", gone));
            }
            if (vectors.Count > 0)
            {
                await ExecuteAsync(db,
                    $"""
                    INSERT INTO "{Table}{suffix}" ("ArticleId", "SearchKey", "Document", "Positions")
                    SELECT * FROM unnest(@ids, @keys, @documents::tsvector[], @positions::tsvector[])
                    ON CONFLICT ("ArticleId") DO UPDATE
                    SET "SearchKey" = excluded."SearchKey", "Document" = excluded."Document", "Positions" = excluded."Positions"
                    """, ct,
                    ("ids", vectors.Select(v => v.Id).ToArray()), ("keys", vectors.Select(v => v.Key).ToArray()),
                    ("documents", vectors.Select(v => v.Document).ToArray()), ("positions", vectors.Select(v => v.Positions).ToArray()));
            }
        }
    }

    private static List<(int Id, long Key, string Document, string Positions)> Vectors(List<SearchSource> sources,
        IReadOnlyDictionary<int, int?> parents, CancellationToken ct)
    {
        (int, long, string, string) Make(SearchSource s)
        {
            var document = SearchDocument.From(s, parents);
            var (vector, positions) = TsText.Vectors(document);
            return (s.Id, document.Key, vector, positions);
        }
        // One article per save is the common case; a repair, a rebuild or its catch-up brings hundreds.
        return sources.Count < 32
            ? sources.Select(Make).ToList()
            : sources.AsParallel().AsOrdered().WithCancellation(ct).Select(Make).ToList();
    }

    /// <summary>
    /// Builds a new table beside the one in use, indexes it, and swaps it in with one short transaction: until then
    /// searches use the old table, and a stopped rebuild leaves it in use, complete. Saves made meanwhile, here or in
    /// another process, are listed in <see cref="ChangesTable"/> and indexed again in the swap.
    /// </summary>
    public async Task<int> RebuildAsync(NewsDbContext db, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var batchSize = options.Value.RebuildBatchSize;
        await db.Database.OpenConnectionAsync(ct);
        var locked = false;
        var swapped = false;
        try
        {
            locked = await TryLockAsync(db, ct);
            if (!locked)
            {
                throw new SearchIndexBusyException(
                    $"Another process is rebuilding the search index (it holds PostgreSQL advisory lock {RebuildLockKey}); wait for it to finish.");
            }
            var total = await db.Articles.CountAsync(ct);
            var parents = await ChannelParentsAsync(db, ct);
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                // Saves in flight finish first; every later one sees the list and names its articles in it.
                await ExecuteAsync(db, $"SELECT pg_advisory_xact_lock({WritesLockKey})", ct);
                await ExecuteAsync(db, DropBuildSql + CreateTableSql(BuildSuffix)
                    + $"""CREATE TABLE "{ChangesTable}" ("ArticleId" integer NOT NULL PRIMARY KEY);""", ct);
                // A phrase is checked in each candidate's tsvector, a TOAST value of several kilobytes: lz4
                // decompresses it several times faster than pglz, the default (a server built without lz4 keeps pglz).
                var lz4 = await db.Database.SqlQueryRaw<bool>(
                    """SELECT 'lz4' = ANY(enumvals) AS "Value" FROM pg_settings WHERE name = 'default_toast_compression'""").SingleAsync(ct);
                if (lz4)
                {
                    await ExecuteAsync(db,
                        $"""ALTER TABLE "{Table}{BuildSuffix}" ALTER COLUMN "Document" SET COMPRESSION lz4, ALTER COLUMN "Positions" SET COMPRESSION lz4;""", ct);
                }
                await transaction.CommitAsync(ct);
            }
            var done = 0;
            var after = 0;
            progress?.Report((0, total));
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            while (true)
            {
                var sources = await SearchSources.LoadAsync(db, db.Articles.Where(a => a.Id > after).OrderBy(a => a.Id).Take(batchSize), ct);
                if (sources.Count == 0)
                {
                    break;
                }
                var vectors = Vectors(sources, parents, ct);
                // COPY in text form: the server parses each tsvector as it would a literal (tokens hold no tabs,
                // newlines or backslashes, which that form would need escaped).
                await using (var writer = await connection.BeginTextImportAsync(
                                 $"""COPY "{Table}{BuildSuffix}" ("ArticleId", "SearchKey", "Document", "Positions") FROM STDIN""", ct))
                {
                    foreach (var (id, key, vector, positions) in vectors)
                    {
                        await writer.WriteAsync($"{id}\t{key}\t{vector.Replace("\\", "\\\\")}\t{positions.Replace("\\", "\\\\")}\n");
                    }
                }
                done += sources.Count;
                after = sources[^1].Id;
                progress?.Report((done, Math.Max(total, done)));
            }
            // Built in one go, the GIN index is far faster to make than grown row by row, and better packed.
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await ExecuteAsync(db, "SET LOCAL maintenance_work_mem = '256MB';" + CreateIndexesSql(BuildSuffix), timeoutSeconds: 0, ct);
                await transaction.CommitAsync(ct);
            }
            await ExecuteAsync(db, $"""ANALYZE "{Table}{BuildSuffix}";""", timeoutSeconds: 0, ct);
            var swap = Stopwatch.StartNew();
            var (caughtUp, indexed) = await SwapAsync(db, after, ct);
            swapped = true;
            _marks.Set(new TableMarks(Months: true, Positions: true));
            logger.LogInformation(
                "Search index rebuilt: {Articles} articles in {Elapsed:0.0} s; {CaughtUp} saved or added during the rebuild were indexed again in the swap, which took {SwapSeconds:0.00} s",
                indexed, watch.Elapsed.TotalSeconds, caughtUp, swap.Elapsed.TotalSeconds);
            return indexed;
        }
        finally
        {
            if (locked)
            {
                if (!swapped)
                {
                    await DropBuildAfterFailureAsync(db);
                }
                await UnlockAsync(db);
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// With saves held off: indexes again what was saved during the rebuild (and rows added after its last batch
    /// without a save, such as the generate command's), then drops the old table and renames the new one in. Searches
    /// wait only for this transaction, which takes the old table's lock last.
    /// </summary>
    private static async Task<(int CaughtUp, int Indexed)> SwapAsync(NewsDbContext db, int after, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await ExecuteAsync(db, $"SELECT pg_advisory_xact_lock({WritesLockKey})", ct);
        var parents = await ChannelParentsAsync(db, ct);
        var changed = await db.Database.SqlQueryRaw<int>($"""SELECT "ArticleId" AS "Value" FROM "{ChangesTable}" """).ToListAsync(ct);
        var later = await db.Articles.Where(a => a.Id > after).Select(a => a.Id).ToListAsync(ct);
        var catchUp = changed.Union(later).ToList();
        await ReindexAsync(db, catchUp, parents, BuildSuffix, ct);
        var indexed = await db.Database.SqlQueryRaw<int>($"""SELECT count(*)::int AS "Value" FROM "{Table}{BuildSuffix}" """).SingleAsync(ct);
        await ExecuteAsync(db,
            $"""
            DROP TABLE "{ChangesTable}";
            DROP TABLE IF EXISTS "{Table}";
            ALTER TABLE "{Table}{BuildSuffix}" RENAME TO "{Table}";
            ALTER TABLE "{Table}" RENAME CONSTRAINT "PK_{Table}{BuildSuffix}" TO "PK_{Table}";
            ALTER INDEX "IX_{Table}{BuildSuffix}_SearchKey" RENAME TO "IX_{Table}_SearchKey";
            ALTER INDEX "IX_{Table}{BuildSuffix}_Document" RENAME TO "IX_{Table}_Document";
            {StampSql("")}
            """, ct);
        await transaction.CommitAsync(ct);
        return (catchUp.Count, indexed);
    }

    private async Task DropBuildAfterFailureAsync(NewsDbContext db)
    {
        try
        {
            if (db.Database.CurrentTransaction is { } open)
            {
                await open.RollbackAsync(CancellationToken.None);
            }
            await ExecuteAsync(db, DropBuildSql, CancellationToken.None);
            logger.LogWarning("The search index rebuild stopped before it finished; the index in use is unchanged");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(e, "The search index rebuild stopped before it finished and its tables could not be dropped; the next start drops them");
        }
    }

    private static async Task<bool> TryLockAsync(NewsDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<bool>($"""SELECT pg_try_advisory_lock({RebuildLockKey}) AS "Value" """).SingleAsync(ct);

    private async Task UnlockAsync(NewsDbContext db)
    {
        try
        {
            await ExecuteAsync(db, $"SELECT pg_advisory_unlock({RebuildLockKey})", CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the lock with it.
            logger.LogDebug(e, "The search index rebuild lock could not be released explicitly");
        }
    }

    public async Task EnsureBuiltAsync(NewsDbContext db, CancellationToken ct)
    {
        await DropUnfinishedBuildAsync(db, ct);
        var indexed = await db.Database.SqlQueryRaw<bool>($"""SELECT EXISTS(SELECT 1 FROM "{Table}") AS "Value" """).SingleAsync(ct);
        var articles = await db.Articles.AnyAsync(ct);
        if (!indexed && !articles && await StampAsync(db, ct) != Stamp)
        {
            // A new database: whatever is indexed from now on is cut by this version.
            await ExecuteAsync(db, StampSql(""), ct);
        }
        if (!indexed && articles)
        {
            logger.LogWarning("The search index is empty but articles exist; rebuilding it");
            try
            {
                await RebuildAsync(db, progress: null, ct);
            }
            catch (SearchIndexBusyException e)
            {
                logger.LogWarning("The search index is empty and is not rebuilt at this start: {Reason}", e.Message);
            }
        }
    }

    public async Task<int> AnalyzerVersionAsync(NewsDbContext db, CancellationToken ct)
    {
        var comment = await StampAsync(db, ct);
        var digits = comment.StartsWith("analyzer ", StringComparison.Ordinal)
            ? new string(comment["analyzer ".Length..].TakeWhile(char.IsAsciiDigit).ToArray())
            : "";
        return int.TryParse(digits, out var version) ? version : 1;
    }

    private static async Task<string> StampAsync(NewsDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<string>(
            $"""SELECT coalesce(obj_description(to_regclass('"{Table}"'), 'pg_class'), '') AS "Value" """).SingleAsync(ct);

    private readonly Rechecked<TableMarks> _marks = new(TimeSpan.FromMinutes(1));

    /// <summary>What every row of the table in use holds beyond its document (see <see cref="Stamp"/>).</summary>
    internal readonly record struct TableMarks(bool Months, bool Positions);

    /// <summary>
    /// Whether every document of the table in use holds its month lexeme and its positions column (its stamp says
    /// so: built or started empty by this code); read at most once a minute, and set by this process's own rebuild.
    /// An older table is searched without them, correctly but slower, until it is rebuilt.
    /// </summary>
    internal ValueTask<TableMarks> MarksAsync(NpgsqlConnection connection, CancellationToken ct) =>
        _marks.GetAsync(async ct =>
        {
            await using var command = new NpgsqlCommand(
                $"""SELECT coalesce(obj_description(to_regclass('"{Table}"'), 'pg_class'), '')""", connection);
            var marks = ((string)(await command.ExecuteScalarAsync(ct))!).Split(';', StringSplitOptions.TrimEntries);
            return new TableMarks(marks.Contains(MonthsMark), marks.Contains(PositionsMark));
        }, ct);

    /// <summary>Drops the tables of a rebuild that was killed, unless a rebuild (holding the lock) is running now.</summary>
    internal async Task<bool> DropUnfinishedBuildAsync(NewsDbContext db, CancellationToken ct)
    {
        var left = await db.Database.SqlQueryRaw<string>(
                "SELECT relname::text AS \"Value\" FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace AND relname IN ({0}, {1})",
                ChangesTable, Table + BuildSuffix)
            .ToListAsync(ct);
        if (left.Count == 0)
        {
            return false;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (!await TryLockAsync(db, ct))
            {
                logger.LogInformation("A search index rebuild is running in another process; its tables ({Tables}) stay", string.Join(", ", left));
                return false;
            }
            try
            {
                await ExecuteAsync(db, DropBuildSql, ct);
            }
            finally
            {
                await UnlockAsync(db);
            }
            logger.LogWarning("Dropped the tables ({Tables}) of a search index rebuild that was stopped before it finished; the index in use was not touched by it",
                string.Join(", ", left));
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<SearchIndexRepair> RepairAsync(NewsDbContext db, CancellationToken ct)
    {
        var missing = await db.Database.SqlQueryRaw<int>(
                $"""SELECT a."Id" AS "Value" FROM "Articles" AS a WHERE NOT EXISTS (SELECT 1 FROM "{Table}" AS k WHERE k."ArticleId" = a."Id")""")
            .ToListAsync(ct);
        var gone = await db.Database.SqlQueryRaw<int>(
                $"""SELECT k."ArticleId" AS "Value" FROM "{Table}" AS k WHERE NOT EXISTS (SELECT 1 FROM "Articles" AS a WHERE a."Id" = k."ArticleId")""")
            .ToListAsync(ct);
        foreach (var chunk in missing.Concat(gone).Chunk(options.Value.RebuildBatchSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await UpdateAsync(db, chunk, ct);
            await transaction.CommitAsync(ct);
        }
        return new SearchIndexRepair(missing.Count, gone.Count);
    }

    public async Task<SearchIndexCount> CountAsync(NewsDbContext db, CancellationToken ct)
    {
        var indexed = await db.Database.SqlQueryRaw<int>($"""SELECT count(*)::int AS "Value" FROM "{Table}" """).SingleAsync(ct);
        return new SearchIndexCount(indexed, await db.Articles.CountAsync(ct));
    }

    public Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct) =>
        new PostgresSearch(options.Value, this).SearchAsync(db, request, ct);

    private readonly Rechecked<long> _documentCount = new(TimeSpan.FromMinutes(1));

    /// <summary>Document frequencies for ranking, counted at most once a minute per token.</summary>
    internal DocumentFrequencies Frequencies { get; } = new(TimeSpan.FromMinutes(1));

    /// <summary>Rows in the index, for the IDF; counted at most once a minute, as a few more or less change nothing.</summary>
    internal ValueTask<long> DocumentCountAsync(NpgsqlConnection connection, CancellationToken ct) =>
        _documentCount.GetAsync(async ct =>
        {
            await using var command = new NpgsqlCommand($"""SELECT count(*) FROM "{Table}" """, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        }, ct);

    private static async Task<Dictionary<int, int?>> ChannelParentsAsync(NewsDbContext db, CancellationToken ct) =>
        await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ParentId, ct);

    /// <summary>Runs <paramref name="sql"/> on the context's connection, in its current transaction if any.</summary>
    internal static Task ExecuteAsync(NewsDbContext db, string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        ExecuteAsync(db, sql, timeoutSeconds: null, ct, parameters);

    /// <param name="timeoutSeconds">0 for none: building the GIN index of a large site takes many minutes.</param>
    internal static async Task ExecuteAsync(NewsDbContext db, string sql, int? timeoutSeconds, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        try
        {
            await using var command = new NpgsqlCommand(sql, connection)
            {
                Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            };
            if (timeoutSeconds is { } timeout)
            {
                command.CommandTimeout = timeout;
            }
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
