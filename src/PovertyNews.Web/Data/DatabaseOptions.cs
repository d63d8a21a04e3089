namespace PovertyNews.Web.Data;

/// <summary>Which database the site keeps its records in.</summary>
public enum DatabaseProvider
{
    /// <summary>One file in the data folder, nothing to install or set up: the default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (or a compatible one), named by <c>ConnectionStrings:News</c>.</summary>
    PostgreSql,
}

/// <summary>The "PovertyNews:Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "PovertyNews:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The section as configured, read once while services are registered (the provider decides which services
    /// exist, so it cannot wait for options to be resolved). An unknown provider name stops the start with a message.
    /// </summary>
    public static DatabaseOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var configured = section[nameof(Provider)];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseOptions();
        }
        // The names operators write for it, in any case; anything else stops the start rather than falling back.
        DatabaseProvider? provider = configured.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgresql" or "postgres" or "npgsql" => DatabaseProvider.PostgreSql,
            _ => null,
        };
        if (provider is null)
        {
            throw new InvalidOperationException(
                $"{SectionName}:{nameof(Provider)} is \"{configured}\"; it must be Sqlite (the default) or PostgreSql.");
        }
        return new DatabaseOptions { Provider = provider.Value };
    }
}
