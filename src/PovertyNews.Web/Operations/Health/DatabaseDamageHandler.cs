using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Operations.Health;

/// <summary>
/// Looks at every exception that reaches the error page: one caused by SQLite finding the database damaged is reported
/// to <see cref="DatabaseIntegrity"/>, so readiness fails with the first reader page that fails, not hours later.
/// It handles nothing itself: the error page answers as before.
/// </summary>
public sealed class DatabaseDamageHandler(DatabaseIntegrity integrity) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (IsDamage(exception))
        {
            integrity.ReportDamageSeen();
        }
        return ValueTask.FromResult(false);
    }

    internal static bool IsDamage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && SqliteErrors.IsDamaged(sqlite))
            {
                return true;
            }
            // PostgreSQL's data_corrupted and index_corrupted.
            if (e is Npgsql.PostgresException { SqlState: "XX001" or "XX002" })
            {
                return true;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDamage))
            {
                return true;
            }
        }
        return false;
    }
}
