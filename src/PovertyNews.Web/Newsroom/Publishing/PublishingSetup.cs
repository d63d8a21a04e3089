namespace PovertyNews.Web.Newsroom.Publishing;

public static class PublishingSetup
{
    /// <summary>三审 steps, and the scheduler that publishes reports whose time has come.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddScoped<WorkflowService>();
        services.AddScoped<WorkflowNotices>();
        services.AddScoped<ApprovalRecordBuilder>();
        services.AddSingleton<SchedulerMetrics>();
        services.AddHostedService<SchedulePublisher>();
        return services;
    }
}
