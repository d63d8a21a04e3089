using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>
/// How the database would run a statement the app sent: SQLite's <c>EXPLAIN QUERY PLAN</c> details, or PostgreSQL's
/// <c>EXPLAIN</c> lines with sequential scans off, since the tests' tables are small enough for the planner to scan
/// them whatever the conditions allow; with them off, the index conditions show what the statement lets an index do.
/// </summary>
public static class QueryPlans
{
    public static Task<List<string>> ExplainAsync(this NewsFactory factory, RecordedCommand recorded) =>
        factory.WithDbAsync(async db =>
        {
            var postgres = factory.Provider == DatabaseProvider.PostgreSql;
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            if (postgres)
            {
                await using var off = connection.CreateCommand();
                off.Transaction = transaction;
                off.CommandText = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off;";
                await off.ExecuteNonQueryAsync();
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + recorded.Sql;
            foreach (var (name, value) in recorded.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            var lines = new List<string>();
            await using (var rows = await command.ExecuteReaderAsync())
            {
                while (await rows.ReadAsync())
                {
                    lines.Add(rows.GetString(postgres ? 0 : 3));
                }
            }
            await transaction.RollbackAsync();
            return lines;
        });
}
