using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// Answers 405 (with an <c>Allow</c> header; the status page says so in Chinese) when a request reaches a Razor Page
/// that has no handler for its method, e.g. a POST to an article page. Razor Pages would otherwise render the page
/// without running any handler, with a model nobody filled: a 500 on most pages, a page that pretends to have done
/// something on the others. Runs after the antiforgery check, so a POST without a token still answers 400.
/// </summary>
internal sealed class MethodNotAllowedFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        // GET and HEAD of a page without handlers (a plain view) are what such a page is for.
        if (context.HandlerMethod is not null || HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return next();
        }
        var allowed = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant())
            .Append("GET").Distinct(StringComparer.Ordinal).ToList();
        if (allowed.Contains("GET"))
        {
            allowed.Add("HEAD");
        }
        context.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }
}
