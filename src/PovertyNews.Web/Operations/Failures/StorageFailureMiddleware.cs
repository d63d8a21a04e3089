using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Operations.Failures;

/// <summary>
/// Any request whose write the storage refused (a full disk, a database busy past the timeout) answers 503 with
/// Retry-After and the status page's message that nothing was saved, instead of the generic 500 page; the cause is
/// logged with SQLite's error code. It sits inside the status-code pages, which render the page for the empty 503.
/// </summary>
internal sealed class StorageFailureMiddleware(RequestDelegate next, IOptions<FailureOptions> options, ILogger<StorageFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (StorageFailure.Recognize(e) is { } failure && !http.Response.HasStarted)
        {
            logger.Unavailable(e, failure, http);
            http.Response.Clear();
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            StorageFailureLog.SetRetryAfter(http.Response, options.Value.RetryAfter);
            http.Features.Set(failure);
        }
    }
}
