using System.Globalization;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;
using Serilog.Filters;

namespace PovertyNews.Web.Operations.Logs;

public static class LogsSetup
{
    /// <summary>The source of Serilog's request logging events (one line per request: method, path, status, time).</summary>
    public const string RequestSource = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>
    /// The hosting layer's category: "Request starting/finished" (the request log above says it once, and better), and a
    /// log scope and an <see cref="System.Diagnostics.Activity"/> it makes for every request while the category is on
    /// at any level. Off: that was nearly half of what a page answered from the cache allocated (2.2 KB a request
    /// against 1.2 KB without). <see cref="RequestLogProperties"/> puts the scope's two properties back on the events
    /// that are written.
    /// </summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection AddLogs(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddOptions<LogOptions>().BindConfiguration(LogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RecentErrors>();
        services.AddSingleton<ILogEventSink>(sp => sp.GetRequiredService<RecentErrors>());
        return services;
    }

    /// <summary>
    /// The application log and, when separate, the request log, as daily files kept <see cref="LogOptions.RetainedDays"/>
    /// and <see cref="LogOptions.RequestRetainedDays"/> days (by age, however many files a day makes).
    /// </summary>
    public static LoggerConfiguration WriteToLogFiles(this LoggerConfiguration logger, IServiceProvider services, string dataPath)
    {
        var options = services.GetRequiredService<IOptions<LogOptions>>().Value;
        var folder = Path.Combine(dataPath, "logs");
        if (!options.SeparateRequestLog)
        {
            return logger.WriteTo.Logger(app => File(app, Path.Combine(folder, "povertynews-.log"), options.RetainedDays, options));
        }
        return logger
            .WriteTo.Logger(app => File(app.Filter.ByExcluding(Matching.FromSource(RequestSource)),
                Path.Combine(folder, "povertynews-.log"), options.RetainedDays, options))
            .WriteTo.Logger(requests => File(requests.Filter.ByIncludingOnly(Matching.FromSource(RequestSource)),
                Path.Combine(folder, "requests-.log"), options.RequestRetainedDays, options));
    }

    private static void File(LoggerConfiguration logger, string path, int days, LogOptions options) =>
        logger.WriteTo.File(path,
            rollingInterval: RollingInterval.Day,
            fileSizeLimitBytes: options.FileSizeLimitBytes,
            rollOnFileSizeLimit: true,
            retainedFileCountLimit: null, // by age below: a busy day's extra files must not push out older days
            retainedFileTimeLimit: TimeSpan.FromDays(days),
            formatProvider: CultureInfo.InvariantCulture);
}
