namespace PovertyNews.Web.Common;

public static class CommonSetup
{
    /// <summary>What every feature shares: the audit log, which names the signed-in user of the request.</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        return services;
    }
}
