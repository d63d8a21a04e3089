using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>
/// How many article previews render at once. A preview renders the whole posted Markdown (up to a million characters)
/// on a request thread; sixteen at once took both cores and slowed cached reader pages from 5 to 132 ms. One
/// limiter for the whole app (previews are few, and one person's typing sends one at a time): a few render, a few
/// wait their turn, the rest are told to come back shortly and the editor's script tries again.
/// </summary>
public sealed class PreviewRateLimit(IOptions<NewsroomOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "preview";

    /// <summary>Seconds the editor's script waits before asking again.</summary>
    public const int RetryAfterSeconds = 2;

    public const string BusyMessage = "预览请求较多，服务器正在处理其他预览，稍后会自动重试。";

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter(Name, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.EffectivePreviewConcurrency,
            QueueLimit = options.Value.PreviewQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        // A body with its own content type: the status-code pages leave it as it is, and the script shows the text.
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(BusyMessage, ct);
    };
}
