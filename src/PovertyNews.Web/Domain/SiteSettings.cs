namespace PovertyNews.Web.Domain;

/// <summary>
/// Site-wide settings edited by administrators. There is exactly one row. What the sidebars show is the editors'
/// business and lives in <see cref="SidebarSettings"/>.
/// </summary>
public class SiteSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public string SiteName { get; set; } = "扶贫新闻网";
    public string? Tagline { get; set; }

    /// <summary>【版权及免责声明】 shown under every article.</summary>
    public string CopyrightNotice { get; set; } = "";

    /// <summary>版权所有 line of the footer.</summary>
    public string CopyrightOwner { get; set; } = "";

    /// <summary>ICP 备案号, linked to beian.miit.gov.cn in the footer.</summary>
    public string? IcpNumber { get; set; }

    /// <summary>公安机关备案号 (京公网安备…).</summary>
    public string? PublicSecurityFilingNumber { get; set; }

    /// <summary>Further footer lines, one per line.</summary>
    public string? FooterLines { get; set; }

    public string? DefaultHotline { get; set; }
    public string? DefaultWeChat { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    public IEnumerable<string> FooterLineList =>
        (FooterLines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
