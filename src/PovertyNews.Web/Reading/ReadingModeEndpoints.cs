using PovertyNews.Web.Common;

namespace PovertyNews.Web.Reading;

/// <summary>
/// <c>/reading-mode</c>: the 适老化 switch's links land here, the choice goes into a cookie, and the reader goes back
/// to the page they were on. Plain links, so the switch works without JavaScript.
/// </summary>
public static class ReadingModeEndpoints
{
    public static IEndpointRouteBuilder MapReadingMode(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reading-mode", Switch).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Switch(HttpContext http, TimeProvider time, ILoggerFactory loggers)
    {
        var query = http.Request.Query;
        var mode = ReadingMode.Of(http.Request);
        if (ReaderQuery.Value(query, "reset") is not null)
        {
            mode = ReadingMode.Standard;
        }
        if (ReaderQuery.Value(query, "size") is { } size)
        {
            if (size.Length != 1 || size[0] < '0' || size[0] > (char)('0' + ReadingMode.MaxTextSize))
            {
                return Refuse($"字号只能是 0 到 {ReadingMode.MaxTextSize}（标准、大、较大、特大）。");
            }
            mode = mode.WithTextSize(size[0] - '0');
        }
        if (!TryFlag(query, "contrast", mode.HighContrast, out var contrast)
            || !TryFlag(query, "spacing", mode.WideSpacing, out var spacing))
        {
            return Refuse("高对比度和行距只能是 on 或 off。");
        }
        mode = mode with { HighContrast = contrast, WideSpacing = spacing };

        if (mode.IsStandard)
        {
            http.Response.Cookies.Delete(ReadingMode.CookieName);
        }
        else
        {
            http.Response.Cookies.Append(ReadingMode.CookieName, mode.Key, new CookieOptions
            {
                Path = "/",
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                Expires = time.GetUtcNow().AddYears(1),
            });
        }
        loggers.CreateLogger(typeof(ReadingModeEndpoints)).LogDebug("Reading mode set to {ReadingMode}", mode.Key.Length == 0 ? "standard" : mode.Key);
        http.Response.Headers["X-Robots-Tag"] = "noindex";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(BackTo(http), permanent: false, preserveMethod: false);
    }

    /// <summary>A link nobody on the site makes (typed or tampered with): said plainly, nothing changed.</summary>
    private static IResult Refuse(string message) =>
        Results.Content(message + "请从页面上的“适老化阅读”重新选择。", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static bool TryFlag(IQueryCollection query, string key, bool current, out bool value)
    {
        value = current;
        switch (ReaderQuery.Value(query, key))
        {
            case null:
                return true;
            case "on":
                value = true;
                return true;
            case "off":
                value = false;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The page the reader came from: the Referer when it is this site (the reader pages send it for same-origin
    /// navigations), else the link's own <c>return</c> path; never another site.
    /// </summary>
    internal static string BackTo(HttpContext http)
    {
        var request = http.Request;
        if (Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            && string.Equals(referer.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && IsLocalPath(referer.PathAndQuery)
            && !referer.AbsolutePath.StartsWith("/reading-mode", StringComparison.OrdinalIgnoreCase))
        {
            return referer.PathAndQuery;
        }
        return ReaderQuery.Value(request.Query, "return") is { } back && IsLocalPath(back) ? back : "/";
    }

    /// <summary>A path on this site: one leading slash, not <c>//host</c> or <c>/\host</c>, no control characters.</summary>
    internal static bool IsLocalPath(string path) =>
        path.Length > 0 && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && !path.Any(char.IsControl);
}
