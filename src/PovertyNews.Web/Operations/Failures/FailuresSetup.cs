namespace PovertyNews.Web.Operations.Failures;

public static class FailuresSetup
{
    public static IServiceCollection AddStorageFailures(this IServiceCollection services)
    {
        services.AddOptions<FailureOptions>().BindConfiguration(FailureOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageFailureFilter>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(mvc => mvc.Filters.AddService<StorageFailureFilter>());
        return services;
    }

    /// <summary>Inside the status-code pages (which render the 503) and the request log (which records it).</summary>
    public static IApplicationBuilder UseStorageFailures(this IApplicationBuilder app) => app.UseMiddleware<StorageFailureMiddleware>();
}
