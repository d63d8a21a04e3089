using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Operations.Failures;

/// <summary>
/// For pages that keep their input (<see cref="IKeepsInputOnStorageFailure"/>): a handler that failed because the
/// disk is full or the database stayed busy answers 503 with the form as it was posted and the message above it.
/// Every other page's failure goes on to <see cref="StorageFailureMiddleware"/>, which answers the 503 page.
/// </summary>
internal sealed class StorageFailureFilter(IOptions<FailureOptions> options, ILogger<StorageFailureFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed is not { Exception: { } exception, ExceptionHandled: false, HandlerInstance: IKeepsInputOnStorageFailure page }
            || StorageFailure.Recognize(exception) is not { } failure)
        {
            return;
        }
        var http = context.HttpContext;
        logger.Unavailable(exception, failure, http);
        context.ModelState.AddModelError(string.Empty, StorageFailure.Message);
        try
        {
            executed.Result = await page.FormAfterStorageFailureAsync(context.HandlerMethod?.Name, http.RequestAborted);
        }
        catch (Exception again) when (StorageFailure.Recognize(again) is not null)
        {
            return; // cannot even read the form's options: the middleware's 503 page, still not a 500
        }
        executed.ExceptionHandled = true;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        StorageFailureLog.SetRetryAfter(http.Response, options.Value.RetryAfter);
        http.Features.Set(failure);
    }
}
