using Microsoft.EntityFrameworkCore;
using Npgsql;
using PovertyNews.Web.Data;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Search.Postgres;

/// <summary>
/// One search on <see cref="PostgresSearchIndex"/>'s table, step for step as on SQLite: count the matches up to the
/// limit; for the date sort read the page in key order; for relevance take the newest matches within the ranking
/// window and score them with <see cref="Bm25Ranker"/> from their own text and capped document frequencies.
/// </summary>
/// <remarks>
/// PostgreSQL has no "GIN matches in key order": a whole-range query of a common word decodes every match from the
/// GIN index (93 % of the corpus for 扶贫) and fetches and sorts them, or walks the key index reading each row's
/// TOASTed tsvector. Every document also holds its month's lexeme (<see cref="TsText.MonthPrefix"/>), so the matches
/// are read newest month first, in slices of months (each a tsquery ANDed with the slice's month lexemes and a key
/// range; past 48 months the rest of the range without them), until enough are found: the GIN index answers a
/// slice from the months' short posting lists, skipping through the word's long one. One list of keys, newest
/// first, then gives the capped count, the date-sorted page and the ranking window, all exactly what one query over
/// the whole range would give.
/// </remarks>
internal sealed class PostgresSearch(SearchOptions settings, PostgresSearchIndex index)
{
    private const string Table = PostgresSearchIndex.Table;

    /// <summary>
    /// A slice wider than this is the rest of the range without month lexemes (a word that needs that many months is
    /// rare enough for its whole posting list).
    /// </summary>
    private const int MaxSliceMonths = 48;

    public async Task<SearchHits> SearchAsync(NewsDbContext db, SearchRequest request, CancellationToken ct)
    {
        if (request.Query.IsEmpty)
        {
            return SearchHits.None;
        }
        var (low, high) = KeyRange(request);
        if (low > high)
        {
            return SearchHits.None;
        }
        var embargo = Embargo(request);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            // The planner prices a tsvector match alike whether the value is inline or a compressed TOAST value of
            // several kilobytes, and would scan the table (or the key index) evaluating the match row by row, which
            // reads every candidate's tsvector. The GIN index answers word queries without reading them.
            await using var transaction = db.Database.CurrentTransaction is null ? await connection.BeginTransactionAsync(ct) : null;
            // The keys that exist bound the months to probe (the public range starts at 0, the staff one never ends);
            // read through the key index before index scans are turned off.
            var bounds = await BoundsAsync(connection, low, high, ct);
            var everything = await BoundsAsync(connection, 0, long.MaxValue, ct);
            await ScalarAsync(connection, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;", ct);
            var (months, positions) = await index.MarksAsync(connection, ct);
            // With the positions column, the GIN index answers the document column without reading a tsvector (no
            // phrase operator in its query) and a phrase is checked in the narrow column alone.
            var (query, exact) = positions ? TsText.Split(request) : (TsText.Query(request), null);
            var filter = exact is null
                ? embargo
                : (embargo.Sql + """ AND "Positions" @@ @exact::tsquery""", [.. embargo.Parameters, ("exact", (object)exact)]);
            var wanted = request.Sort == SearchSort.Newest ? request.Skip + request.Take : settings.RankingWindow;
            var (found, keys) = await NewestAsync(connection, query, bounds, filter, Math.Max(settings.CountLimit, wanted), months, wanted, ct);
            var total = Math.Min(found, settings.CountLimit);
            if (total == 0)
            {
                return SearchHits.None;
            }
            if (request.Sort == SearchSort.Newest)
            {
                var page = keys.Skip(request.Skip).Take(request.Take);
                return new SearchHits(page.Select(SearchKey.ArticleId).ToList(), total, total >= settings.CountLimit, false);
            }

            var candidates = keys.Take(settings.RankingWindow).ToList();
            var terms = new List<Bm25Ranker.WeightedTerm>();
            foreach (var term in request.Query.PositiveTerms.Distinct())
            {
                terms.Add(new(term, await DocumentFrequencyAsync(connection, index.Frequencies, term, settings.DocumentFrequencyLimit, everything, months, ct)));
            }
            var documents = await CandidatesAsync(connection, candidates, terms.Select(t => t.Term).ToList(), ct);
            var ranked = Bm25Ranker.Rank(documents, terms, await index.DocumentCountAsync(connection, ct));
            var ids = ranked.Skip(request.Skip).Take(request.Take).Select(SearchKey.ArticleId).ToList();
            return new SearchHits(ids, total, total >= settings.CountLimit, total > candidates.Count, candidates.Count);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The number of matches of <paramref name="query"/> within the bounds up to <paramref name="need"/>, and the keys of
    /// at least the newest <paramref name="keysWanted"/> of them (if there are as many), newest first; read slice by
    /// slice (see the class remarks) when the table holds month lexemes.
    /// </summary>
    /// <remarks>
    /// A slice is sorted whole, so each one after the first is sized from the matches a month held so far, a quarter
    /// more than the keys (then the count) still need, instead of growing blindly. Once the keys are there, the slices are only
    /// counted, and a count stops at the number still needed: a phrase, checked in each candidate's tsvector, is
    /// then checked no further than the limit.
    /// </remarks>
    private static async Task<(int Count, List<long> Keys)> NewestAsync(NpgsqlConnection connection, string query, (long Low, long High)? bounds,
        (string Sql, (string Name, object Value)[] Parameters) embargo, int need, bool months, int keysWanted, CancellationToken ct)
    {
        var keys = new List<long>();
        var found = 0;
        if (bounds is not var (low, high))
        {
            return (found, keys);
        }
        var first = TsText.MonthOf(low);
        var last = TsText.MonthOf(high);
        var width = 1;
        var monthsRead = 0;
        while (found < need && last >= first)
        {
            var from = width > MaxSliceMonths || !months ? first : Math.Max(first, last - width + 1);
            var sliceLow = Math.Max(low, TsText.FirstKeyOf(from));
            var sliceHigh = Math.Min(high, TsText.FirstKeyOf(last + 1) - 1);
            var sliced = from == first && last - from + 1 > MaxSliceMonths || !months
                ? query
                : $"({query}) & ({string.Join(" | ", Enumerable.Range(from, last - from + 1).Select(m => TsText.Facet(TsText.MonthLexeme(m))))})";
            // "+ 0": the key bounds are checked on the rows the GIN index gives, never through the key index, which
            // the planner would otherwise prefer for a narrow slice, checking the tsquery in every row's tsvector.
            var where = $"""
                "Document" @@ @query::tsquery AND "SearchKey" + 0 BETWEEN @low AND @high{embargo.Sql}
                """;
            (string, object)[] parameters =
                [("query", sliced), ("low", sliceLow), ("high", sliceHigh), ("take", need - found), .. embargo.Parameters];
            if (keys.Count < keysWanted)
            {
                keys.AddRange(await KeysAsync(connection,
                    $"""SELECT "SearchKey" FROM "{Table}" WHERE {where} ORDER BY "SearchKey" DESC LIMIT @take""", ct, parameters));
                found = keys.Count;
            }
            else
            {
                found += Convert.ToInt32(await ScalarAsync(connection,
                    $"""SELECT count(*) FROM (SELECT 1 FROM "{Table}" WHERE {where} LIMIT @take) AS m""", ct, parameters));
            }
            monthsRead += last - from + 1;
            last = from - 1;
            // While keys are still wanted the next slice is sorted whole: sized for them, not for the count.
            var missing = keys.Count < keysWanted ? keysWanted - keys.Count : need - found;
            width = found == 0
                ? monthsRead * 4
                : (int)Math.Clamp(Math.Ceiling(1.25 * missing * monthsRead / found), 1, monthsRead * 8L);
        }
        return (found, keys);
    }

    /// <summary>
    /// Documents holding the term, counted up to <paramref name="limit"/>; a phrase counts as its rarest token (every
    /// other one, which covers every character), exactly as the SQLite index counts it, so both rank alike.
    /// </summary>
    private static async Task<long> DocumentFrequencyAsync(NpgsqlConnection connection, DocumentFrequencies frequencies, SearchTerm term,
        int limit, (long Low, long High)? everything, bool months, CancellationToken ct)
    {
        var least = long.MaxValue;
        foreach (var single in term.FrequencyTokens())
        {
            var count = await frequencies.GetAsync(single, limit, async ct => (await NewestAsync(connection, TsText.Phrase(single, ""),
                everything, ("", []), limit, months, keysWanted: 0, ct)).Count, ct);
            least = Math.Min(least, count);
        }
        return least == long.MaxValue ? 0 : least;
    }

    /// <summary>The lowest and highest key in the table between the two, through the key index; null if none.</summary>
    private static async Task<(long Low, long High)?> BoundsAsync(NpgsqlConnection connection, long low, long high, CancellationToken ct)
    {
        await using var command = Command(connection,
            $"""
            SELECT (SELECT min("SearchKey") FROM "{Table}" WHERE "SearchKey" >= @low),
                   (SELECT max("SearchKey") FROM "{Table}" WHERE "SearchKey" <= @high)
            """, [("low", low), ("high", high)]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0) || reader.IsDBNull(1) || reader.GetInt64(0) > reader.GetInt64(1)
            ? null
            : (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// The candidates' statistics, counted in their text (a tsvector keeps no columns), keyed as the index keys them.
    /// The counts are those SQLite's index answers for the same text (<see cref="Bm25Ranker.Candidate.From(long, string[], IReadOnlyList{SearchTerm})"/>).
    /// </summary>
    private static async Task<List<Bm25Ranker.Candidate>> CandidatesAsync(NpgsqlConnection connection, List<long> keys,
        IReadOnlyList<SearchTerm> terms, CancellationToken ct)
    {
        var keyOf = keys.ToDictionary(SearchKey.ArticleId);
        var documents = new List<Bm25Ranker.Candidate>(keys.Count);
        await using var command = new NpgsqlCommand(
            """
            SELECT a."Id", a."Title", a."Subtitle", a."Summary", a."BodyHtml", a."Source", a."Author",
                   (SELECT string_agg(t."Name", chr(10)) FROM "ArticleTags" AS at JOIN "Tags" AS t ON t."Id" = at."TagsId"
                    WHERE at."ArticlesId" = a."Id")
            FROM "Articles" AS a WHERE a."Id" = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", keyOf.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            documents.Add(Bm25Ranker.Candidate.From(keyOf[reader.GetInt32(0)], reader.GetString(1), Text(2), Text(3),
                Text(4), Text(5), Text(6), Text(7)?.Split('\n') ?? [], terms));
        }
        return documents;
    }

    /// <summary>See the SQLite index's embargo: staff limited to readers' view plus their own see their own early.</summary>
    private static (string Sql, (string Name, object Value)[] Parameters) Embargo(SearchRequest request) =>
        request.Scope == SearchScope.Staff && request.OnlyVisibleOrOwnedBy is { } owner
            ? (""" AND ("SearchKey" + 0 <= @due OR "Document" @@ @owned::tsquery)""",
                [("due", SearchKey.Highest(request.Now)), ("owned", TsText.Facet(SearchDocument.OwnerFacet(owner)))])
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
            high = Math.Min(high, SearchKey.Highest(request.Now));
        }
        return (low, high);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(ct);
    }

    private static async Task<List<long>> KeysAsync(NpgsqlConnection connection, string sql, CancellationToken ct,
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
}
