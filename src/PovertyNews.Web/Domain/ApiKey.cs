namespace PovertyNews.Web.Domain;

/// <summary>
/// A partner's key to the read API (/api/v1). Only a hash of the secret is stored: the key is shown once, when made.
/// Revoked keys stay (their use history and audit name them) but no longer authenticate.
/// </summary>
public class ApiKey
{
    public const int MaxNameLength = 100;

    /// <summary>Characters of the key kept in clear to tell keys apart in lists and logs (e.g. "pnk_3f9a2c").</summary>
    public const int PrefixLength = 12;

    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The key's first <see cref="PrefixLength"/> characters, shown in the list and used to find the row.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, lower-case hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Requests per minute this key may make.</summary>
    public int RequestsPerMinute { get; set; }

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>Requests answered with this key, all time (per day: <see cref="ApiKeyDailyUse"/>).</summary>
    public long UseCount { get; set; }

    public bool IsActive => RevokedAt is null;
}

/// <summary>Requests made with one key on one day (China Standard Time), counted in memory and written in batches.</summary>
public class ApiKeyDailyUse
{
    public int ApiKeyId { get; set; }
    public DateOnly Day { get; set; }
    public long Requests { get; set; }
}
