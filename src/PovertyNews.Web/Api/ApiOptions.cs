using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Api;

/// <summary>The read API (/api/v1): limits and cross-origin access. Section <c>PovertyNews:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "PovertyNews:Api";

    /// <summary>Requests per minute per client address without a key.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousRequestsPerMinute { get; set; } = 60;

    /// <summary>What the create form proposes for a new partner key.</summary>
    [Range(1, 1_000_000)]
    public int DefaultKeyRequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Origins whose browser scripts may read the API (e.g. "https://partner.example.com"); "*" allows any. Empty: no
    /// CORS headers at all, so only servers and same-site pages use it.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The largest <c>limit</c> a list accepts.</summary>
    [Range(1, 500)]
    public int MaxPageSize { get; set; } = 100;

    [Range(1, 500)]
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>How long browsers and proxies may reuse an answer (Cache-Control max-age), seconds.</summary>
    [Range(0, 3600)]
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary>How often counted key use is written to the database.</summary>
    public TimeSpan UseFlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How a partner asks for a key: an e-mail address, a telephone number or a page, shown in the API's documentation
    /// and in its 429 answers. Unset, the documentation says plainly that no way has been published.
    /// </summary>
    [MaxLength(200)]
    public string? KeyContact { get; set; }

    public bool AllowsAnyOrigin => AllowedOrigins.Contains("*");
}
