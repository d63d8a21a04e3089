using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.Web.Operations.Logs;

/// <summary>
/// <c>RequestId</c> and <c>RequestPath</c> on the events written while a request runs, for an output template or sink
/// that shows them. The framework's hosting layer would add them through a log scope, but it opens that scope, and
/// starts an <see cref="System.Diagnostics.Activity"/>, for every request once its category logs at all: work done
/// per request, tens of thousands of times a second for cached pages, for the few requests that log anything. Its
/// category is switched off (<see cref="LogsSetup.HostingDiagnostics"/>) and this enricher adds the same two
/// properties only to the events actually written.
/// </summary>
internal sealed class RequestLogProperties(IHttpContextAccessor accessor) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (accessor.HttpContext is not { } http)
        {
            return;
        }
        string id;
        string? path;
        try
        {
            id = http.TraceIdentifier;
            path = http.Request.Path.Value;
        }
        catch (ObjectDisposedException)
        {
            // An event from work that outlived its request (the context is being recycled): it has no request.
            return;
        }
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("RequestId", id));
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("RequestPath", path));
    }
}
