using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PovertyNews.Web.Common;

public static class CommonSetup
{
    /// <summary>
    /// What every feature shares: the audit log, which names the signed-in user of the request; its hash chain's
    /// interceptor; its options and the pruning job.
    /// </summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IInterceptor, AuditChainInterceptor>();
        services.AddSingleton<JobLock>();
        services.AddStartupGate();
        services.AddSingleton<AuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        return services;
    }

    /// <summary>The host's one <see cref="StartupGate"/>; every feature whose background work waits for it calls this.</summary>
    public static IServiceCollection AddStartupGate(this IServiceCollection services)
    {
        services.TryAddSingleton<StartupGate>();
        return services;
    }
}
