using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Data.Sqlite;

/// <summary>
/// A read statement of a hot page, in SQLite's dialect, kept prepared by <see cref="SqliteStatements"/>. Parameter
/// names are bound in the order given.
/// </summary>
public sealed class PreparedRead(string sql, params string[] parameters)
{
    public string Sql { get; } = sql;

    public IReadOnlyList<string> Parameters { get; } = parameters;
}

/// <summary>
/// The hottest reader statements, kept prepared on a few connections of their own that stay open. Null on
/// PostgreSQL (<see cref="None"/>), where the pages read through EF Core as everywhere else.
/// </summary>
/// <remarks>
/// EF Core makes a command for every execution and Microsoft.Data.Sqlite prepares a statement for every command, so
/// SQLite parsed and planned the article page's statements on every request: its parser and planner were most of
/// SQLite's share (a quarter) of an uncached article page's processor time, while running the statements was under
/// 1 %. A prepared <see cref="SqliteCommand"/> is only reset and rebound on its next execution, as long as its
/// connection stays open; hence connections of its own, opened with <c>query_only</c> (they never write, so the
/// write lock and every transaction stay with the DbContext). A statement is run synchronously from rent to return,
/// so as many connections are busy as threads are inside one; up to <see cref="MaxIdle"/> stay open between
/// requests, and one rented beyond that is closed on return. An idle connection holds no read transaction (each
/// reader is disposed before the lease goes back), so checkpoints of the write-ahead log go on as before; a
/// statement whose table changed shape is prepared again by SQLite itself.
/// </remarks>
public sealed class SqliteStatements : IDisposable
{
    /// <summary>For a database that is not SQLite: <see cref="Rent"/> answers null.</summary>
    public static readonly SqliteStatements None = new(null);

    // Every instance with connections, for ClearIdle (the way SqliteConnection.ClearPool reaches every pool).
    private static readonly ConcurrentDictionary<SqliteStatements, string> Live = new();

    private readonly string? _connectionString;
    private readonly ConcurrentBag<Lease> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteStatements(string? connectionString)
    {
        if (connectionString is null)
        {
            return;
        }
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        // A database in memory is a new, empty one on every connection but shared ones; leave those to EF Core.
        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not (":memory:" or "")
            && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // Its own connections, not the pool's: a pooled connection's prepared statements end when it is closed.
            _connectionString = builder.ToString();
            Live[this] = Path.GetFullPath(builder.DataSource);
        }
    }

    /// <summary>Whether <see cref="Rent"/> gives connections (the database is SQLite).</summary>
    public bool Available => _connectionString is not null;

    public static int MaxIdle { get; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>A connection with its prepared statements, or null when the database is not SQLite.</summary>
    public Lease? Rent()
    {
        if (_connectionString is null)
        {
            return null;
        }
        if (_idle.TryTake(out var lease))
        {
            Interlocked.Decrement(ref _idleCount);
            return lease;
        }
        return new Lease(this, Open(_connectionString));
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size=-{SqliteConnectionSetup.CacheKibibytes}; PRAGMA query_only=1;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(Lease lease)
    {
        if (!_disposed && !lease.Broken && Interlocked.Increment(ref _idleCount) <= MaxIdle)
        {
            _idle.Add(lease);
            if (_disposed && _idle.TryTake(out var late))
            {
                late.Close();
            }
            return;
        }
        if (!_disposed && !lease.Broken)
        {
            Interlocked.Decrement(ref _idleCount);
        }
        lease.Close();
    }

    /// <summary>
    /// Closes the idle connections every instance keeps to <paramref name="dataSource"/> (they open again when next
    /// rented), for work that needs nobody else holding the file open, such as leaving write-ahead logging.
    /// </summary>
    public static void ClearIdle(string dataSource)
    {
        var path = Path.GetFullPath(dataSource);
        foreach (var (statements, source) in Live)
        {
            if (source == path)
            {
                statements.CloseIdle();
            }
        }
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var lease))
        {
            Interlocked.Decrement(ref _idleCount);
            lease.Close();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Live.TryRemove(this, out _);
        while (_idle.TryTake(out var lease))
        {
            lease.Close();
        }
    }

    /// <summary>One connection, rented until disposed; not for use by two threads at once.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SqliteStatements _owner;
        private readonly SqliteConnection _connection;
        private readonly Dictionary<PreparedRead, SqliteCommand> _commands = [];

        internal Lease(SqliteStatements owner, SqliteConnection connection)
        {
            _owner = owner;
            _connection = connection;
        }

        /// <summary>Set when a statement failed: the connection is closed on return rather than kept.</summary>
        internal bool Broken { get; private set; }

        /// <summary>
        /// Runs <paramref name="read"/> with <paramref name="values"/> (in the order of its parameters; null for
        /// NULL) and hands the open reader to <paramref name="map"/>.
        /// </summary>
        public T Read<T>(PreparedRead read, ReadOnlySpan<object?> values, Func<SqliteDataReader, T> map)
        {
            try
            {
                var command = Command(read);
                for (var i = 0; i < values.Length; i++)
                {
                    command.Parameters[i].Value = values[i] ?? DBNull.Value;
                }
                using var reader = command.ExecuteReader();
                return map(reader);
            }
            catch
            {
                Broken = true;
                throw;
            }
        }

        private SqliteCommand Command(PreparedRead read)
        {
            if (!_commands.TryGetValue(read, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = read.Sql;
                foreach (var name in read.Parameters)
                {
                    command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
                }
                command.Prepare();
                _commands.Add(read, command);
            }
            return command;
        }

        public void Dispose() => _owner.Return(this);

        internal void Close()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
            _connection.Dispose();
        }
    }
}
