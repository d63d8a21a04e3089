namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// Headers every response carries. The policy allows no inline script at all: pages load scripts as files from
/// this site, so an injected &lt;script&gt; or onclick= does nothing even if it got past the sanitizer.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; media-src 'self' https:; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static string ApiReferencePolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Decided now: an error page re-executed for this request runs under another path by the time headers go out.
        var staff = context.Request.Path.StartsWithSegments("/admin");
        // 预览链接: an unpublished version, its token in the address. Never kept, never indexed, never sent on as a referrer.
        var preview = context.Request.Path.StartsWithSegments("/preview");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (staff || preview)
            {
                // Newsroom pages and exports (drafts, audit, CSVs) must not stay in a browser's or proxy's cache.
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
                headers.Remove("Expires");
            }
            // The API's reference page (Scalar, /api/docs) runs its configuration as an inline module with a nonce per
            // request, and its UI sets inline styles; only that page gets this policy.
            headers.ContentSecurityPolicy = context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
                ? ApiReferencePolicy(nonce)
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = preview ? "no-referrer" : "strict-origin-when-cross-origin";
            if (preview)
            {
                headers["X-Robots-Tag"] = "noindex, nofollow";
            }
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        await next();
    });
}
