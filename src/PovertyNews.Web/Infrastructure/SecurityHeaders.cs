using Microsoft.AspNetCore.Http.Features;

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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(next => context =>
    {
        // Decided now: an error page re-executed for this request runs under another path by the time headers go out.
        // One callback per kind of page and the context as its state: nothing is allocated for this per request.
        var path = context.Request.Path;
        context.Response.OnStarting(
            path.StartsWithSegments("/admin") ? SetForStaff
            // 预览链接: an unpublished version, its token in the address. Never kept, never indexed, never sent on as a referrer.
            : path.StartsWithSegments("/preview") ? SetForPreview
            : SetForReaders,
            context);
        return next(context);
    });

    private static readonly Func<object, Task> SetForReaders = context => Set((HttpContext)context, staff: false, preview: false);
    private static readonly Func<object, Task> SetForStaff = context => Set((HttpContext)context, staff: true, preview: false);
    private static readonly Func<object, Task> SetForPreview = context => Set((HttpContext)context, staff: false, preview: true);

    private static Task Set(HttpContext context, bool staff, bool preview)
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
        // request, and its UI sets inline styles; only that page gets this policy. Items are read only where a request
        // has any (reading them through HttpContext.Items would make them for every request).
        headers.ContentSecurityPolicy =
            context.Features.Get<IItemsFeature>()?.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
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
    }
}
