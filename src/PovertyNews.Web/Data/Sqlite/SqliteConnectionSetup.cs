using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// Gives each physical SQLite connection a smaller page cache, once. Every pooled connection keeps its own cache
/// (2 MB by default); under 64 concurrent readers the pool holds dozens of them, which made the largest part of the
/// server's peak memory, while the operating system caches the same file pages anyway.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    /// <summary>Kibibytes of page cache per connection.</summary>
    public const int CacheKibibytes = 512;

    // Keyed by the native handle, which stays the same while the pool hands the connection out again and again.
    private readonly ConditionalWeakTable<object, object> _prepared = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Needs(connection) is { } sqlite)
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (Needs(connection) is { } sqlite)
        {
            await using var command = sqlite.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static readonly string Pragma = $"PRAGMA cache_size=-{CacheKibibytes};";

    private SqliteConnection? Needs(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } sqlite && _prepared.TryAdd(handle, handle) ? sqlite : null;
}
