using System.Data.Common;
using System.Globalization;

namespace PovertyNews.Web.Data.Postgres;

/// <summary>How much room the database takes on a PostgreSQL server.</summary>
public static class PostgresSizes
{
    /// <summary>Bytes on the server's disk of the connection's database: tables, indexes, TOAST, free space map.</summary>
    public static async Task<long> DatabaseBytesAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database());";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
