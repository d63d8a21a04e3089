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
    IReadOnlyList<BackupFile> Files)
{
    public const string EntryName = "manifest.json";
    public const string DatabaseEntry = "news.db";
    public const string MediaPrefix = "media/";
    public const string KeysPrefix = "keys/";
    public const int CurrentFormat = 1;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

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

/// <summary>Rows in the database copy, counted when the archive was made and again when it is checked.</summary>
public sealed record BackupCounts(long Articles, long Users, long Revisions, long Media, long SearchIndexed);

/// <summary>One file of the archive: its path inside it (<c>news.db</c>, <c>media/…</c>, <c>keys/…</c>), size and SHA-256 (hex).</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);
