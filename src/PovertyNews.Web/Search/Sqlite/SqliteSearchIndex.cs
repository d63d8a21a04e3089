using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search.Sqlite;

/// <summary>
/// Search on SQLite's FTS5. The table holds no text of its own (contentless): each column is a string of index
/// tokens from <see cref="ChineseText"/>, which the unicode61 tokenizer splits at the spaces. Rows are keyed by
/// <see cref="SearchKey"/>, so newest-first and date ranges are rowid order and rowid ranges, which FTS5 walks
/// without sorting; ArticleSearchKeys remembers each article's key so a re-index can delete the old row.
/// </summary>
public sealed class SqliteSearchIndex(IOptions<SearchOptions> options, ILogger<SqliteSearchIndex> logger) : ISearchIndex
{
    public const string Table = "ArticleSearch";
    public const string KeyTable = "ArticleSearchKeys";

    /// <summary>
    /// FTS5's default rank, set when the table was made; queries no longer use it (see <see cref="Bm25Ranker"/>), but
    /// the migration that created the table keeps it.
    /// </summary>
    public const string Ranking = "bm25(10.0, 4.0, 1.0, 2.0, 2.0, 5.0, 0.0)";

    /// <summary>
    /// The tables a rebuild fills beside the live ones (<see cref="Table"/> and <see cref="KeyTable"/> with this
    /// suffix), renamed over them in the transaction that ends the rebuild.
    /// </summary>
    public const string BuildSuffix = "_new";

    /// <summary>
    /// Articles saved while a rebuild runs (it may run in another process while the site takes writes): every index
    /// update writes its article ids here while the table exists, and the rebuild indexes them again, under the write
    /// lock, just before it swaps its tables in.
    /// </summary>
    public const string ChangesTable = "ArticleSearchChanges" + BuildSuffix;

    /// <summary>
    /// One row: the <see cref="ChineseText.AnalyzerVersion"/> the live index was built with, written in the rebuild's
    /// swap (and when an empty index is first found with no article to index). Made here, not by a migration, like the
    /// rebuild's tables; a database without it holds an index from before the version was kept, version 1.
    /// </summary>
    public const string AnalyzerTable = "ArticleSearchAnalyzer";

    private static readonly string StampSql =
        $"""
        CREATE TABLE IF NOT EXISTS {AnalyzerTable} (Version INTEGER NOT NULL);
        DELETE FROM {AnalyzerTable};
        INSERT INTO {AnalyzerTable}(Version) VALUES ({ChineseText.AnalyzerVersion});
        """;

    /// <summary>The index's tables, named with <paramref name="suffix"/> (empty for the live ones).</summary>
    public static string CreateTablesSql(string suffix) =>
        $"""
        CREATE VIRTUAL TABLE {Table}{suffix} USING fts5(
            title, lead, body, source, author, tags, facets,
            content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
        INSERT INTO {Table}{suffix}({Table}{suffix}, rank) VALUES('rank', '{Ranking}');
        CREATE TABLE {KeyTable}{suffix} (ArticleId INTEGER NOT NULL PRIMARY KEY, SearchKey INTEGER NOT NULL);
        """;

    /// <summary>The live index's tables, as the migration that adds search made them.</summary>
    public static readonly string CreateSql = CreateTablesSql("");

    public static readonly string DropSql = $"DROP TABLE IF EXISTS {KeyTable}; DROP TABLE IF EXISTS {Table};";

    /// <summary>What an unfinished rebuild leaves: its tables and its list of changed articles.</summary>
    private static readonly string DropBuildSql =
        $"DROP TABLE IF EXISTS {ChangesTable}; DROP TABLE IF EXISTS {KeyTable}{BuildSuffix}; DROP TABLE IF EXISTS {Table}{BuildSuffix};";

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
            var ids = articleIds.Distinct().ToList();
            await ReindexAsync(db, ids, parents, suffix: "", ct);
            await NoteForRebuildAsync(db, ids, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Removes <paramref name="ids"/> from the index named by <paramref name="suffix"/> and adds those that exist as
    /// they are now. The caller has opened the connection (and, for a consistent read, begun the transaction).
    /// </summary>
    private static async Task ReindexAsync(NewsDbContext db, IReadOnlyList<int> ids, IReadOnlyDictionary<int, int?> parents,
        string suffix, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            var sources = await SearchSources.LoadAsync(db, db.Articles.Where(a => EF.Constant(chunk).Contains(a.Id)), ct);
            // One article per save is the common case; a repair or a rebuild's catch-up brings hundreds.
            var documents = sources.Count < 32
                ? sources.Select(s => SearchDocument.From(s, parents)).ToList()
                : sources.AsParallel().AsOrdered().WithCancellation(ct).Select(s => SearchDocument.From(s, parents)).ToList();
            await using var writer = await Writer.OpenAsync(db, suffix, ct);
            foreach (var id in chunk)
            {
                await writer.RemoveAsync(id, ct);
            }
            foreach (var document in documents)
            {
                await writer.AddAsync(document, ct, fresh: true);
            }
        }
    }

    /// <summary>
    /// While a rebuild runs, names <paramref name="ids"/> in its list of changed articles, in the caller's
    /// transaction. The list exists from the rebuild's first step to its swap, so a save either committed before the
    /// rebuild began reading or is in the list; one lookup in the schema when no rebuild runs.
    /// </summary>
    private static async Task NoteForRebuildAsync(NewsDbContext db, IReadOnlyList<int> ids, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        await using var check = Command(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name", ("$name", ChangesTable));
        check.Transaction = transaction;
        if (await check.ExecuteScalarAsync(ct) is null)
        {
            return;
        }
        await using var note = Command(connection, $"INSERT OR IGNORE INTO {ChangesTable}(ArticleId) SELECT value FROM json_each($ids)",
            ("$ids", "[" + string.Join(",", ids) + "]"));
        note.Transaction = transaction;
        await note.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Builds a new index beside the one in use and swaps it in with one transaction: until then searches use the
    /// old index, and a rebuild that is stopped (cancelled, killed, out of disk) leaves it in use, complete. Saves
    /// made meanwhile, here or in another process, are listed in <see cref="ChangesTable"/> and indexed again just
    /// before the swap, under the write lock.
    /// </summary>
    public async Task<int> RebuildAsync(NewsDbContext db, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var rebuilding = RebuildLock.TryTake(db)
            ?? throw new SearchIndexBusyException($"Another process is rebuilding the search index (it holds {RebuildLock.PathOf(db)}); wait for it to finish.");
        var batchSize = options.Value.RebuildBatchSize;
        var total = await db.Articles.CountAsync(ct);
        var parents = await ChannelParentsAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        var swapped = false;
        try
        {
            // A stopped rebuild's tables go first. From the commit on, every save lists its articles for this one.
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                var create = DropBuildSql + CreateTablesSql(BuildSuffix) + $"CREATE TABLE {ChangesTable} (ArticleId INTEGER NOT NULL PRIMARY KEY);";
                await db.Database.ExecuteSqlRawAsync(create, ct);
                await transaction.CommitAsync(ct);
            }
            var done = 0;
            var after = 0;
            progress?.Report((0, total));
            while (true)
            {
                var sources = await SearchSources.LoadAsync(db, db.Articles.Where(a => a.Id > after).OrderBy(a => a.Id).Take(batchSize), ct);
                if (sources.Count == 0)
                {
                    break;
                }
                // Cutting text into tokens is the costly part and needs no database: do it on every core.
                var documents = sources.AsParallel().AsOrdered().WithCancellation(ct)
                    .Select(s => SearchDocument.From(s, parents)).ToList();
                await using (var transaction = await db.Database.BeginTransactionAsync(ct))
                {
                    await using var writer = await Writer.OpenAsync(db, BuildSuffix, ct);
                    foreach (var document in documents)
                    {
                        await writer.AddAsync(document, ct, fresh: true);
                    }
                    await writer.DisposeAsync();
                    await transaction.CommitAsync(ct);
                }
                done += sources.Count;
                after = sources[^1].Id;
                progress?.Report((done, Math.Max(total, done)));
            }
            // One merged b-tree per term instead of many segments: slower to build, faster to query.
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO {Table}{BuildSuffix}({Table}{BuildSuffix}) VALUES('optimize');", ct);
            var swap = Stopwatch.StartNew();
            var (caughtUp, indexed) = await SwapAsync(db, after, ct);
            swapped = true;
            logger.LogInformation(
                "Search index rebuilt: {Articles} articles in {Elapsed:0.0} s; {CaughtUp} saved or added during the rebuild were indexed again in the swap, which held the write lock {SwapSeconds:0.00} s",
                indexed, watch.Elapsed.TotalSeconds, caughtUp, swap.Elapsed.TotalSeconds);
            return indexed;
        }
        finally
        {
            if (!swapped)
            {
                await DropBuildAfterFailureAsync(db);
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Under the write lock: indexes again what was saved during the rebuild (and rows added after its last batch
    /// without going through a save, such as the generate command's), then drops the old tables and renames the new
    /// ones in. FTS5 renames its shadow tables with it. Returns (articles caught up, articles in the new index).
    /// </summary>
    private static async Task<(int CaughtUp, int Indexed)> SwapAsync(NewsDbContext db, int after, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var parents = await ChannelParentsAsync(db, ct);
        var changed = await db.Database.SqlQueryRaw<int>($"SELECT ArticleId AS \"Value\" FROM {ChangesTable}").ToListAsync(ct);
        var later = await db.Articles.Where(a => a.Id > after).Select(a => a.Id).ToListAsync(ct);
        var catchUp = changed.Union(later).ToList();
        await ReindexAsync(db, catchUp, parents, BuildSuffix, ct);
        var indexed = await db.Database.SqlQueryRaw<int>($"SELECT count(*) AS \"Value\" FROM {KeyTable}{BuildSuffix}").SingleAsync(ct);
        await db.Database.ExecuteSqlRawAsync(
            $"""
            DROP TABLE {ChangesTable};
            DROP TABLE IF EXISTS {KeyTable};
            DROP TABLE IF EXISTS {Table};
            ALTER TABLE {Table}{BuildSuffix} RENAME TO {Table};
            ALTER TABLE {KeyTable}{BuildSuffix} RENAME TO {KeyTable};
            """, ct);
        await db.Database.ExecuteSqlRawAsync(StampSql, ct);
        await transaction.CommitAsync(ct);
        return (catchUp.Count, indexed);
    }

    private async Task DropBuildAfterFailureAsync(NewsDbContext db)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync(DropBuildSql, CancellationToken.None);
            logger.LogWarning("The search index rebuild stopped before it finished; the index in use is unchanged");
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // Disk full or the database gone: the next rebuild or start drops them.
            logger.LogWarning(e, "The search index rebuild stopped before it finished and its tables could not be dropped; the next start drops them");
        }
    }

    public async Task EnsureBuiltAsync(NewsDbContext db, CancellationToken ct)
    {
        await DropUnfinishedBuildAsync(db, ct);
        var indexed = await db.Database.SqlQueryRaw<int>($"SELECT EXISTS(SELECT 1 FROM {KeyTable}) AS \"Value\"").SingleAsync(ct);
        var articles = await db.Articles.AnyAsync(ct);
        if (indexed == 0 && !articles && await AnalyzerVersionAsync(db, ct) != ChineseText.AnalyzerVersion)
        {
            // A new database: whatever is indexed from now on is cut by this version.
            await db.Database.ExecuteSqlRawAsync(StampSql, ct);
        }
        if (indexed == 0 && articles)
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

    /// <summary>
    /// Drops the tables of a rebuild that was killed, unless a rebuild is running now (in another process, which
    /// holds <see cref="RebuildLock"/>). Until dropped they only cost disk space and one row per saved article.
    /// </summary>
    internal async Task<bool> DropUnfinishedBuildAsync(NewsDbContext db, CancellationToken ct)
    {
        var left = await db.Database.SqlQueryRaw<string>(
                "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name IN ({0}, {1}, {2})",
                ChangesTable, Table + BuildSuffix, KeyTable + BuildSuffix)
            .ToListAsync(ct);
        if (left.Count == 0)
        {
            return false;
        }
        using var rebuilding = RebuildLock.TryTake(db);
        if (rebuilding is null)
        {
            logger.LogInformation("A search index rebuild is running in another process; its tables ({Tables}) stay", string.Join(", ", left));
            return false;
        }
        await db.Database.ExecuteSqlRawAsync(DropBuildSql, ct);
        logger.LogWarning("Dropped the tables ({Tables}) of a search index rebuild that was stopped before it finished; the index in use was not touched by it",
            string.Join(", ", left));
        return true;
    }

    /// <summary>
    /// Indexes the articles the index lacks and removes the rows of articles that are gone, in batches of their own
    /// transactions; far cheaper than a rebuild when a few thousand differ, and searches stay complete for the rest.
    /// </summary>
    public async Task<SearchIndexRepair> RepairAsync(NewsDbContext db, CancellationToken ct)
    {
        var missing = await db.Database.SqlQueryRaw<int>(
                $"SELECT a.Id AS \"Value\" FROM Articles AS a WHERE NOT EXISTS (SELECT 1 FROM {KeyTable} AS k WHERE k.ArticleId = a.Id)")
            .ToListAsync(ct);
        var gone = await db.Database.SqlQueryRaw<int>(
                $"SELECT k.ArticleId AS \"Value\" FROM {KeyTable} AS k WHERE NOT EXISTS (SELECT 1 FROM Articles AS a WHERE a.Id = k.ArticleId)")
            .ToListAsync(ct);
        foreach (var chunk in missing.Concat(gone).Chunk(options.Value.RebuildBatchSize))
        {
            // The articles are read under the write lock, so a save of the same article cannot slip in between.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await UpdateAsync(db, chunk, ct);
            await transaction.CommitAsync(ct);
        }
        return new SearchIndexRepair(missing.Count, gone.Count);
    }

    public async Task<int> AnalyzerVersionAsync(NewsDbContext db, CancellationToken ct)
    {
        var kept = await db.Database.SqlQueryRaw<int>(
            "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {0}", AnalyzerTable).SingleAsync(ct);
        return kept == 0
            ? 1
            : await db.Database.SqlQueryRaw<int>($"SELECT COALESCE(MAX(Version), 0) AS \"Value\" FROM {AnalyzerTable}").SingleAsync(ct) is var v and > 0 ? v : 1;
    }

    public async Task<SearchIndexCount> CountAsync(NewsDbContext db, CancellationToken ct)
    {
        var indexed = await db.Database.SqlQueryRaw<int>($"SELECT count(*) AS \"Value\" FROM {KeyTable}").SingleAsync(ct);
        return new SearchIndexCount(indexed, await db.Articles.CountAsync(ct));
    }

    public async Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct)
    {
        if (request.Query.IsEmpty)
        {
            return SearchHits.None;
        }
        var settings = options.Value;
        var match = MatchExpression(request);
        var (low, high) = KeyRange(request);
        if (low > high)
        {
            return SearchHits.None;
        }
        var (embargo, embargoParameters) = Embargo(request);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var total = Convert.ToInt32(await ScalarAsync(connection,
                $"SELECT count(*) FROM (SELECT 1 FROM {Table} WHERE {Table} MATCH $match AND rowid BETWEEN $low AND $high{embargo} LIMIT $limit)",
                ct, [("$match", match), ("$low", low), ("$high", high), ("$limit", settings.CountLimit), .. embargoParameters]));
            if (total == 0)
            {
                return SearchHits.None;
            }

            if (request.Sort == SearchSort.Newest)
            {
                var page = await RowIdsAsync(connection,
                    $"SELECT rowid FROM {Table} WHERE {Table} MATCH $match AND rowid BETWEEN $low AND $high{embargo} ORDER BY rowid DESC LIMIT $take OFFSET $skip",
                    ct, [("$match", match), ("$low", low), ("$high", high), ("$take", request.Take), ("$skip", request.Skip), .. embargoParameters]);
                return new SearchHits(page.Select(SearchKey.ArticleId).ToList(), total, total >= settings.CountLimit, false);
            }

            // Relevance: the newest matches within the window are the candidates (cheap: the index's own order),
            // scored with BM25 from the statistics the index keeps of each (Fts5Statistics) and document frequencies
            // counted up to a cap (see Bm25Ranker).
            var positives = request.Query.PositiveTerms.ToList();
            var distinct = positives.Distinct().ToList();
            var terms = new List<Bm25Ranker.WeightedTerm>();
            foreach (var term in distinct)
            {
                terms.Add(new(term, await DocumentFrequencyAsync(connection, term, settings.DocumentFrequencyLimit, ct)));
            }
            // The match expression names the positive terms first, one phrase each, in this order (MatchExpression).
            var phraseOfTerm = distinct.Select(t => positives.IndexOf(t)).ToList();
            var documents = await CandidatesAsync(connection,
                $"SELECT rowid, {Fts5Statistics.Function}({Table}) FROM {Table} WHERE {Table} MATCH $match AND rowid BETWEEN $low AND $high{embargo} ORDER BY rowid DESC LIMIT $window",
                phraseOfTerm, ct, [("$match", match), ("$low", low), ("$high", high), ("$window", settings.RankingWindow), .. embargoParameters]);
            var ranked = Bm25Ranker.Rank(documents, terms, await DocumentCountAsync(connection, ct));
            var ids = ranked.Skip(request.Skip).Take(request.Take).Select(SearchKey.ArticleId).ToList();
            var rankedNewestOnly = total > documents.Count;
            return new SearchHits(ids, total, total >= settings.CountLimit, rankedNewestOnly, documents.Count);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// How many documents hold the term, counted up to <paramref name="limit"/>: beyond it a term is simply common,
    /// and counting further would walk its whole posting list. A phrase counts as its rarest token (every other
    /// one, which covers every character), an upper bound of the phrase's own frequency that costs no position checks.
    /// </summary>
    private async Task<long> DocumentFrequencyAsync(SqliteConnection connection, SearchTerm term, int limit, CancellationToken ct)
    {
        var least = long.MaxValue;
        foreach (var token in term.FrequencyTokens())
        {
            var prefix = token.LastIsPrefix ? " *" : "";
            var count = await _frequencies.GetAsync(token, limit, async ct => Convert.ToInt64(await ScalarAsync(connection,
                $"SELECT count(*) FROM (SELECT 1 FROM {Table} WHERE {Table} MATCH $token LIMIT $limit)",
                ct, ("$token", "\"" + token.Text + "\"" + prefix), ("$limit", limit))), ct);
            least = Math.Min(least, count);
        }
        return least == long.MaxValue ? 0 : least;
    }

    private readonly DocumentFrequencies _frequencies = new(TimeSpan.FromMinutes(1));

    private readonly Rechecked<long> _documentCount = new(TimeSpan.FromMinutes(1));

    /// <summary>Documents in the index, for the IDF; counted at most once a minute, as a few more or less change nothing.</summary>
    private ValueTask<long> DocumentCountAsync(SqliteConnection connection, CancellationToken ct) =>
        _documentCount.GetAsync(async ct => Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM {KeyTable}", ct)), ct);

    /// <summary>The candidates with their statistics, newest first, from a query that selects rowid and <see cref="Fts5Statistics.Function"/>.</summary>
    private static async Task<List<Bm25Ranker.Candidate>> CandidatesAsync(SqliteConnection connection, string sql, IReadOnlyList<int> phraseOfTerm,
        CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        Fts5Statistics.EnsureRegistered(connection);
        var documents = new List<Bm25Ranker.Candidate>();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            documents.Add(Fts5Statistics.Candidate(reader.GetInt64(0), (byte[])reader.GetValue(1), phraseOfTerm));
        }
        return documents;
    }

    /// <summary>
    /// The FTS5 query for a request. Every token is written inside double quotes, and tokens hold only letters,
    /// digits and Chinese characters, so nothing a reader types can become FTS5 syntax. The positive terms come first,
    /// one phrase each in <see cref="SearchQuery.PositiveTerms"/> order: FTS5 numbers phrases as they are written, and
    /// ranking finds each term's statistics by that number.
    /// </summary>
    internal static string MatchExpression(SearchRequest request)
    {
        var positives = request.Query.Clauses.Where(c => !c.Exclude).Select(Clause).ToList();
        var text = "(" + string.Join(" AND ", positives) + ")";
        foreach (var excluded in request.Query.Clauses.Where(c => c.Exclude))
        {
            text = $"({text} NOT {Clause(excluded)})";
        }

        // Facet tokens mix letters and digits, which no text token does, so the words need no column filter.
        return text + Filters(request);

        static string Clause(SearchClause clause) =>
            "(" + string.Join(" OR ", clause.Alternatives.Select(Phrase)) + ")";
    }

    /// <summary>The request's filters as " AND …" terms on the facets, source and author columns.</summary>
    private static string Filters(SearchRequest request)
    {
        var match = new StringBuilder();
        if (request.Scope == SearchScope.Public)
        {
            match.Append($" AND facets : {SearchDocument.VisibleFacet}");
        }
        else if (request.OnlyVisibleOrOwnedBy is { } owner)
        {
            match.Append($" AND facets : ({SearchDocument.VisibleFacet} OR {SearchDocument.OwnerFacet(owner)})");
        }
        if (request.Scope == SearchScope.Staff && request.Statuses is { Count: > 0 } statuses)
        {
            match.Append($" AND facets : ({string.Join(" OR ", statuses.Select(SearchDocument.StatusFacet))})");
        }
        if (request.Kind is { } kind)
        {
            match.Append($" AND facets : {SearchDocument.KindFacet(kind)}");
        }
        if (request.ChannelId is { } channel)
        {
            match.Append($" AND facets : {SearchDocument.ChannelFacet(channel)}");
        }
        if (Filter(request.Source) is { } source)
        {
            match.Append($" AND source : {source}");
        }
        if (Filter(request.Author) is { } author)
        {
            match.Append($" AND author : {author}");
        }
        return match.ToString();

        static string? Filter(string? value) =>
            string.IsNullOrWhiteSpace(value) || ChineseText.Term(ChineseText.Fold(value)) is not { } term ? null : Phrase(term);
    }

    private static string Phrase(SearchTerm term) =>
        "\"" + string.Join(" ", term.Tokens) + "\"" + (term.LastIsPrefix ? " *" : "");

    /// <summary>
    /// Staff limited to what readers find plus their own pieces: a scheduled article is indexed under its due time and
    /// carries the visible facet, so before its minute it must be their own to be found (the embargo). Readers' scope
    /// has the same bound in <see cref="KeyRange"/>; editorial staff see everything.
    /// </summary>
    private static (string Sql, (string Name, object Value)[] Parameters) Embargo(SearchRequest request) =>
        request.Scope == SearchScope.Staff && request.OnlyVisibleOrOwnedBy is { } owner
            ? ($" AND (rowid <= $due OR rowid IN (SELECT rowid FROM {Table} WHERE {Table} MATCH $owned))",
                [("$due", SearchKey.Highest(request.Now)), ("$owned", $"facets : {SearchDocument.OwnerFacet(owner)}")])
            : ("", []);

    private static (long Low, long High) KeyRange(SearchRequest request)
    {
        var low = request.From is { } from ? SearchKey.Lowest(from) : 0L;
        var high = long.MaxValue;
        if (request.Until is { } until)
        {
            high = SearchKey.Lowest(until) - 1;
        }
        if (request.Scope == SearchScope.Public)
        {
            // Scheduled articles are indexed under their due time: everything above now is not out yet.
            high = Math.Min(high, SearchKey.Highest(request.Now));
        }
        return (low, high);
    }

    private static async Task<Dictionary<int, int?>> ChannelParentsAsync(NewsDbContext db, CancellationToken ct) =>
        await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ParentId, ct);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static async Task<List<long>> RowIdsAsync(SqliteConnection connection, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        var keys = new List<long>();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetInt64(0));
        }
        return keys;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Prepared statements for writing rows, bound to the context's connection and transaction.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly SqliteCommand find, delete, forget, insert, remember;
        private bool disposed;

        private Writer(SqliteConnection connection, SqliteTransaction? transaction, string suffix)
        {
            var (table, keyTable) = (Table + suffix, KeyTable + suffix);
            find = Prepare($"SELECT SearchKey FROM {keyTable} WHERE ArticleId = $id", "$id");
            delete = Prepare($"DELETE FROM {table} WHERE rowid = $key", "$key");
            forget = Prepare($"DELETE FROM {keyTable} WHERE ArticleId = $id", "$id");
            insert = Prepare(
                $"INSERT INTO {table}(rowid, title, lead, body, source, author, tags, facets) VALUES ($key, $title, $lead, $body, $source, $author, $tags, $facets)",
                "$key", "$title", "$lead", "$body", "$source", "$author", "$tags", "$facets");
            remember = Prepare($"INSERT OR REPLACE INTO {keyTable}(ArticleId, SearchKey) VALUES ($id, $key)", "$id", "$key");

            SqliteCommand Prepare(string sql, params string[] names)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Transaction = transaction;
                foreach (var name in names)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }
                command.Prepare();
                return command;
            }
        }

        /// <summary>The caller has opened the context's connection. <paramref name="suffix"/> names the tables.</summary>
        public static Task<Writer> OpenAsync(NewsDbContext db, string suffix, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            return Task.FromResult(new Writer(connection, transaction, suffix));
        }

        public async Task RemoveAsync(int articleId, CancellationToken ct)
        {
            find.Parameters[0].Value = articleId;
            if (await find.ExecuteScalarAsync(ct) is long key)
            {
                delete.Parameters[0].Value = key;
                await delete.ExecuteNonQueryAsync(ct);
                forget.Parameters[0].Value = articleId;
                await forget.ExecuteNonQueryAsync(ct);
            }
        }

        /// <param name="fresh">No old row to look for: the index was emptied, or the article was just removed.</param>
        public async Task AddAsync(SearchDocument document, CancellationToken ct, bool fresh = false)
        {
            var articleId = SearchKey.ArticleId(document.Key);
            if (!fresh)
            {
                await RemoveAsync(articleId, ct);
            }
            var p = insert.Parameters;
            p[0].Value = document.Key;
            p[1].Value = document.Title;
            p[2].Value = document.Lead;
            p[3].Value = document.Body;
            p[4].Value = document.Source;
            p[5].Value = document.Author;
            p[6].Value = document.Tags;
            p[7].Value = document.Facets;
            await insert.ExecuteNonQueryAsync(ct);
            remember.Parameters[0].Value = articleId;
            remember.Parameters[1].Value = document.Key;
            await remember.ExecuteNonQueryAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            foreach (var command in new DbCommand[] { find, delete, forget, insert, remember })
            {
                await command.DisposeAsync();
            }
        }
    }
}
