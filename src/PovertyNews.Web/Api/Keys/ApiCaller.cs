namespace PovertyNews.Web.Api.Keys;

/// <summary>Who is calling the API on this request: a partner's key (its id and limit) or an anonymous address.</summary>
public sealed record ApiCaller(int? KeyId, string? KeyPrefix, int RequestsPerMinute, string Partition)
{
    public bool IsAnonymous => KeyId is null;
}

/// <summary>An active key as the request check needs it; kept in memory for a short while.</summary>
public sealed record ActiveApiKey(int Id, string Prefix, string SecretHash, int RequestsPerMinute);
