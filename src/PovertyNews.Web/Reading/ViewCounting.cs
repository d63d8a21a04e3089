namespace PovertyNews.Web.Reading;

/// <summary>Marks a page whose successful GETs count as a read of the article in its <c>id</c> route value.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CountsArticleReadAttribute : Attribute;

public static class ViewCounting
{
    /// <summary>
    /// Counts reads outside the page, so a page served from the output cache counts as well as a rendered one. A
    /// read is a GET answered 200 (or 304 to a reader revalidating a copy), by a client that is not an obvious bot, and
    /// only the first in its client's window (<see cref="IReadWindow"/>): reloading, or a script repeating one request,
    /// does not climb 热点新闻.
    /// </summary>
    public static IApplicationBuilder UseViewCounting(this IApplicationBuilder app)
    {
        var counter = app.ApplicationServices.GetRequiredService<ViewCounter>();
        var window = app.ApplicationServices.GetRequiredService<IReadWindow>();
        return app.Use(async (context, next) =>
        {
            await next(context);
            if (HttpMethods.IsGet(context.Request.Method)
                && context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified
                && ArticleOf(context) is { } articleId)
            {
                await CountAsync(context, articleId, counter, window);
            }
        });
    }

    /// <summary>The article a request reads, if its page counts reads (<see cref="CountsArticleReadAttribute"/>).</summary>
    public static int? ArticleOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<CountsArticleReadAttribute>() is not null
        && context.Request.RouteValues["id"] is string id && int.TryParse(id, out var articleId)
            ? articleId
            : null;

    /// <summary>Counts a successful GET of the article, unless it comes from an obvious bot or again within the window.</summary>
    public static async ValueTask CountAsync(HttpContext context, int articleId, ViewCounter counter, IReadWindow window)
    {
        if (!ViewCounter.IsObviousBot(context.Request.Headers.UserAgent)
            && await window.TryCountAsync(articleId, ReadOrigin.Of(context), context.RequestAborted))
        {
            counter.Record(articleId, context.Request.Headers.UserAgent, ReferrerHost.Of(context));
        }
    }
}
