using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web;

/// <summary>The "PovertyNews" configuration section.</summary>
public sealed class PovertyNewsOptions
{
    public const string SectionName = "PovertyNews";

    /// <summary>Folder imported into an empty database on first start. Defaults to the repository's content/.</summary>
    public string? ContentPath { get; set; }

    /// <summary>Folder for the SQLite database, logs and uploads. Relative paths are taken from the content root.</summary>
    public string DataPath { get; set; } = "App_Data";

    /// <summary>Whether an empty database is filled from <see cref="ContentPath"/> at start.</summary>
    public bool ImportContentOnFirstStart { get; set; } = true;

    /// <summary>
    /// The site's public address (<c>https://news.example.com</c>). When set, every absolute URL is built from it
    /// and the Host header of a request is ignored; see Infrastructure/HostingSetup.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public AdminBootstrapOptions Admin { get; set; } = new();

    /// <summary>
    /// Set by <c>--init</c>: a database file that is empty or not a database at all is moved aside and a new site is
    /// created. Without it such a file stops the start, so a damaged file never silently becomes a new, empty site.
    /// </summary>
    public bool InitDatabase { get; set; }
}
