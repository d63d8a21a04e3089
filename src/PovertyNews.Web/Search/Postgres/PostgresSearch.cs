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
internal sealed class PostgresSearch(SearchOptions settings, PostgresSearchIndex index)
{
    private const string Table = PostgresSearchIndex.Table;

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
        var query = TsText.Query(request);
        var (embargo, embargoParameters) = Embargo(request);
        var where = $"""
            "Document" @@ @query::tsquery AND "SearchKey" BETWEEN @low AND @high{embargo}
            """;
        (string, object)[] parameters = [("query", query), ("low", low), ("high", high), .. embargoParameters];

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            // The planner prices a tsvector match alike whether the value is inline or a compressed TOAST value of
            // several kilobytes, and would scan the table (or the key index) evaluating the match row by row, which
            // reads every candidate's tsvector. The GIN index answers word queries without reading them: counting
            // always goes through it; the ordered queries may still walk the key index when the word is common.
            await using var transaction = db.Database.CurrentTransaction is null ? await connection.BeginTransactionAsync(ct) : null;
            await ScalarAsync(connection, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;", ct);
            var total = Convert.ToInt32(await ScalarAsync(connection,
                $"""SELECT count(*) FROM (SELECT 1 FROM "{Table}" WHERE {where} LIMIT @limit) AS m""",
                ct, [.. parameters, ("limit", settings.CountLimit)]));
            await ScalarAsync(connection, "SET LOCAL enable_indexscan = on;", ct);
            if (total == 0)
            {
                return SearchHits.None;
            }
            if (request.Sort == SearchSort.Newest)
            {
                var page = await KeysAsync(connection,
                    $"""SELECT "SearchKey" FROM "{Table}" WHERE {where} ORDER BY "SearchKey" DESC LIMIT @take OFFSET @skip""",
                    ct, [.. parameters, ("take", request.Take), ("skip", request.Skip)]);
                return new SearchHits(page.Select(SearchKey.ArticleId).ToList(), total, total >= settings.CountLimit, false);
            }

            var candidates = await KeysAsync(connection,
                $"""SELECT "SearchKey" FROM "{Table}" WHERE {where} ORDER BY "SearchKey" DESC LIMIT @window""",
                ct, [.. parameters, ("window", settings.RankingWindow)]);
            var terms = new List<Bm25Ranker.WeightedTerm>();
            foreach (var term in request.Query.PositiveTerms.Distinct())
            {
                terms.Add(new(term, await DocumentFrequencyAsync(connection, term, settings.DocumentFrequencyLimit, ct)));
            }
            var documents = await CandidatesAsync(connection, candidates, ct);
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
    /// Documents holding the term, counted up to <paramref name="limit"/>; a phrase counts as its rarest token (every
    /// other one, which covers every character), exactly as the SQLite index counts it, so both rank alike.
    /// </summary>
    private static async Task<long> DocumentFrequencyAsync(NpgsqlConnection connection, SearchTerm term, int limit, CancellationToken ct)
    {
        var least = long.MaxValue;
        foreach (var single in term.FrequencyTokens())
        {
            var count = Convert.ToInt64(await ScalarAsync(connection,
                $"""SELECT count(*) FROM (SELECT 1 FROM "{Table}" WHERE "Document" @@ @token::tsquery LIMIT @limit) AS m""",
                ct, ("token", TsText.Phrase(single, "")), ("limit", limit)));
            least = Math.Min(least, count);
        }
        return least == long.MaxValue ? 0 : least;
    }

    /// <summary>The candidates' searchable text, keyed as the index keys them.</summary>
    private static async Task<List<Bm25Ranker.Candidate>> CandidatesAsync(NpgsqlConnection connection, List<long> keys, CancellationToken ct)
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
                Text(4), Text(5), Text(6), Text(7)?.Split('\n') ?? []));
        }
        return documents;
    }

    /// <summary>See the SQLite index's embargo: staff limited to readers' view plus their own see their own early.</summary>
    private static (string Sql, (string Name, object Value)[] Parameters) Embargo(SearchRequest request) =>
        request.Scope == SearchScope.Staff && request.OnlyVisibleOrOwnedBy is { } owner
            ? (""" AND ("SearchKey" <= @due OR "Document" @@ @owned::tsquery)""",
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
