using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PovertyNews.Web.Generate;

namespace PovertyNews.Web.Operations.Move;

/// <summary>What the copy is told: rows per batch (one target transaction each), and a hook tests use to stop it.</summary>
internal sealed record CopyOptions(int BatchSize)
{
    public const int DefaultBatch = 5000;

    /// <summary>Called after each committed batch with the table and the batch's number in this run (tests: simulate a crash).</summary>
    public Action<string, int>? BatchCommitted { get; init; }
}

/// <summary>A target that holds something other than an unfinished copy of this site; the message says what.</summary>
internal sealed class CopyRefusedException(string message) : Exception(message);

/// <summary>What one run did: rows copied per table in this run, whether everything was already there.</summary>
internal sealed record CopyOutcome(bool AlreadyComplete, IReadOnlyDictionary<string, (long Rows, TimeSpan Elapsed)> Copied, long TruncatedTimes,
    TimeSpan Elapsed)
{
    public long TotalRows => Copied.Values.Sum(c => c.Rows);
}

/// <summary>
/// Copies every table of the model from the site's SQLite database into a PostgreSQL database that the caller has
/// migrated: ids kept, in batches by ascending primary key, each batch committed with its progress marker
/// (<see cref="CopyProgressStore"/>), so a run that is killed continues where it stopped when started again.
/// </summary>
internal sealed class SiteCopier(DbContext source, NpgsqlConnection target, IReadOnlyList<CopyTable> tables, CopyOptions options,
    TextWriter error, bool errorIsTerminal)
{
    /// <summary>
    /// Identifies the source site by rows that never change once written (the first article's id and creation time,
    /// the first user's id, the first audit entry's hash), so a rerun recognises its own partial copy in the target
    /// and refuses another site's.
    /// </summary>
    public static async Task<string> FingerprintAsync(DbConnection source, CancellationToken ct)
    {
        var text = new StringBuilder("povertynews-site-v1\n");
        foreach (var sql in new[]
                 {
                     """SELECT "Id", "CreatedAt" FROM "Articles" ORDER BY "Id" LIMIT 1""",
                     """SELECT "Id" FROM "AspNetUsers" ORDER BY "Id" LIMIT 1""",
                     """SELECT "Hash" FROM "AuditEntries" ORDER BY "Sequence" LIMIT 1""",
                     """SELECT "Id", "Slug" FROM "Channels" ORDER BY "Id" LIMIT 1""",
                 })
        {
            await using var command = source.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001f');
                }
            }
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Checks the target, then copies what it lacks. Throws <see cref="CopyRefusedException"/> for a target holding
    /// another site (or rows this copy did not put there).
    /// </summary>
    public async Task<CopyOutcome> RunAsync(CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var connection = source.Database.GetDbConnection();
        var fingerprint = await FingerprintAsync(connection, ct);
        if (await CopyProgressStore.ExistsAsync(target, ct))
        {
            var copying = await CopyProgressStore.SourceAsync(target, ct);
            if (copying != fingerprint)
            {
                throw new CopyRefusedException(
                    "the target database holds a copy of a different site (or of this one before its first article, user or " +
                    "audit entry changed); copy-to only continues its own copy. Give it an empty database. / 目标数据库中是另一个网站的副本，请使用空数据库。");
            }
            if (await CopyProgressStore.CompleteAsync(target, ct))
            {
                return new CopyOutcome(true, new Dictionary<string, (long, TimeSpan)>(), 0, watch.Elapsed);
            }
        }
        else
        {
            var occupied = new List<string>();
            foreach (var table in tables)
            {
                var rows = await CountAsync(target, table, ct);
                if (rows > 0)
                {
                    occupied.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name} ({rows:N0} rows)"));
                }
            }
            if (occupied.Count > 0)
            {
                throw new CopyRefusedException(
                    $"the target database already holds a site: {string.Join(", ", occupied)}. copy-to only fills an empty " +
                    "database (or continues its own unfinished copy); create a new database or drop this one's tables. / " +
                    "目标数据库不是空的，已有网站数据；请提供一个空数据库。");
            }
            await using var transaction = await target.BeginTransactionAsync(ct);
            await CopyProgressStore.CreateAsync(target, transaction, fingerprint, ct);
            await transaction.CommitAsync(ct);
        }

        var copied = new Dictionary<string, (long, TimeSpan)>(StringComparer.Ordinal);
        long truncated = 0;
        foreach (var table in tables)
        {
            var started = watch.Elapsed;
            var (rows, cut) = await CopyTableAsync(connection, table, ct);
            copied[table.Name] = (rows, watch.Elapsed - started);
            truncated += cut;
        }
        await AdvanceSequencesAsync(ct);
        await CopyProgressStore.MarkCompleteAsync(target, ct);
        return new CopyOutcome(false, copied, truncated, watch.Elapsed);
    }

    private async Task<(long Rows, long Truncated)> CopyTableAsync(DbConnection connection, CopyTable table, CancellationToken ct)
    {
        var progress = await CopyProgressStore.TableAsync(target, table.Name, ct);
        var total = await CountAsync(connection, table, ct);
        var bar = new ProgressBar(error, table.Name.PadRight(18), errorIsTerminal);
        if (progress.Done)
        {
            return (0, 0);
        }
        // Rows in the target must be exactly those the marker counts: anything else was not put there by this copy.
        var present = await CountAsync(target, table, ct);
        if (present != progress.Rows)
        {
            throw new CopyRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"{table.Name} in the target has {present:N0} rows but the copy's marker says {progress.Rows:N0}; something else wrote to the target. Start again with an empty database. / 目标表的行数与复制进度不符，请使用空数据库重新开始。"));
        }
        if (total > 0)
        {
            bar.Report((int)Math.Min(progress.Rows, int.MaxValue), (int)Math.Min(Math.Max(total, progress.Rows), int.MaxValue));
        }
        long copied = 0, truncated = 0;
        if (table.SelfReferences.Count > 0)
        {
            // Parents must go in before their children, whatever their ids: the whole table at once, in tree order
            // (such tables are small: the channel tree).
            var rows = await ReadAsync(connection, table, null, int.MaxValue, ct);
            var ordered = SelfOrder(table, rows.Rows);
            await using var transaction = await target.BeginTransactionAsync(ct);
            truncated += await WriteAsync(table, ordered, ct);
            await CopyProgressStore.SetTableAsync(target, transaction, table.Name, new TableProgress(ordered.Count, null, true), ct);
            await transaction.CommitAsync(ct);
            if (ordered.Count > 0)
            {
                bar.Report(ordered.Count, ordered.Count);
            }
            bar.Complete();
            return (ordered.Count, truncated);
        }

        var lastKey = progress.LastKey;
        var done = progress.Rows;
        var batchNumber = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = await ReadAsync(connection, table, lastKey, options.BatchSize, ct);
            var finished = batch.Rows.Count < options.BatchSize;
            await using (var transaction = await target.BeginTransactionAsync(ct))
            {
                if (batch.Rows.Count > 0)
                {
                    truncated += await WriteAsync(table, batch.Rows, ct);
                    lastKey = batch.LastKey;
                }
                done += batch.Rows.Count;
                await CopyProgressStore.SetTableAsync(target, transaction, table.Name, new TableProgress(done, lastKey, finished), ct);
                await transaction.CommitAsync(ct);
            }
            copied += batch.Rows.Count;
            if (done > 0)
            {
                bar.Report((int)Math.Min(done, int.MaxValue), (int)Math.Min(Math.Max(total, done), int.MaxValue));
            }
            options.BatchCommitted?.Invoke(table.Name, ++batchNumber);
            if (finished)
            {
                break;
            }
        }
        bar.Complete();
        return (copied, truncated);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows after <paramref name="afterKey"/> in primary-key order, as the model's
    /// values, and the last one's key in the source's own terms (to continue from, exactly, in a later run).
    /// </summary>
    private static async Task<(List<object?[]> Rows, string? LastKey)> ReadAsync(DbConnection connection, CopyTable table, string? afterKey,
        int limit, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        var where = "";
        if (afterKey is not null)
        {
            var values = SourceKey.Parse(afterKey);
            var names = new List<string>();
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@k" + i.ToString(CultureInfo.InvariantCulture);
                parameter.Value = values[i];
                command.Parameters.Add(parameter);
                names.Add(parameter.ParameterName);
            }
            // Row values compare column by column, as the primary key's index is ordered.
            where = $" WHERE ({table.KeyList}) > ({string.Join(", ", names)})";
        }
        command.CommandText = $"SELECT {table.ColumnList} FROM {table.Quoted}{where} ORDER BY {table.KeyList}" +
            (limit == int.MaxValue ? "" : " LIMIT " + limit.ToString(CultureInfo.InvariantCulture));
        var rows = new List<object?[]>();
        var lastKey = new object[table.Key.Count];
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = table.Columns[i].ReadSource(reader, i);
            }
            rows.Add(row);
            for (var k = 0; k < lastKey.Length; k++)
            {
                lastKey[k] = reader.GetValue(table.Key[k]);
            }
        }
        return (rows, rows.Count == 0 ? afterKey : SourceKey.Format(lastKey));
    }

    /// <summary>Writes <paramref name="rows"/> with one binary COPY (in the connection's transaction); returns how many times lost digits below a microsecond.</summary>
    private async Task<long> WriteAsync(CopyTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        long truncated = 0;
        await using var importer = await target.BeginBinaryImportAsync(
            $"COPY {table.Quoted} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                var value = table.Columns[i].ToTarget(row[i]);
                switch (value)
                {
                    case null:
                        await importer.WriteNullAsync(ct);
                        continue;
                    case DateTime t when t.Ticks % 10 != 0:
                    case DateTimeOffset o when o.Ticks % 10 != 0:
                        truncated++;
                        break;
                }
                await importer.WriteAsync(value, table.Columns[i].TargetTypeName, ct);
            }
        }
        await importer.CompleteAsync(ct);
        return truncated;
    }

    /// <summary>Rows with every parent before its children (parents found through the table's self-references).</summary>
    private static List<object?[]> SelfOrder(CopyTable table, List<object?[]> rows)
    {
        static string KeyOf(object?[] row, int[] columns) =>
            string.Join("\u001f", columns.Select(c => Convert.ToString(row[c], CultureInfo.InvariantCulture)));
        var byKey = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var (_, principal) in table.SelfReferences)
            {
                byKey.TryAdd(principal.Length + ":" + KeyOf(row, principal), row);
            }
        }
        var ordered = new List<object?[]>(rows.Count);
        var placed = new HashSet<object?[]>(ReferenceEqualityComparer.Instance);
        var visiting = new HashSet<object?[]>(ReferenceEqualityComparer.Instance);
        void Place(object?[] row)
        {
            if (placed.Contains(row) || !visiting.Add(row))
            {
                return; // a cycle would be refused by the target's foreign key; nothing better to do here
            }
            foreach (var (dependent, principal) in table.SelfReferences)
            {
                if (dependent.All(c => row[c] is not null)
                    && byKey.TryGetValue(principal.Length + ":" + KeyOf(row, dependent), out var parent) && parent != row)
                {
                    Place(parent);
                }
            }
            placed.Add(row);
            ordered.Add(row);
        }
        foreach (var row in rows)
        {
            Place(row);
        }
        return ordered;
    }

    /// <summary>Sets every identity sequence past the highest id copied, so the next article gets a new number.</summary>
    private async Task AdvanceSequencesAsync(CancellationToken ct)
    {
        foreach (var table in tables)
        {
            if (table.IntegerKey is not { } key)
            {
                continue;
            }
            await using var command = new NpgsqlCommand(
                $"""
                SELECT setval(s, COALESCE((SELECT max({key.Quoted}) FROM {table.Quoted}), 0) + 1, false)
                FROM pg_get_serial_sequence(@table, @column) AS s WHERE s IS NOT NULL
                """, target);
            command.Parameters.AddWithValue("table", table.Quoted);
            command.Parameters.AddWithValue("column", key.Name);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public static async Task<long> CountAsync(DbConnection connection, CopyTable table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table.Quoted}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A source key as stored text: each column's raw SQLite value with its storage class (integer, real, text, blob),
/// so the next batch binds exactly the value SQLite compared, whatever the column's CLR type.
/// </summary>
internal static class SourceKey
{
    public static string Format(object[] values) => string.Join("\u001e", values.Select(v => v switch
    {
        long l => "i" + l.ToString(CultureInfo.InvariantCulture),
        double d => "r" + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "s" + s,
        byte[] b => "b" + Convert.ToBase64String(b),
        _ => throw new InvalidOperationException($"A primary key value of type {v.GetType().Name} cannot be resumed from."),
    }));

    public static object[] Parse(string key) => key.Split('\u001e').Select(part => part[0] switch
    {
        'i' => (object)long.Parse(part.AsSpan(1), CultureInfo.InvariantCulture),
        'r' => double.Parse(part.AsSpan(1), CultureInfo.InvariantCulture),
        's' => part[1..],
        'b' => Convert.FromBase64String(part[1..]),
        _ => throw new FormatException("Unreadable copy marker key: " + key),
    }).ToArray();
}
