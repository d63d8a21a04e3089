using Npgsql;

namespace PovertyNews.Web.Operations.Move;

/// <summary>Where a table's copy stands: rows copied, the source key of the last one, whether it is finished.</summary>
internal sealed record TableProgress(long Rows, string? LastKey, bool Done);

/// <summary>
/// The copy's own bookkeeping in the target, table <c>__PovertyNewsCopy</c>: which site is being copied (a
/// fingerprint of the source), and per table how far it got. Each batch's rows and its marker commit in one
/// transaction, so after a kill the marker says exactly which rows are in.
/// </summary>
internal static class CopyProgressStore
{
    public const string Table = "__PovertyNewsCopy";
    private const string SourceRow = "@source";
    private const string CompleteRow = "@complete";

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", "public.\"" + Table + "\"");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Creates the table and records <paramref name="fingerprint"/> as the site being copied.</summary>
    public static async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string fingerprint, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(
            $"""
            CREATE TABLE "{Table}" (
                "Name" text COLLATE "C" PRIMARY KEY,
                "Value" text,
                "Rows" bigint NOT NULL DEFAULT 0,
                "Done" boolean NOT NULL DEFAULT false,
                "UpdatedAt" timestamp with time zone NOT NULL DEFAULT now())
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await SetAsync(connection, transaction, SourceRow, fingerprint, 0, false, ct);
    }

    public static async Task<string?> SourceAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await GetAsync(connection, SourceRow, ct))?.LastKey;

    public static async Task<bool> CompleteAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await GetAsync(connection, CompleteRow, ct))?.Done == true;

    public static Task MarkCompleteAsync(NpgsqlConnection connection, CancellationToken ct) =>
        SetAsync(connection, null, CompleteRow, null, 0, true, ct);

    public static async Task<TableProgress> TableAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        await GetAsync(connection, table, ct) ?? new TableProgress(0, null, false);

    public static Task SetTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, TableProgress progress,
        CancellationToken ct) => SetAsync(connection, transaction, table, progress.LastKey, progress.Rows, progress.Done, ct);

    private static async Task<TableProgress?> GetAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""SELECT "Value", "Rows", "Done" FROM "{Table}" WHERE "Name" = @name""", connection);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new TableProgress(reader.GetInt64(1), reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(2))
            : null;
    }

    private static async Task SetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, string? value, long rows,
        bool done, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO "{Table}" ("Name", "Value", "Rows", "Done", "UpdatedAt") VALUES (@name, @value, @rows, @done, now())
            ON CONFLICT ("Name") DO UPDATE SET "Value" = excluded."Value", "Rows" = excluded."Rows", "Done" = excluded."Done",
                "UpdatedAt" = excluded."UpdatedAt"
            """, connection, transaction);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("value", NpgsqlTypes.NpgsqlDbType.Text, (object?)value ?? DBNull.Value);
        command.Parameters.AddWithValue("rows", rows);
        command.Parameters.AddWithValue("done", done);
        await command.ExecuteNonQueryAsync(ct);
    }
}
