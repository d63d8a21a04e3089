using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// The PostgreSQL side of a backup: <c>pg_dump --format=custom</c> of the live database (one snapshot, which the
/// manifest's counts come from too), <c>pg_restore</c> into an empty database, and what a dump holds. The tools come
/// from the newest <c>/usr/lib/postgresql/*/bin</c> (Debian's layout) or the PATH. The connection's details go to them
/// as <c>PG*</c> environment variables, so a password never appears on a command line.
/// </summary>
internal static class PostgresDump
{
    public const string InstallHint = "install PostgreSQL's client tools (Debian: sudo apt-get install -y postgresql-client)";

    /// <summary>Full path of <paramref name="tool"/> (pg_dump, pg_restore); a <see cref="BackupException"/> saying how to get it when there is none.</summary>
    public static string FindTool(string tool)
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var found = Directory.EnumerateDirectories(root)
                .Select(d => (Path: Path.Combine(d, "bin", tool), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(t => File.Exists(t.Path))
                .OrderByDescending(t => t.Version)
                .Select(t => t.Path)
                .FirstOrDefault();
            if (found is not null)
            {
                return found;
            }
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new BackupException($"{tool} was not found in {root}/*/bin or on the PATH; {InstallHint}");
    }

    /// <summary>libpq's environment variables for the connection string's server, database, user and password.</summary>
    internal static Dictionary<string, string> ClientEnvironment(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>();
        void Set(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                env[name] = value;
            }
        }
        Set("PGHOST", b.Host);
        Set("PGPORT", b.Port.ToString(CultureInfo.InvariantCulture));
        Set("PGDATABASE", b.Database);
        Set("PGUSER", b.Username);
        Set("PGPASSWORD", b.Password);
        Set("PGAPPNAME", "PovertyNews backup");
        Set("PGCONNECT_TIMEOUT", b.Timeout > 0 ? b.Timeout.ToString(CultureInfo.InvariantCulture) : null);
        Set("PGSSLMODE", b.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        return env;
    }

    /// <summary>
    /// Dumps the database of <paramref name="connectionString"/> into <paramref name="target"/> and counts its rows in
    /// the same snapshot: a repeatable-read transaction exports its snapshot, pg_dump reads exactly that, and the
    /// transaction stays open until pg_dump is done. The site's writers go on meanwhile.
    /// </summary>
    public static async Task<(BackupCounts Counts, string? Schema)> DumpAsync(string connectionString, string target, BackupTables tables, CancellationToken ct)
    {
        var pgDump = FindTool("pg_dump");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var snapshot = (string)(await ScalarAsync(connection, "SELECT pg_export_snapshot();", ct))!;
        var counts = new BackupCounts(
            await CountAsync(connection, tables.Articles, ct),
            await CountAsync(connection, tables.Users, ct),
            await CountAsync(connection, tables.Revisions, ct),
            await CountAsync(connection, tables.Media, ct),
            SearchIndexed: 0);
        var schema = await ScalarAsync(connection, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" DESC LIMIT 1;""", ct) as string;
        await RunAsync(pgDump, ["--format=custom", "--no-password", $"--snapshot={snapshot}", $"--file={target}"],
            ClientEnvironment(connectionString), stdout: null, ct);
        await transaction.CommitAsync(ct);
        return (counts, schema);
    }

    /// <summary>Problems with the dump <paramref name="file"/>: pg_restore cannot read its table of contents, or its rows differ from the manifest.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(string file, BackupManifest manifest, BackupTables tables, CancellationToken ct)
    {
        var pgRestore = FindTool("pg_restore");
        try
        {
            await RunAsync(pgRestore, ["--list", file], [], stdout: _ => { }, ct);
        }
        catch (BackupException e)
        {
            return [$"pg_restore cannot read the dump: {e.Message}"];
        }
        var problems = new List<string>();
        // The rows of each counted table, as pg_restore writes them out: one line of COPY data a row.
        var counts = new BackupCounts(
            await DumpedRowsAsync(pgRestore, file, tables.Articles, ct),
            await DumpedRowsAsync(pgRestore, file, tables.Users, ct),
            await DumpedRowsAsync(pgRestore, file, tables.Revisions, ct),
            await DumpedRowsAsync(pgRestore, file, tables.Media, ct),
            SearchIndexed: 0);
        if (counts != manifest.Counts)
        {
            problems.Add($"the dump holds {counts}, the manifest gives {manifest.Counts}");
        }
        var migrations = new List<string>();
        await RunAsync(pgRestore, ["--data-only", "--table=__EFMigrationsHistory", "--file=-", file], [],
            stdout: CopyRows(line => migrations.Add(line.Split('\t')[0])), ct);
        var schema = migrations.Max(StringComparer.Ordinal);
        if (schema != manifest.Schema)
        {
            problems.Add($"the dump's last migration is {schema ?? "(none)"}, the manifest gives {manifest.Schema ?? "(none)"}");
        }
        return problems;
    }

    /// <summary>Whether the database holds any table, view or sequence of its own (a fresh <c>CREATE DATABASE</c> holds none).</summary>
    public static async Task<string?> ContentsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var count = Convert.ToInt64(await ScalarAsync(connection, """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%';
            """, ct), CultureInfo.InvariantCulture);
        return count == 0 ? null : $"{count:N0} tables, views or sequences";
    }

    /// <summary>Restores <paramref name="file"/> into the (empty) database of <paramref name="connectionString"/>, all or nothing.</summary>
    public static async Task RestoreAsync(string connectionString, string file, CancellationToken ct)
    {
        var pgRestore = FindTool("pg_restore");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new BackupException("the connection string names no database");
        // Owners and grants of the source server need not exist here: everything belongs to the connecting role.
        await RunAsync(pgRestore, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--no-password",
            $"--dbname={database}", file], ClientEnvironment(connectionString), stdout: null, ct);
    }

    private static async Task<long> DumpedRowsAsync(string pgRestore, string file, string table, CancellationToken ct)
    {
        long rows = 0;
        await RunAsync(pgRestore, ["--data-only", $"--table={table}", "--file=-", file], [], stdout: CopyRows(_ => rows++), ct);
        return rows;
    }

    /// <summary>Calls <paramref name="row"/> for each data line of the COPY blocks in pg_restore's SQL output.</summary>
    private static Action<string> CopyRows(Action<string> row)
    {
        var inCopy = false;
        return line =>
        {
            if (inCopy)
            {
                if (line == "\\.")
                {
                    inCopy = false;
                }
                else
                {
                    row(line);
                }
            }
            else if (line.StartsWith("COPY ", StringComparison.Ordinal) && line.EndsWith("FROM stdin;", StringComparison.Ordinal))
            {
                inCopy = true;
            }
        };
    }

    /// <summary>Runs a tool to its end; its error output becomes the message of a <see cref="BackupException"/> when it fails.</summary>
    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, Dictionary<string, string> environment,
        Action<string>? stdout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = stdout is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new BackupException($"{tool} did not start");
        var errors = process.StandardError.ReadToEndAsync(ct);
        try
        {
            if (stdout is not null)
            {
                while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
                {
                    stdout(line);
                }
            }
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var message = (await errors).Trim();
        if (process.ExitCode != 0)
        {
            throw new BackupException($"{Path.GetFileName(tool)} failed (exit code {process.ExitCode}): {message}");
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(connection, $"""SELECT COUNT(*) FROM "{table}";""", ct), CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}
