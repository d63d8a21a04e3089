using Npgsql;

namespace PovertyNews.Testing;

/// <summary>
/// A private PostgreSQL cluster for one test (or benchmark) process: Debian's server binaries, <c>initdb</c> into a
/// temporary folder, <c>pg_ctl start</c> on a free port on 127.0.0.1, stopped and deleted when the process exits. As
/// root, the server runs as the unprivileged <c>postgres</c> user (PostgreSQL refuses to run as root). A cluster left
/// behind by a killed run is stopped and removed by the next one. Each app gets a database of its own
/// (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresCluster
{
    public const string InstallHint =
        "PostgreSQL's server is not installed. Install it with `sudo apt-get install -y postgresql` (Debian), or run " +
        "./test, which installs it; the PostgreSQL runs of the tests start a private cluster of their own.";

    private const string FolderPrefix = "povertynews-pg-";

    private static readonly Lazy<PostgresCluster> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;

    private PostgresCluster(string bin, string folder, string? runAs, int port)
    {
        _bin = bin;
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>
    /// The cluster's <c>shared_buffers</c>, read when it starts. The tests keep the small default; a benchmark may give
    /// it what a production server would have, before its first use of <see cref="Instance"/>.
    /// </summary>
    public static string SharedBuffers { get; set; } = "64MB";

    /// <summary>The process's cluster, started on first use.</summary>
    public static PostgresCluster Instance => Shared.Value;

    public int Port { get; }

    /// <summary>The superuser's connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // The tests open and drop many databases; idle pooled connections to dropped ones are closed, not kept.
        ConnectionIdleLifetime = 10,
        Timeout = 30,
        CommandTimeout = 120,
    }.ConnectionString;

    /// <summary>A new, empty database (UTF-8, C collation) and the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""CREATE DATABASE "{name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';""";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops <paramref name="name"/>, closing its connections first; best effort (the cluster goes away at exit anyway).</summary>
    public void DropDatabase(string name)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(ConnectionString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE);""";
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>The newest installed server's bin folder, or null.</summary>
    public static string? FindBin()
    {
        if (Environment.GetEnvironmentVariable("POVERTYNEWS_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault()
            : null;
    }

    private static PostgresCluster Start()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(InstallHint);
        SweepAbandoned(bin);
        string? runAs = ServerProcess.RunAs("postgres");
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString());
        var data = Path.Combine(folder, "data");
        if (runAs is not null)
        {
            ServerProcess.Run("chown", ["-R", runAs, folder], null);
        }
        ServerProcess.Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], runAs);
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            // Durability is not what the tests look at: fsync off makes a test database's many small commits cheap.
            var settings = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                $"-c full_page_writes=off -c max_connections=300 -c shared_buffers={SharedBuffers}";
            try
            {
                ServerProcess.Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", settings, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start"], runAs);
                var cluster = new PostgresCluster(bin, folder, runAs, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Someone took the port between the probe and the start.
            }
        }
    }

    private void Stop()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            ServerProcess.Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _runAs);
        }
        catch (Exception)
        {
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Clusters of test processes that are gone (killed before their exit handler ran).</summary>
    private static void SweepAbandoned(string bin)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pidFile = Path.Combine(folder, "owner.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out var pid) && ServerProcess.ProcessIsAlive(pid))
            {
                continue;
            }
            try
            {
                if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                {
                    var owner = ServerProcess.RunAs("postgres");
                    ServerProcess.Run(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], owner);
                }
            }
            catch (InvalidOperationException)
            {
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception)
            {
            }
        }
    }
}
