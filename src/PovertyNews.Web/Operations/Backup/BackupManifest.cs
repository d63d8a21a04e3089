using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace PovertyNews.Web.Operations.Backup;

/// <summary>
/// What an archive holds, written as its last entry (<see cref="EntryName"/>): when it was made, by which version of
/// the app, the schema (the last migration applied), row counts, and every file with its size and SHA-256.
/// </summary>
public sealed record BackupManifest(
    int Format,
    DateTimeOffset CreatedAt,
    string? AppVersion,
    string? Schema,
    BackupCounts Counts,
    IReadOnlyList<BackupFile> Files,
    string? Provider = null)
{
    public const string EntryName = "manifest.json";
    public const string DatabaseEntry = "news.db";

    /// <summary>The database of a PostgreSQL site: <c>pg_dump --format=custom</c>.</summary>
    public const string PostgresDumpEntry = "news.pgdump";

    /// <summary><see cref="Provider"/> of an archive of a PostgreSQL site; null (archives before it existed too) is SQLite.</summary>
    public const string PostgreSqlProvider = "PostgreSql";
    public const string MediaPrefix = "media/";
    public const string KeysPrefix = "keys/";
    public const int CurrentFormat = 1;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    [JsonIgnore]
    public bool IsPostgres => Provider == PostgreSqlProvider;

    /// <summary>The archive's entry with the database: the SQLite file or the PostgreSQL dump.</summary>
    [JsonIgnore]
    public string DatabaseEntryName => IsPostgres ? PostgresDumpEntry : DatabaseEntry;

    [JsonIgnore]
    public long TotalBytes => Files.Sum(f => f.Size);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The manifest in <paramref name="json"/>, or null when it is not one.</summary>
    public static BackupManifest? Parse(Stream json)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(json, Json) is { Files: not null, Counts: not null } manifest ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Rows in the database copy, counted when the archive was made and again when it is checked. SearchIndexed is 0 in an
/// archive of a PostgreSQL site (its index is part of the dump, and the start-up check repairs it after a restore).
/// </summary>
public sealed record BackupCounts(long Articles, long Users, long Revisions, long Media, long SearchIndexed);

/// <summary>One file of the archive: its path inside it (<c>news.db</c>, <c>media/…</c>, <c>keys/…</c>), size and SHA-256 (hex).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);
