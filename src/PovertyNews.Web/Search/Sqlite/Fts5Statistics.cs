using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PovertyNews.Web.Search.Sqlite;

/// <summary>
/// An FTS5 auxiliary function, <c>pn_stats(ArticleSearch)</c>, that answers a matching row's ranking statistics from
/// the index itself: the length in tokens of each text column (FTS5 keeps them per row) and how often each phrase of
/// the query occurs in each column (the positions the match has already read). Ranking the newest 500 matches used
/// to read and tokenize their text, five sixths of an uncached search's time; these statistics cost a lookup per row.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite registers scalar and aggregate functions only. An auxiliary function is registered through
/// FTS5's own C API as its documentation describes: <c>SELECT fts5(?1)</c> with a pointer bound to it hands out the
/// <c>fts5_api</c>, whose <c>xCreateFunction</c> takes a C function; here an <see cref="UnmanagedCallersOnly"/> method.
/// A function belongs to one SQLite connection, so it is registered once per connection handle, which a pooled
/// connection keeps between uses.
/// </remarks>
internal static unsafe class Fts5Statistics
{
    public const string Function = "pn_stats";

    /// <summary>The text columns, in the table's order (title, lead, body, source, author, tags); facets are not text.</summary>
    public static int Columns => Bm25Ranker.FieldCount;

    private const string Library = "e_sqlite3";
    private const int SqliteOk = 0;
    private static readonly nint Transient = -1;
    private static readonly ConditionalWeakTable<object, object> Registered = new();

    /// <summary>Registers the function on <paramref name="connection"/> (open) unless it already has it.</summary>
    public static void EnsureRegistered(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        if (Registered.TryGetValue(handle, out _))
        {
            return;
        }
        var api = FindApi(handle.DangerousGetHandle());
        if (api == null || api->Version < 2)
        {
            throw new InvalidOperationException("This SQLite has no FTS5 API of version 2 or later.");
        }
        var create = (delegate* unmanaged<Fts5Api*, byte*, nint, delegate* unmanaged<Fts5ExtensionApi*, nint, nint, int, nint, void>, nint, int>)api->CreateFunction;
        fixed (byte* name = "pn_stats\0"u8)
        {
            var rc = create(api, name, 0, &Statistics, 0);
            if (rc != SqliteOk)
            {
                throw new InvalidOperationException($"FTS5 refused the function {Function} (SQLite error {rc}).");
            }
        }
        Registered.AddOrUpdate(handle, handle);
    }

    /// <summary>
    /// The statistics blob of a row as <see cref="Bm25Ranker.Candidate"/>: <paramref name="phraseOfTerm"/> gives, for
    /// each ranked term, the index of its phrase in the match expression.
    /// </summary>
    public static Bm25Ranker.Candidate Candidate(long key, ReadOnlySpan<byte> blob, IReadOnlyList<int> phraseOfTerm)
    {
        var values = MemoryMarshal.Cast<byte, int>(blob);
        var lengths = values[..Columns].ToArray();
        var frequencies = new int[phraseOfTerm.Count * Columns];
        for (var t = 0; t < phraseOfTerm.Count; t++)
        {
            values.Slice(Columns + phraseOfTerm[t] * Columns, Columns).CopyTo(frequencies.AsSpan(t * Columns));
        }
        return new Bm25Ranker.Candidate(key, lengths, frequencies);
    }

    private static Fts5Api* FindApi(nint db)
    {
        Fts5Api* api = null;
        fixed (byte* sql = "SELECT fts5(?1)\0"u8)
        fixed (byte* type = "fts5_api_ptr\0"u8)
        {
            if (sqlite3_prepare_v2(db, sql, -1, out var statement, 0) != SqliteOk)
            {
                return null;
            }
            try
            {
                sqlite3_bind_pointer(statement, 1, &api, type, 0);
                sqlite3_step(statement);
            }
            finally
            {
                sqlite3_finalize(statement);
            }
        }
        return api;
    }

    /// <summary>
    /// The function itself: a blob of 32-bit integers, the text columns' lengths, then per phrase of the query its
    /// instances in each text column. Called by SQLite for every row the query returns; it must not throw.
    /// </summary>
    [UnmanagedCallersOnly]
    private static void Statistics(Fts5ExtensionApi* api, nint fts, nint context, int argumentCount, nint arguments)
    {
        try
        {
            var phraseCount = ((delegate* unmanaged<nint, int>)api->PhraseCount)(fts);
            var columns = Columns;
            var size = columns + phraseCount * columns;
            var values = size <= 1024 ? stackalloc int[size] : new int[size];
            values.Clear();
            var columnSize = (delegate* unmanaged<nint, int, int*, int>)api->ColumnSize;
            for (var c = 0; c < columns; c++)
            {
                int tokens;
                if (Fail(columnSize(fts, c, &tokens)))
                {
                    return;
                }
                values[c] = tokens;
            }
            int instances;
            if (Fail(((delegate* unmanaged<nint, int*, int>)api->InstCount)(fts, &instances)))
            {
                return;
            }
            var inst = (delegate* unmanaged<nint, int, int*, int*, int*, int>)api->Inst;
            for (var i = 0; i < instances; i++)
            {
                int phrase, column, offset;
                if (Fail(inst(fts, i, &phrase, &column, &offset)))
                {
                    return;
                }
                if (column < columns && phrase < phraseCount)
                {
                    values[columns + phrase * columns + column]++;
                }
            }
            fixed (int* data = values)
            {
                sqlite3_result_blob(context, data, size * sizeof(int), Transient);
            }
        }
        catch (Exception)
        {
            // An exception must not unwind into SQLite; the query fails with an error instead.
            sqlite3_result_error_code(context, 1);
        }

        bool Fail(int rc)
        {
            if (rc == SqliteOk)
            {
                return false;
            }
            sqlite3_result_error_code(context, rc);
            return true;
        }
    }

    /// <summary>The start of <c>fts5_api</c> (sqlite3.h): the version, then its functions in order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5Api
    {
        public int Version;
        public nint CreateTokenizer;
        public nint FindTokenizer;
        public nint CreateFunction;
    }

    /// <summary>The start of <c>Fts5ExtensionApi</c> (sqlite3.h), up to the last member used here.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5ExtensionApi
    {
        public int Version;
        public nint UserData;
        public nint ColumnCount;
        public nint RowCount;
        public nint ColumnTotalSize;
        public nint Tokenize;
        public nint PhraseCount;
        public nint PhraseSize;
        public nint InstCount;
        public nint Inst;
        public nint Rowid;
        public nint ColumnText;
        public nint ColumnSize;
    }

    [DllImport(Library)]
    private static extern int sqlite3_prepare_v2(nint db, byte* sql, int bytes, out nint statement, nint tail);

    [DllImport(Library)]
    private static extern int sqlite3_bind_pointer(nint statement, int index, void* pointer, byte* type, nint destructor);

    [DllImport(Library)]
    private static extern int sqlite3_step(nint statement);

    [DllImport(Library)]
    private static extern int sqlite3_finalize(nint statement);

    [DllImport(Library)]
    private static extern void sqlite3_result_blob(nint context, void* data, int bytes, nint destructor);

    [DllImport(Library)]
    private static extern void sqlite3_result_error_code(nint context, int code);
}
