using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace PovertyNews.Web.Operations.Move;

/// <summary>One table's comparison: rows on each side, rows hashed, and the first row that differs (its key), if any.</summary>
internal sealed record TableCheck(string Table, long SourceRows, long TargetRows, int Hashed, string? SourceHash, string? TargetHash, string? FirstDifference)
{
    public bool Matches => SourceRows == TargetRows && SourceHash == TargetHash && FirstDifference is null;
}

/// <summary>
/// Compares the copy with its source: row counts of every table, the SHA-256 of a canonical form of a random sample
/// of rows per table (fetched by primary key on both sides), and of every row of the tables named in full (by
/// default the articles, whose text is what a reader comes for), streamed in key order on both sides.
/// </summary>
/// <remarks>
/// Both sides are read through the model's type mappings into the same CLR values, and times are compared to the
/// microsecond, which is what PostgreSQL's timestamp keeps (SQLite keeps 100 ns ticks as text).
/// </remarks>
internal sealed class CopyVerifier(DbConnection source, NpgsqlConnection target, IReadOnlyList<CopyTable> tables)
{
    public async Task<IReadOnlyList<TableCheck>> VerifyAsync(int samplePerTable, IReadOnlySet<string> fullTables, CancellationToken ct)
    {
        var checks = new List<TableCheck>();
        foreach (var table in tables)
        {
            var sourceRows = await SiteCopier.CountAsync(source, table, ct);
            var targetRows = await SiteCopier.CountAsync(target, table, ct);
            checks.Add(fullTables.Contains(table.Name)
                ? await CompareAllAsync(table, sourceRows, targetRows, ct)
                : await CompareSampleAsync(table, sourceRows, targetRows, samplePerTable, ct));
        }
        return checks;
    }

    private async Task<TableCheck> CompareSampleAsync(CopyTable table, long sourceRows, long targetRows, int sample, CancellationToken ct)
    {
        // Keys first (a sort of the keys alone), then each row by its key on both sides.
        var where = string.Join(" AND ", table.Key.Select((k, i) => $"{table.Columns[k].Quoted} = @k{i.ToString(CultureInfo.InvariantCulture)}"));
        var keys = new List<object[]>();
        await using (var command = source.CreateCommand())
        {
            command.CommandText = $"SELECT {table.KeyList} FROM {table.Quoted} ORDER BY random() LIMIT {sample.ToString(CultureInfo.InvariantCulture)}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = new object[table.Key.Count];
                reader.GetValues(key);
                keys.Add(key);
            }
        }
        var rows = new List<object?[]>();
        foreach (var key in keys)
        {
            await using var command = source.CreateCommand();
            command.CommandText = $"SELECT {table.ColumnList} FROM {table.Quoted} WHERE {where}";
            for (var i = 0; i < key.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@k" + i.ToString(CultureInfo.InvariantCulture);
                parameter.Value = key[i];
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                rows.Add(ReadSource(table, reader));
            }
        }
        using var sourceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var targetHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? firstDifference = null;
        foreach (var row in rows)
        {
            var sourceText = Canonical(row);
            sourceHash.AppendData(Encoding.UTF8.GetBytes(sourceText));
            await using var lookup = new NpgsqlCommand($"SELECT {table.ColumnList} FROM {table.Quoted} WHERE {where}", target);
            for (var i = 0; i < table.Key.Count; i++)
            {
                lookup.Parameters.AddWithValue("k" + i.ToString(CultureInfo.InvariantCulture), table.Columns[table.Key[i]].ToTarget(row[table.Key[i]])!);
            }
            await using var reader = await lookup.ExecuteReaderAsync(ct);
            var targetText = await reader.ReadAsync(ct) ? Canonical(ReadTarget(table, reader)) : "(missing)";
            targetHash.AppendData(Encoding.UTF8.GetBytes(targetText));
            if (targetText != sourceText)
            {
                firstDifference ??= KeyText(table, row);
            }
        }
        return new TableCheck(table.Name, sourceRows, targetRows, rows.Count, Hex(sourceHash), Hex(targetHash), firstDifference);
    }

    private async Task<TableCheck> CompareAllAsync(CopyTable table, long sourceRows, long targetRows, CancellationToken ct)
    {
        // Both databases order text keys by code point (SQLite's BINARY, the target's C collation), so the two
        // streams come in the same order and can be compared row by row.
        var sql = $"SELECT {table.ColumnList} FROM {table.Quoted} ORDER BY {table.KeyList}";
        await using var sourceCommand = source.CreateCommand();
        sourceCommand.CommandText = sql;
        await using var targetCommand = new NpgsqlCommand(sql, target);
        await using var sourceReader = await sourceCommand.ExecuteReaderAsync(ct);
        await using var targetReader = await targetCommand.ExecuteReaderAsync(ct);
        using var sourceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var targetHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? firstDifference = null;
        var hashed = 0;
        while (true)
        {
            var hasSource = await sourceReader.ReadAsync(ct);
            var hasTarget = await targetReader.ReadAsync(ct);
            if (!hasSource && !hasTarget)
            {
                break;
            }
            var sourceRow = hasSource ? ReadSource(table, sourceReader) : null;
            var sourceText = sourceRow is null ? "(missing)" : Canonical(sourceRow);
            var targetText = hasTarget ? Canonical(ReadTarget(table, targetReader)) : "(missing)";
            sourceHash.AppendData(Encoding.UTF8.GetBytes(sourceText));
            targetHash.AppendData(Encoding.UTF8.GetBytes(targetText));
            if (sourceText != targetText)
            {
                firstDifference ??= sourceRow is null ? "(extra rows in the target)" : KeyText(table, sourceRow);
            }
            hashed++;
        }
        return new TableCheck(table.Name, sourceRows, targetRows, hashed, Hex(sourceHash), Hex(targetHash), firstDifference);
    }

    private static object?[] ReadSource(CopyTable table, DbDataReader reader)
    {
        var row = new object?[table.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = table.Columns[i].ReadSource(reader, i);
        }
        return row;
    }

    private static object?[] ReadTarget(CopyTable table, DbDataReader reader)
    {
        var row = new object?[table.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = table.Columns[i].ReadTarget(reader, i);
        }
        return row;
    }

    private static string Canonical(object?[] row)
    {
        var builder = new StringBuilder();
        foreach (var value in row)
        {
            CopyPlan.AppendCanonical(builder, value);
        }
        return builder.Append('\n').ToString();
    }

    private static string KeyText(CopyTable table, object?[] row) =>
        string.Join(", ", table.Key.Select(k => $"{table.Columns[k].Name}={Convert.ToString(row[k], CultureInfo.InvariantCulture)}"));

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetCurrentHash());
}
