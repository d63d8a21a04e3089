namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// A reader who closes the tab or a crawler that hangs up mid-search cancels the request's work. That is not a server
/// error: it answers 499 (nginx's "client closed request"), so the request log says what happened at Debug instead of
/// an Error line with a stack trace and a 500 that nobody received. Any other cancellation still fails as before.
/// </summary>
internal sealed class ClientAborts(RequestDelegate next)
{
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when ((e is OperationCanceledException || e is IOException) && http.RequestAborted.IsCancellationRequested)
        {
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = ClientClosedRequest;
            }
        }
    }
}

internal static class ClientAbortsSetup
{
    public static IApplicationBuilder UseClientAborts(this IApplicationBuilder app) => app.UseMiddleware<ClientAborts>();
}
