namespace PovertyNews.Web.Infrastructure;

/// <summary>Where the app keeps its files, and where it finds content/ when nobody says.</summary>
public static class DataFolder
{
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{PovertyNewsOptions.SectionName}:DataPath"];
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// The configured folder, else the repository's content/ found by walking up from the content root
    /// (so <c>dotnet run --project src/PovertyNews.Web</c> works from any directory of a clone).
    /// </summary>
    public static string? ResolveContentPath(string? configured, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
            return Directory.Exists(full) ? full : null;
        }
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "content");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return candidate;
            }
        }
        return null;
    }
}
